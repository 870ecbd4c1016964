import { renameSync, rmSync } from 'node:fs';
import { startStack } from '../emulators/stack';
import { DEMO_DIRECTORY, type Directory } from '../emulators/shared/directory';
import { writeStackFile } from '../emulators/teams/stack-file';
import { generatedUsers } from './generated-users';

/**
 * The bench's emulator process: the stack of `emulators/stack.ts` on free ports, with
 * `BENCH_GENERATED_USERS` generated directory users added, described in `BENCH_STACK_FILE` (written
 * whole, then renamed, so the bench never reads half a file). Run by `bench/stack.ts`, so the
 * emulators' CPU is their own and not the bench's.
 */
async function main(): Promise<void> {
  const file = process.env.BENCH_STACK_FILE;
  if (!file) throw new Error('BENCH_STACK_FILE is not set');
  const extra = generatedUsers(Number(process.env.BENCH_GENERATED_USERS ?? '0'));
  const directory: Directory = { ...DEMO_DIRECTORY, users: [...DEMO_DIRECTORY.users, ...extra] };
  const running = await startStack({ ports: { entra: 0, databricks: 0, cosmos: 0, graph: 0, openai: 0 }, directory });
  writeStackFile(`${file}.tmp`, running.stack);
  renameSync(`${file}.tmp`, file);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    rmSync(file, { force: true });
    void running.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(`bench emulators: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
