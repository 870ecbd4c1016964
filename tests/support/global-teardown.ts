import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const running = globalThis.__TEST_STACK__;
  if (!running) return;
  globalThis.__TEST_STACK__ = undefined;
  await running.stop();
  if (process.env.LOCAL_STACK_FILE) rmSync(process.env.LOCAL_STACK_FILE, { force: true });
}
