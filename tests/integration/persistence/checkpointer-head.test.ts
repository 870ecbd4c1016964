/**
 * The thread-head checkpointer against the Cosmos emulator through a counting proxy (the bench's):
 * round trips per load and per save, cross-instance head updates (If-Match), history pruning, and
 * writes of checkpoints that are no longer the head.
 */
import type { CosmosClient } from '@azure/cosmos';
import { emptyCheckpoint, uuid6, type Checkpoint } from '@langchain/langgraph-checkpoint';
import { startCosmosProxy, type CosmosCountingProxy } from '../../../bench/cosmos-proxy';
import type { CosmosEmulatorInfo } from '../../../emulators/cosmos/server';
import { ensureDevCa } from '../../../emulators/shared/dev-ca';
import type { RunningEmulator } from '../../../emulators/shared/types';
import { CosmosCheckpointSaver } from '../../../src/persistence/checkpointer/cosmos-checkpoint-saver';
import { checkpointDocId } from '../../../src/persistence/checkpointer/documents';
import { PRUNED_TTL_SECONDS } from '../../../src/persistence/checkpointer/head-store';
import { createCosmosClient } from '../../../src/persistence/cosmos-client';
import { ensureContainers, type Containers } from '../../../src/persistence/containers';
import { cosmosConfigFor, startPrivateCosmos, uniqueDatabaseId } from '../../support/cosmos-emulator';

let emulator: RunningEmulator<CosmosEmulatorInfo>;
let proxy: CosmosCountingProxy;
let direct: CosmosClient;
let viaProxy: CosmosClient;
let databaseId: string;
let containers: Containers;
let counted: Containers;
const meta = { source: 'loop' as const, step: 1, parents: {} };

function checkpointWith(values: Record<string, unknown>): Checkpoint {
  return { ...emptyCheckpoint(), id: uuid6(-3), channel_values: values, channel_versions: Object.fromEntries(Object.keys(values).map((k) => [k, 1])) };
}

const saver = (c: Containers, historyLimit?: number): CosmosCheckpointSaver =>
  new CosmosCheckpointSaver({ checkpoints: c.checkpoints, blobs: c.blobs, ...(historyLimit ? { historyLimit } : {}) });

async function requestsOf(work: () => Promise<unknown>): Promise<string[]> {
  const mark = proxy.mark();
  await work();
  return proxy.since(mark, databaseId).map((r) => `${r.container}:${r.op}`);
}

beforeAll(async () => {
  emulator = await startPrivateCosmos();
  const ca = ensureDevCa();
  proxy = await startCosmosProxy(emulator.info.endpoint, { cert: ca.serverCertPem, key: ca.serverKeyPem, caCertPath: ca.caCertPath });
  databaseId = uniqueDatabaseId('head');
  direct = createCosmosClient(cosmosConfigFor(emulator.info, databaseId));
  viaProxy = createCosmosClient(cosmosConfigFor({ ...emulator.info, endpoint: proxy.endpoint }, databaseId));
  containers = await ensureContainers(direct, databaseId);
  counted = await ensureContainers(viaProxy, databaseId);
});

afterAll(async () => {
  direct.dispose();
  viaProxy.dispose();
  await proxy.stop();
  await emulator.stop();
});

describe('thread-head checkpointer', () => {
  it('when a thread is loaded by a fresh instance, then it is one point read; a put after it is one transactional batch; a write is one replace', async () => {
    const threadId = 'head-counts';
    const writer = saver(containers);
    const first = await writer.put({ configurable: { thread_id: threadId } }, checkpointWith({ messages: ['hi'] }), meta, { messages: 1 });

    const instance = saver(counted);
    let loaded: Awaited<ReturnType<CosmosCheckpointSaver['getTuple']>>;
    expect(await requestsOf(async () => (loaded = await instance.getTuple({ configurable: { thread_id: threadId } })))).toEqual(['checkpoints:read']);
    expect(loaded?.checkpoint.channel_values).toEqual({ messages: ['hi'] });
    const next = { ...checkpointWith({ messages: ['hi', 'there'] }), channel_versions: { messages: 2 } };
    let saved = first;
    expect(await requestsOf(async () => (saved = await instance.put(first, next, meta, { messages: 2 })))).toEqual(['checkpoints:batch']);
    expect(await requestsOf(() => instance.putWrites(saved, [['__interrupt__', [{ value: 'approve?' }]]], 'task-1'))).toEqual(['checkpoints:replace']);
    const latest = await saver(containers).getTuple({ configurable: { thread_id: threadId } });
    expect(latest?.checkpoint.id).toBe(next.id);
    expect(latest?.parentConfig?.configurable?.checkpoint_id).toBe(first.configurable?.checkpoint_id);
    expect(latest?.pendingWrites).toEqual([['task-1', '__interrupt__', [{ value: 'approve?' }]]]);
  });

  // The SDK (4.9.3) asks for a query plan before every item query: the look-up for old-layout items costs 2.
  it('when a brand-new thread is read, then it is the head point read and one query (with its plan) for old-layout items, and nothing is written', async () => {
    let loaded: Awaited<ReturnType<CosmosCheckpointSaver['getTuple']>>;
    expect(await requestsOf(async () => (loaded = await saver(counted).getTuple({ configurable: { thread_id: 'head-brand-new' } })))).toEqual(['checkpoints:read', 'checkpoints:query-plan', 'checkpoints:query']);
    expect(loaded).toBeUndefined();
  });

  it('when another instance moved the head (stale ETag), then the put reads the head again, and the other instance’s writes survive', async () => {
    const threadId = 'head-two-instances';
    const a = saver(containers);
    const b = saver(containers);
    const c1 = await a.put({ configurable: { thread_id: threadId } }, checkpointWith({ x: 1 }), meta, { x: 1 });
    await b.getTuple({ configurable: { thread_id: threadId } });
    const cp2 = checkpointWith({ x: 2 });
    const c2 = await b.put(c1, cp2, meta, { x: 2 });
    await b.putWrites(c2, [['x', 'pending-from-b']], 'task-b');
    const cp3 = checkpointWith({ x: 3 });
    await a.put(c1, cp3, meta, { x: 3 });

    const fresh = saver(containers);
    expect((await fresh.getTuple({ configurable: { thread_id: threadId } }))?.checkpoint.id).toBe(cp3.id);
    expect((await fresh.getTuple(c2))?.pendingWrites).toEqual([['task-b', 'x', 'pending-from-b']]);
    const ids: string[] = [];
    for await (const tuple of fresh.list({ configurable: { thread_id: threadId } })) ids.push(tuple.checkpoint.id);
    expect(ids).toEqual([cp3.id, cp2.id, c1.configurable?.checkpoint_id]);
  });

  it('when more checkpoints than the history limit are put, then only the last N are listed and loadable, and the pruned ones are expiring tombstones', async () => {
    const threadId = 'head-prune';
    const s = saver(containers, 3);
    let config = { configurable: { thread_id: threadId } } as Awaited<ReturnType<CosmosCheckpointSaver['put']>>;
    const ids: string[] = [];
    for (let step = 1; step <= 6; step += 1) {
      const checkpoint = { ...checkpointWith({ step }), channel_versions: { step } };
      config = await s.put(config, checkpoint, { ...meta, step }, { step });
      ids.push(checkpoint.id);
    }
    const listed: string[] = [];
    for await (const tuple of saver(containers, 3).list({ configurable: { thread_id: threadId } })) listed.push(tuple.checkpoint.id);
    expect(listed).toEqual(ids.slice(3).reverse());
    expect((await s.getTuple({ configurable: { thread_id: threadId } }))?.checkpoint.channel_values).toEqual({ step: 6 });
    expect(await s.getTuple({ configurable: { thread_id: threadId, checkpoint_ns: '', checkpoint_id: ids[0] } })).toBeUndefined();
    const { resource: tombstone } = await containers.checkpoints.item(checkpointDocId('', ids[0] ?? ''), threadId).read<{ kind: string; ttl: number }>();
    expect(tombstone).toMatchObject({ kind: 'pruned', ttl: PRUNED_TTL_SECONDS });
  });

  it('when writes go to a checkpoint after the head moved on, then that checkpoint has its sealed and its later writes, and the head none', async () => {
    const threadId = 'head-old-writes';
    const s = saver(containers);
    const c1 = await s.put({ configurable: { thread_id: threadId } }, checkpointWith({ x: 1 }), meta, { x: 1 });
    await s.putWrites(c1, [['x', 'first']], 'task-1');
    await s.put(c1, checkpointWith({ x: 2 }), meta, { x: 2 });
    await s.putWrites(c1, [['x', 'late']], 'task-2');
    await s.putWrites(c1, [['x', 'ignored duplicate']], 'task-1');
    const fresh = saver(containers);
    expect((await fresh.getTuple(c1))?.pendingWrites).toEqual([
      ['task-1', 'x', 'first'],
      ['task-2', 'x', 'late'],
    ]);
    expect((await fresh.getTuple({ configurable: { thread_id: threadId } }))?.pendingWrites).toEqual([]);
  });

  it('when the history limit is not a positive integer, then the saver refuses to start with a clear error', () => {
    expect(() => saver(containers, 0.5)).toThrow(/historyLimit must be a positive integer/);
  });
});
