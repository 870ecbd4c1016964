import type { CosmosClient } from '@azure/cosmos';
import type { RunningEmulator } from '../../../emulators/shared/types';
import type { CosmosEmulatorInfo } from '../../../emulators/cosmos/server';
import { createCosmosClient } from '../../../src/persistence/cosmos-client';
import { createPersistence, type Persistence } from '../../../src/persistence/persistence';
import { MAX_ITEM_BYTES } from '../../../src/persistence/payloads';
import { buildApprovalGraph, Command } from '../../support/cosmos-approval-graph';
import { cosmosConfigFor, startPrivateCosmos, uniqueDatabaseId } from '../../support/cosmos-emulator';

let emulator: RunningEmulator<CosmosEmulatorInfo>;
const clients: CosmosClient[] = [];
let databaseId: string;

async function freshPersistence(): Promise<Persistence> {
  const client = createCosmosClient(cosmosConfigFor(emulator.info, databaseId));
  clients.push(client);
  return createPersistence(client, databaseId);
}

beforeAll(async () => {
  emulator = await startPrivateCosmos();
  databaseId = uniqueDatabaseId('graph');
});

afterAll(async () => {
  for (const client of clients) client.dispose();
  await emulator.stop();
});

describe.each(['sync', 'async', 'exit'] as const)('a LangGraph graph with interrupt() under durability %s', (durability) => {
  it('when interrupted and resumed with Command({resume}) by a new client, then it finishes and the ledger shows executed', async () => {
    const threadId = `t-1:conv-${durability}:alice`;
    const first = await freshPersistence();
    const calls: string[] = [];
    const put = first.checkpointer.put.bind(first.checkpointer);
    const putWrites = first.checkpointer.putWrites.bind(first.checkpointer);
    first.checkpointer.put = async (config, checkpoint, metadata, versions) => {
      calls.push(`put:${checkpoint.id}`);
      return put(config, checkpoint, metadata, versions);
    };
    first.checkpointer.putWrites = async (config, writes, taskId, taskPath) => {
      calls.push(`putWrites:${String(config.configurable?.checkpoint_id)}:${writes.map(([channel]) => channel).join(',')}`);
      return putWrites(config, writes, taskId, taskPath);
    };
    const graph = buildApprovalGraph({ ...first, threadId });
    const interrupted = await graph.invoke({ sql: "UPDATE orders SET status = 'x' WHERE id = 1" }, { configurable: { thread_id: threadId }, durability });
    const approvalId = interrupted.approvalId;
    expect(approvalId).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await first.approvals.get(approvalId ?? ''))?.status).toBe('pending');
    const interruptWrite = calls.findIndex((call) => call.startsWith('putWrites:') && call.endsWith('__interrupt__'));
    const interruptedCheckpointId = calls[interruptWrite]?.split(':')[1];
    const putOfThatCheckpoint = calls.indexOf(`put:${interruptedCheckpointId}`);
    expect(interruptWrite).toBeGreaterThanOrEqual(0);
    expect(putOfThatCheckpoint).toBeGreaterThanOrEqual(0);
    if (durability === 'exit') expect(putOfThatCheckpoint).toBeGreaterThan(interruptWrite);
    if (durability === 'sync') expect(putOfThatCheckpoint).toBeLessThan(interruptWrite);

    const second = await freshPersistence();
    const resumedGraph = buildApprovalGraph({ ...second, threadId });
    const paused = await resumedGraph.getState({ configurable: { thread_id: threadId } });
    expect(paused.next).toEqual(['decide']);
    expect(paused.tasks[0]?.interrupts[0]?.value).toEqual({ approvalId });

    const done = await resumedGraph.invoke(new Command({ resume: { approve: true, by: 'alice' } }), { configurable: { thread_id: threadId }, durability });
    expect(done.outcome).toBe('executed');
    const record = await second.approvals.get(approvalId ?? '');
    expect(record?.status).toBe('executed');
    expect(record?.rowsAffected).toBe(3);
    const trail = await second.audit.listByApproval(approvalId ?? '');
    expect(trail.map((e) => e.kind)).toEqual(['write.requested', 'approval.approved', 'write.executed']);
    const after = await resumedGraph.getState({ configurable: { thread_id: threadId } });
    expect(after.next).toEqual([]);
  });
});

describe('large state', () => {
  it('when a state of several MB is checkpointed, then it round-trips exactly and every stored item stays under 2 MB', async () => {
    const persistence = await freshPersistence();
    const threadId = 't-1:conv-large:alice';
    const payload = Array.from({ length: 6 * 1024 }, (_, i) => `${i.toString(36).padStart(8, '0')}-${'x'.repeat(1000)}"\\`).join('\n');
    expect(payload.length).toBeGreaterThan(6_000_000);
    const graph = buildApprovalGraph({ ...persistence, threadId });
    await graph.invoke({ sql: 'DELETE FROM t WHERE id = 2', payload }, { configurable: { thread_id: threadId }, durability: 'sync' });

    const reader = await freshPersistence();
    const tuple = await reader.checkpointer.getTuple({ configurable: { thread_id: threadId } });
    expect(tuple?.checkpoint.channel_values.payload).toBe(payload);

    const sizes: number[] = [];
    for (const container of [reader.containers.checkpoints, reader.containers.blobs]) {
      const { resources } = await container.items.query<Record<string, unknown>>('SELECT * FROM c').fetchAll();
      sizes.push(...resources.map((doc) => Buffer.byteLength(JSON.stringify(doc), 'utf8')));
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_ITEM_BYTES);
    const { resources: chunks } = await reader.containers.blobs.items.query('SELECT c.id FROM c').fetchAll();
    expect(chunks.length).toBeGreaterThanOrEqual(6);

    const resumed = await buildApprovalGraph({ ...reader, threadId }).invoke(new Command({ resume: { approve: false, by: 'alice' } }), { configurable: { thread_id: threadId } });
    expect(resumed.outcome).toBe('rejected');
    expect(resumed.payload).toBe(payload);
  });

  it('when a thread is deleted, then its checkpoints, writes and blob chunks are gone', async () => {
    const persistence = await freshPersistence();
    const threadId = 't-1:conv-large:alice';
    await persistence.checkpointer.deleteThread(threadId);
    expect(await persistence.checkpointer.getTuple({ configurable: { thread_id: threadId } })).toBeUndefined();
    const { resources: left } = await persistence.containers.blobs.items
      .query({ query: 'SELECT c.id FROM c WHERE c.ownerKey = @o', parameters: [{ name: '@o', value: threadId }] })
      .fetchAll();
    expect(left).toHaveLength(0);
  });
});
