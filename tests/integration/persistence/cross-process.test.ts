import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { CosmosClient } from '@azure/cosmos';
import type { RunningEmulator } from '../../../emulators/shared/types';
import type { CosmosEmulatorInfo } from '../../../emulators/cosmos/server';
import { createCosmosClient } from '../../../src/persistence/cosmos-client';
import { createPersistence } from '../../../src/persistence/persistence';
import { buildApprovalGraph, Command } from '../../support/cosmos-approval-graph';
import { cosmosConfigFor, startPrivateCosmos, uniqueDatabaseId } from '../../support/cosmos-emulator';

const ROOT = resolve(__dirname, '../../..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');
const CHILD = resolve(ROOT, 'tests/support/cosmos-child-writer.ts');

let emulator: RunningEmulator<CosmosEmulatorInfo>;
let client: CosmosClient;
const databaseId = uniqueDatabaseId('xproc');

function runChild(env: Record<string, string>): Promise<{ pid: number; approvalId: string; interrupts: { id: string; value: unknown }[] }> {
  return new Promise((done, fail) => {
    const child = spawn(TSX, [CHILD], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    child.on('error', fail);
    child.on('exit', (code) => {
      if (code !== 0) fail(new Error(`child exited ${code}: ${err}`));
      else done(JSON.parse(out.trim().split('\n').pop() ?? '{}'));
    });
  });
}

beforeAll(async () => {
  emulator = await startPrivateCosmos();
  client = createCosmosClient(cosmosConfigFor(emulator.info, databaseId));
});

afterAll(async () => {
  client.dispose();
  await emulator.stop();
});

describe('a checkpoint and a pending approval written by another process', () => {
  it.each(['sync', 'exit'] as const)('when the child ran under durability %s and exited, then this process resumes the thread and executes the approval', async (durability) => {
    const threadId = `t-1:conv-xproc-${durability}:alice`;
    const child = await runChild({
      COSMOS_ENDPOINT: emulator.info.endpoint,
      COSMOS_KEY: emulator.info.key,
      COSMOS_DATABASE: databaseId,
      THREAD_ID: threadId,
      DURABILITY: durability,
      SQL: 'UPDATE orders SET qty = 2 WHERE id = 7',
    });
    expect(child.pid).not.toBe(process.pid);
    expect(child.interrupts[0]?.value).toEqual({ approvalId: child.approvalId });

    const persistence = await createPersistence(client, databaseId);
    const pending = await persistence.approvals.get(child.approvalId);
    expect(pending?.status).toBe('pending');
    expect(pending?.sql).toBe('UPDATE orders SET qty = 2 WHERE id = 7');

    const graph = buildApprovalGraph({ ...persistence, threadId });
    const state = await graph.getState({ configurable: { thread_id: threadId } });
    expect(state.next).toEqual(['decide']);
    const done = await graph.invoke(new Command({ resume: { approve: true, by: 'alice' } }), { configurable: { thread_id: threadId } });
    expect(done.outcome).toBe('executed');
    expect((await persistence.approvals.get(child.approvalId))?.status).toBe('executed');
  }, 90_000);
});
