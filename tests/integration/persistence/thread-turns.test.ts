import type { CosmosClient } from '@azure/cosmos';
import { emptyCheckpoint, uuid6, type Checkpoint } from '@langchain/langgraph-checkpoint';
import type { RunningEmulator } from '../../../emulators/shared/types';
import type { CosmosEmulatorInfo } from '../../../emulators/cosmos/server';
import { hasCode } from '../../../src/errors';
import { LEASE_ITEM_ID, seenItemId } from '../../../src/persistence/checkpointer/thread-turns';
import { createCosmosClient } from '../../../src/persistence/cosmos-client';
import { createPersistence, type Persistence } from '../../../src/persistence/persistence';
import type { Lease } from '../../../src/persistence/ports';
import { cosmosConfigFor, startPrivateCosmos, uniqueDatabaseId } from '../../support/cosmos-emulator';

/**
 * The thread lease, the activity marker and the head in the thread's partition: one claim batch and
 * one commit batch per turn (src/persistence/checkpointer/thread-turns.ts), on two instances that
 * share one database.
 */
let emulator: RunningEmulator<CosmosEmulatorInfo>;
const clients: CosmosClient[] = [];
let a: Persistence;
let b: Persistence;

beforeAll(async () => {
  emulator = await startPrivateCosmos();
  const databaseId = uniqueDatabaseId('turns');
  for (let i = 0; i < 2; i += 1) clients.push(createCosmosClient(cosmosConfigFor(emulator.info, databaseId)));
  a = await createPersistence(clients[0] as CosmosClient, databaseId);
  b = await createPersistence(clients[1] as CosmosClient, databaseId);
});

afterAll(async () => {
  for (const client of clients) client.dispose();
  await emulator.stop();
});

const checkpointOf = (value: string): Checkpoint => ({ ...emptyCheckpoint(), id: uuid6(-1), channel_values: { answer: value }, channel_versions: { answer: 1 } });

async function put(p: Persistence, threadId: string, value: string): Promise<string> {
  const checkpoint = checkpointOf(value);
  const parent = await p.checkpointer.getTuple({ configurable: { thread_id: threadId } });
  const config = { configurable: { thread_id: threadId, checkpoint_ns: '', ...(parent ? { checkpoint_id: parent.checkpoint.id } : {}) } };
  await p.checkpointer.put(config, checkpoint, { source: 'loop', step: 1, parents: {} }, { answer: 1 });
  return checkpoint.id;
}

const latest = async (p: Persistence, threadId: string): Promise<unknown> =>
  (await p.checkpointer.getTuple({ configurable: { thread_id: threadId } }))?.checkpoint.channel_values.answer;

const claimed = (result: Awaited<ReturnType<Persistence['leases']['beginTurn']>>): Lease => {
  if (result.kind !== 'claimed') throw new Error(`expected a claim, got ${result.kind}`);
  return result.lease;
};

describe('a turn claimed and committed beside the thread head', () => {
  it('when a turn claims, saves a checkpoint and ends, then the checkpoint is saved and the lease is free (the next turn claims at once)', async () => {
    const lease = claimed(await a.leases.beginTurn('t-basic', 'run-1', 10_000, 'activity:c:1'));
    await put(a, 't-basic', 'first');
    expect(await b.checkpointer.getTuple({ configurable: { thread_id: 't-basic' } })).toBeUndefined();
    await a.leases.endTurn(lease);
    expect(await latest(b, 't-basic')).toBe('first');
    const next = claimed(await b.leases.beginTurn('t-basic', 'run-2', 10_000, 'activity:c:2'));
    await put(b, 't-basic', 'second');
    await b.leases.endTurn(next);
    expect(await latest(a, 't-basic')).toBe('second');
  });

  it('when two instances claim one activity at the same time (30 trials), then exactly one claims it and the other is told it is a redelivery, also after the first ended', async () => {
    let exactlyOne = 0;
    for (let trial = 0; trial < 30; trial += 1) {
      const key = `activity:conv:${trial}`;
      const [x, y] = await Promise.all([a.leases.beginTurn(`t-dedupe-${trial}`, 'run-a', 10_000, key), b.leases.beginTurn(`t-dedupe-${trial}`, 'run-b', 10_000, key)]);
      const kinds = [x.kind, y.kind].sort();
      if (kinds[0] === 'claimed' && kinds[1] === 'duplicate') exactlyOne += 1;
      const winner = x.kind === 'claimed' ? x : y;
      if (winner.kind === 'claimed') await (x.kind === 'claimed' ? a : b).leases.endTurn(winner.lease);
      expect((await b.leases.beginTurn(`t-dedupe-${trial}`, 'run-c', 10_000, key)).kind).toBe('duplicate');
    }
    expect(exactlyOne).toBe(30);
  }, 60_000);

  it('when two instances claim one thread for different activities at the same time (30 trials), then one holds it and the other is busy until the holder ends', async () => {
    let oneHolder = 0;
    for (let trial = 0; trial < 30; trial += 1) {
      const threadId = `t-lease-${trial}`;
      const [x, y] = await Promise.all([a.leases.beginTurn(threadId, 'run-a', 10_000, `activity:a:${trial}`), b.leases.beginTurn(threadId, 'run-b', 10_000, `activity:b:${trial}`)]);
      const kinds = [x.kind, y.kind].sort();
      if (kinds[0] === 'busy' && kinds[1] === 'claimed') oneHolder += 1;
      const [holder, holderStore] = x.kind === 'claimed' ? [x, a] : [y, b];
      expect((await a.leases.beginTurn(threadId, 'run-c', 10_000)).kind).toBe('busy');
      if (holder.kind === 'claimed') await holderStore.leases.endTurn(holder.lease);
      const after = claimed(await a.leases.beginTurn(threadId, 'run-c', 10_000));
      await a.leases.endTurn(after);
    }
    expect(oneHolder).toBe(30);
  }, 60_000);

  it('when a lease expired and another run took the thread over, then the first run\'s commit fails with STORAGE.CONFLICT and changes nothing', async () => {
    const first = claimed(await a.leases.beginTurn('t-takeover', 'run-1', 1, 'activity:x:1'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = claimed(await b.leases.beginTurn('t-takeover', 'run-2', 10_000, 'activity:x:2'));
    const lostId = await put(a, 't-takeover', 'stale');
    const error = await a.leases.endTurn(first).catch((e: unknown) => e);
    expect(hasCode(error, 'STORAGE.CONFLICT')).toBe(true);
    const { container } = { container: a.containers.checkpoints };
    expect((await container.item(LEASE_ITEM_ID, 't-takeover').read<{ owner: string }>()).resource?.owner).toBe('run-2');
    expect(await b.checkpointer.getTuple({ configurable: { thread_id: 't-takeover' } })).toBeUndefined();
    expect(await b.checkpointer.getTuple({ configurable: { thread_id: 't-takeover', checkpoint_id: lostId } })).toBeUndefined();
    await put(b, 't-takeover', 'fresh');
    await b.leases.endTurn(second);
    expect(await latest(a, 't-takeover')).toBe('fresh');
  });

  it('when the head was changed behind a turn (If-Match), then the commit fails with STORAGE.CONFLICT and the other writer\'s head stays', async () => {
    await put(a, 't-ifmatch', 'before');
    const turn = claimed(await a.leases.beginTurn('t-ifmatch', 'run-1', 10_000));
    await put(b, 't-ifmatch', 'behind the lease');
    await put(a, 't-ifmatch', 'turn');
    const error = await a.leases.endTurn(turn).catch((e: unknown) => e);
    expect(hasCode(error, 'STORAGE.CONFLICT')).toBe(true);
    expect(await latest(a, 't-ifmatch')).toBe('behind the lease');
    expect((await a.containers.checkpoints.item(LEASE_ITEM_ID, 't-ifmatch').read()).resource).toBeDefined();
  });

  it('when a new thread\'s head was created behind a turn, then the turn\'s create-only commit fails with STORAGE.CONFLICT', async () => {
    const turn = claimed(await a.leases.beginTurn('t-create', 'run-1', 10_000));
    await put(b, 't-create', 'behind the lease');
    await put(a, 't-create', 'turn');
    expect(hasCode(await a.leases.endTurn(turn).catch((e: unknown) => e), 'STORAGE.CONFLICT')).toBe(true);
    expect(await latest(a, 't-create')).toBe('behind the lease');
  });

  it('when the thread is reset within a turn, then the lease and the activity markers outlive the thread\'s checkpoints', async () => {
    const first = claimed(await a.leases.beginTurn('t-reset', 'run-1', 10_000, 'activity:r:1'));
    await put(a, 't-reset', 'kept until reset');
    await a.leases.endTurn(first);
    const lease = claimed(await a.leases.beginTurn('t-reset', 'run-2', 10_000, 'activity:r:2'));
    await a.checkpointer.deleteThread('t-reset');
    await a.leases.endTurn(lease);
    expect(await latest(b, 't-reset')).toBeUndefined();
    expect((await a.containers.checkpoints.item(seenItemId('activity:r:1'), 't-reset').read()).resource).toBeDefined();
    expect((await b.leases.beginTurn('t-reset', 'run-3', 10_000, 'activity:r:2')).kind).toBe('duplicate');
  });
});
