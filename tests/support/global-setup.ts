import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startStack, type RunningStack } from '../../emulators/stack';
import { TEST_GENIE_POSTS_PER_MINUTE } from './test-limits';

declare global {
  var __TEST_STACK__: RunningStack | undefined;
}

/**
 * Starts the emulators once for the integration and e2e projects (idempotent: both projects call it)
 * and publishes the stack file path through LOCAL_STACK_FILE, which the workers inherit.
 */
export default async function globalSetup(): Promise<void> {
  if (globalThis.__TEST_STACK__) return;
  if (!process.env.NODE_EXTRA_CA_CERTS) {
    throw new Error('Run the integration tiers through npm (npm test / npm run test:int) so NODE_EXTRA_CA_CERTS is set.');
  }
  const running = await startStack({ ports: { entra: 0, databricks: 0, cosmos: 0, graph: 0, openai: 0 }, genie: { rateLimit: { postsPerWindow: TEST_GENIE_POSTS_PER_MINUTE, windowMs: 60_000 } } });
  globalThis.__TEST_STACK__ = running;
  const dir = resolve(__dirname, '../../.local');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `test-stack-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(running.stack, null, 2));
  process.env.LOCAL_STACK_FILE = file;
}
