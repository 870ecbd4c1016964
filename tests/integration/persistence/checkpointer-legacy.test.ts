/**
 * Threads saved by the checkpointer before the thread head (the old layout: per-channel items,
 * checkpoint items, pending-write items), written by the old code itself (tests/support/legacy-checkpointer,
 * checked out from git) through the real SDK against the Cosmos emulator, then read by today's checkpointer.
 */
import type { CosmosClient } from '@azure/cosmos';
import { emptyCheckpoint, uuid6, type Checkpoint } from '@langchain/langgraph-checkpoint';
import type { CosmosEmulatorInfo } from '../../../emulators/cosmos/server';
import type { RunningEmulator } from '../../../emulators/shared/types';
import { CheckpointCodec } from '../../../src/persistence/checkpointer/checkpoint-codec';
import { CosmosCheckpointSaver } from '../../../src/persistence/checkpointer/cosmos-checkpoint-saver';
import { headDocId } from '../../../src/persistence/checkpointer/documents';
import { HeadCache } from '../../../src/persistence/checkpointer/head-cache';
import { HeadStore } from '../../../src/persistence/checkpointer/head-store';
import { LegacyLayout } from '../../../src/persistence/checkpointer/legacy-layout';
import { migrateLatestLegacy } from '../../../src/persistence/checkpointer/legacy-migration';
import { createCosmosClient } from '../../../src/persistence/cosmos-client';
import type { Containers } from '../../../src/persistence/containers';
import { PayloadStore } from '../../../src/persistence/payloads';
import { createPersistence, type Persistence } from '../../../src/persistence/persistence';
import { buildApprovalGraph, Command } from '../../support/cosmos-approval-graph';
import { cosmosConfigFor, startPrivateCosmos, uniqueDatabaseId } from '../../support/cosmos-emulator';
import { CosmosCheckpointSaver as OldLayoutSaver } from '../../support/legacy-checkpointer/cosmos-checkpoint-saver';

let emulator: RunningEmulator<CosmosEmulatorInfo>;
const clients: CosmosClient[] = [];
let databaseId: string;
const meta = { source: 'loop' as const, step: 1, parents: {} };

async function freshPersistence(): Promise<Persistence> {
  const client = createCosmosClient(cosmosConfigFor(emulator.info, databaseId));
  clients.push(client);
  return createPersistence(client, databaseId);
}

const oldSaver = (c: Containers): OldLayoutSaver => new OldLayoutSaver({ checkpoints: c.checkpoints, blobs: c.blobs });
const newSaver = (c: Containers): CosmosCheckpointSaver => new CosmosCheckpointSaver({ checkpoints: c.checkpoints, blobs: c.blobs });

function checkpointWith(values: Record<string, unknown>, version: number): Checkpoint {
  return { ...emptyCheckpoint(), id: uuid6(-3), channel_values: values, channel_versions: Object.fromEntries(Object.keys(values).map((k) => [k, version])) };
}

async function itemsOf(c: Containers, threadId: string): Promise<Array<{ id: string; kind: string; data?: unknown }>> {
  const query = { query: 'SELECT c.id, c.kind, c.data FROM c WHERE c.threadId = @t', parameters: [{ name: '@t', value: threadId }] };
  return (await c.checkpoints.items.query<{ id: string; kind: string; data?: unknown }>(query, { partitionKey: threadId }).fetchAll()).resources;
}

/** Three checkpoints in the old layout; pending writes on the first and the last. */
async function oldLayoutThread(c: Containers, threadId: string): Promise<string[]> {
  const s = oldSaver(c);
  const c1 = await s.put({ configurable: { thread_id: threadId } }, checkpointWith({ a: 'a1', b: 'b1' }, 1), meta, { a: 1, b: 1 });
  await s.putWrites(c1, [['a', 'w-on-1']], 'task-1');
  const c2 = await s.put(c1, { ...checkpointWith({ a: 'a2', b: 'b1' }, 2), channel_versions: { a: 2, b: 1 } }, meta, { a: 2 });
  const c3 = await s.put(c2, { ...checkpointWith({ a: 'a3', b: 'b1' }, 3), channel_versions: { a: 3, b: 1 } }, meta, { a: 3 });
  await s.putWrites(c3, [['__interrupt__', [{ value: 'approve?' }]]], 'task-3');
  return [c1, c2, c3].map((config) => String(config.configurable?.checkpoint_id));
}

beforeAll(async () => {
  emulator = await startPrivateCosmos();
  databaseId = uniqueDatabaseId('legacy');
});

afterAll(async () => {
  for (const client of clients) client.dispose();
  await emulator.stop();
});

describe.each(['sync', 'exit'] as const)('a graph paused at its interrupt in the old layout (durability %s)', (durability) => {
  it('when the upgraded checkpointer resumes it with Command({resume}), then the decision runs once and the write is executed', async () => {
    const threadId = `t-1:conv-legacy-${durability}:alice`;
    const before = await freshPersistence();
    const oldGraph = buildApprovalGraph({ ...before, checkpointer: oldSaver(before.containers), threadId });
    const interrupted = await oldGraph.invoke({ sql: "UPDATE orders SET status = 'x' WHERE id = 1" }, { configurable: { thread_id: threadId }, durability });
    const approvalId = interrupted.approvalId ?? '';
    expect((await itemsOf(before.containers, threadId)).map((item) => item.kind)).not.toContain('head');
    expect((await itemsOf(before.containers, threadId)).map((item) => item.kind)).toContain('channel');

    const after = await freshPersistence();
    const graph = buildApprovalGraph({ ...after, threadId });
    const paused = await graph.getState({ configurable: { thread_id: threadId } });
    expect(paused.next).toEqual(['decide']);
    expect(paused.tasks[0]?.interrupts[0]?.value).toEqual({ approvalId });
    expect((await itemsOf(after.containers, threadId)).filter((item) => item.kind === 'head')).toHaveLength(1);

    const done = await graph.invoke(new Command({ resume: { approve: true, by: 'alice' } }), { configurable: { thread_id: threadId }, durability });
    expect(done.outcome).toBe('executed');
    expect((await after.approvals.get(approvalId))?.status).toBe('executed');
    const trail = await after.audit.listByApproval(approvalId);
    expect(trail.map((e) => e.kind)).toEqual(['write.requested', 'approval.approved', 'write.executed']);
    expect((await graph.getState({ configurable: { thread_id: threadId } })).next).toEqual([]);
  });
});

describe('old-layout checkpoints after the upgrade', () => {
  it('when a thread saved in the old layout is read, then its latest checkpoint, values and pending writes are served, and list and by-id reads return every old checkpoint', async () => {
    const { containers } = await freshPersistence();
    const threadId = 'legacy-list';
    const [id1, id2, id3] = await oldLayoutThread(containers, threadId);
    const s = newSaver(containers);
    const latest = await s.getTuple({ configurable: { thread_id: threadId } });
    expect(latest?.checkpoint.id).toBe(id3);
    expect(latest?.checkpoint.channel_values).toEqual({ a: 'a3', b: 'b1' });
    expect(latest?.pendingWrites).toEqual([['task-3', '__interrupt__', [{ value: 'approve?' }]]]);
    expect(latest?.parentConfig?.configurable?.checkpoint_id).toBe(id2);

    const oldest = await newSaver(containers).getTuple({ configurable: { thread_id: threadId, checkpoint_ns: '', checkpoint_id: id1 } });
    expect(oldest?.checkpoint.channel_values).toEqual({ a: 'a1', b: 'b1' });
    expect(oldest?.pendingWrites).toEqual([['task-1', 'a', 'w-on-1']]);
    const listed: Array<[string, unknown]> = [];
    for await (const tuple of newSaver(containers).list({ configurable: { thread_id: threadId } })) listed.push([tuple.checkpoint.id, tuple.checkpoint.channel_values.a]);
    expect(listed).toEqual([[id3, 'a3'], [id2, 'a2'], [id1, 'a1']]);

    const next = { ...checkpointWith({ a: 'a4' }, 4), channel_versions: { a: 4, b: 1 } };
    const saved = await s.put(latest?.config ?? {}, next, meta, { a: 4 });
    expect((await newSaver(containers).getTuple(saved))?.checkpoint.channel_values).toEqual({ a: 'a4', b: 'b1' });
  });

  it('when two instances migrate the same thread at once, then both serve the same checkpoint and the thread has one head', async () => {
    const { containers } = await freshPersistence();
    const threadId = 'legacy-race';
    const ids = await oldLayoutThread(containers, threadId);
    const [a, b] = await Promise.all([newSaver(containers).getTuple({ configurable: { thread_id: threadId } }), newSaver(containers).getTuple({ configurable: { thread_id: threadId } })]);
    expect(a?.checkpoint.id).toBe(ids[2]);
    expect(b?.checkpoint.id).toBe(ids[2]);
    expect(a?.pendingWrites).toEqual(b?.pendingWrites);
    const heads = (await itemsOf(containers, threadId)).filter((item) => item.kind === 'head');
    expect(heads.map((head) => head.id)).toEqual([headDocId('')]);
  });

  it('when an instance that saw no head migrates after another instance migrated and moved on, then it writes nothing (the head is create-only)', async () => {
    const { containers } = await freshPersistence();
    const threadId = 'legacy-stale';
    await oldLayoutThread(containers, threadId);
    const staleHeads = new HeadStore(containers.checkpoints, new HeadCache(), 20);
    expect(await staleHeads.read(threadId, '')).toBeUndefined();

    const first = newSaver(containers);
    const latest = await first.getTuple({ configurable: { thread_id: threadId } });
    const next = { ...checkpointWith({ a: 'moved-on' }, 9), channel_versions: { a: 9, b: 1 } };
    await first.put(latest?.config ?? {}, next, meta, { a: 9 });

    const legacy = new LegacyLayout(containers.checkpoints);
    const codec = new CheckpointCodec(first.serde, new PayloadStore(containers.blobs));
    expect(await migrateLatestLegacy({ container: containers.checkpoints, legacy, heads: staleHeads, codec }, threadId, '')).toBe(true);
    const now = await newSaver(containers).getTuple({ configurable: { thread_id: threadId } });
    expect(now?.checkpoint.id).toBe(next.id);
    expect(now?.checkpoint.channel_values).toEqual({ a: 'moved-on', b: 'b1' });
  });
});
