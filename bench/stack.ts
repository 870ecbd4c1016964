import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDevCa } from '../emulators/shared/dev-ca';
import type { DirectoryUser } from '../emulators/shared/directory';
import { readStackFile } from '../emulators/teams/stack-file';
import type { LocalStack } from '../src/config/local-stack';
import { REPO_ROOT, spawnTs, stopChild } from '../scripts/lib/children';
import { type CosmosCountingProxy, startCosmosProxy } from './cosmos-proxy';
import { generatedUsers } from './generated-users';

/**
 * The emulator stack of `emulators/stack.ts` in its own process (`bench/emulators-main.ts`), with
 * two bench-only additions: generated directory users (`bench0001`…, so B6 can sign in 1,000
 * distinct people) and a counting proxy, in the bench's process, in front of Cosmos DB whose
 * endpoint is the one the bots are given.
 */
export interface BenchStack {
  stack: LocalStack;
  cosmos: CosmosCountingProxy;
  generatedUsers: DirectoryUser[];
  /** The emulator process, for its CPU time. */
  emulatorsPid(): number | undefined;
  stop(): Promise<void>;
}

async function waitForStack(file: string, child: ChildProcess, timeoutMs = 300_000): Promise<LocalStack> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the bench emulators exited with code ${child.exitCode}`);
    if (existsSync(file)) return readStackFile(file);
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`the bench emulators did not write ${file} within ${timeoutMs / 1000} s`);
}

export async function startBenchStack(options: { generatedUsers: number }): Promise<BenchStack> {
  const ca = ensureDevCa();
  const tls = { cert: ca.serverCertPem, key: ca.serverKeyPem, caCertPath: ca.caCertPath };
  const file = join(REPO_ROOT, '.local', `bench-emulators-${process.pid}.json`);
  rmSync(file, { force: true });
  const child = spawnTs('bench/emulators-main.ts', {
    env: { BENCH_STACK_FILE: file, BENCH_GENERATED_USERS: String(options.generatedUsers) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let stack: LocalStack;
  try {
    stack = await waitForStack(file, child);
  } catch (error) {
    await stopChild(child, 1000);
    throw error;
  }
  const cosmos = await startCosmosProxy(stack.cosmos.endpoint, tls);
  return {
    stack: { ...stack, cosmos: { ...stack.cosmos, endpoint: cosmos.endpoint } },
    cosmos,
    generatedUsers: generatedUsers(options.generatedUsers),
    emulatorsPid: () => child.pid,
    stop: async () => {
      await cosmos.stop();
      await stopChild(child);
      rmSync(file, { force: true });
    },
  };
}
