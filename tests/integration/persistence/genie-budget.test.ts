import { Item, type CosmosClient } from '@azure/cosmos';
import type { RunningEmulator } from '../../../emulators/shared/types';
import type { CosmosEmulatorInfo } from '../../../emulators/cosmos/server';
import { type BudgetStore, type SharedGenieBudget, createSharedGenieBudget } from '../../../src/databricks/genie-budget';
import { createCosmosClient } from '../../../src/persistence/cosmos-client';
import { ensureContainers } from '../../../src/persistence/containers';
import { createCosmosBudgetStore } from '../../../src/persistence/genie-budget-store';
import { cosmosConfigFor, startPrivateCosmos, uniqueDatabaseId } from '../../support/cosmos-emulator';

/** Budget of the scenario, on a scaled window (5 per 4 s instead of 5 per minute) to keep CI short. */
const LIMIT = 5;
const WINDOW_MS = 4000;
const USERS = ['u0', 'u1', 'u2', 'u3', 'u4'];
const PER_USER = 4;

let emulator: RunningEmulator<CosmosEmulatorInfo>;
const clients: CosmosClient[] = [];

beforeAll(async () => {
  emulator = await startPrivateCosmos();
});
afterAll(async () => {
  for (const client of clients) client.dispose();
  await emulator.stop();
});

/** Two bot instances: each its own Cosmos client over the same database and the same budget record. */
async function twoInstances(): Promise<{ budgets: SharedGenieBudget[]; queueLength: () => Promise<number>; record: () => ReturnType<BudgetStore['read']>; stamps: number[] }> {
  const stamps: number[] = [];
  const databaseId = uniqueDatabaseId('budget');
  const budgets: SharedGenieBudget[] = [];
  const stores: BudgetStore[] = [];
  for (let i = 0; i < 2; i += 1) {
    const client = createCosmosClient(cosmosConfigFor(emulator.info, databaseId));
    clients.push(client);
    const { leases } = await ensureContainers(client, databaseId);
    const store = recording(createCosmosBudgetStore(leases, 'adb-test:443'), stamps);
    stores.push(store);
    budgets.push(createSharedGenieBudget({ store, postsPerWindow: LIMIT, windowMs: WINDOW_MS, safetyMarginMs: 150, maxQueuedPerUser: PER_USER, maxQueueWaitMs: 60_000 }));
  }
  return { budgets, queueLength: async () => (await stores[0]!.read({ fresh: true })).state.queue.length, record: () => stores[0]!.read({ fresh: true }), stamps };
}

/**
 * Logs the time stamp of every grant a successful write added (the grant times the instances
 * believe in): if two writes from the same version both succeed, both grants are logged even
 * though the record keeps only one of them.
 */
function recording(store: BudgetStore, stamps: number[]): BudgetStore {
  const seen = new Map<string, number[]>();
  return {
    async read(options) {
      const read = await store.read(options);
      seen.set(read.etag ?? '', read.state.grants);
      return read;
    },
    async write(next, etag) {
      const written = await store.write(next, etag);
      if (written) {
        const before = [...(seen.get(etag ?? '') ?? [])];
        for (const t of next.grants) {
          const i = before.indexOf(t);
          if (i >= 0) before.splice(i, 1);
          else stamps.push(t);
        }
      }
      return written;
    },
  };
}

function maxInAnyWindow(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < sorted.length; i += 1) most = Math.max(most, sorted.filter((t) => t >= sorted[i]! && t < sorted[i]! + WINDOW_MS).length);
  return most;
}

/** For each grant of user V: how many grants each other user got since V's previous grant (all asked at the start). */
function mostServedAheadOfAQuestion(order: string[]): number {
  const since = new Map(USERS.map((u) => [u, new Map<string, number>()]));
  const left = new Map(USERS.map((u) => [u, order.filter((o) => o === u).length]));
  let worst = 0;
  for (const user of order) {
    for (const count of since.get(user)!.values()) worst = Math.max(worst, count);
    since.set(user, new Map());
    left.set(user, left.get(user)! - 1);
    for (const other of USERS) if (other !== user && left.get(other)! > 0) since.get(other)!.set(user, (since.get(other)!.get(user) ?? 0) + 1);
  }
  return worst;
}

describe('one Genie budget shared by two bot instances through Cosmos', () => {
  it(`when 5 users each queue ${PER_USER} questions, one user after the other, across two instances with the window full, then no window holds more than ${LIMIT} grants and they are served in turn`, async () => {
    const { budgets, queueLength, stamps } = await twoInstances();
    const grants: { user: string; at: number }[] = [];
    for (let i = 0; i < LIMIT; i += 1) grants.push({ user: 'filler', at: (await budgets[i % 2]!.forUser('filler').acquire(), Date.now()) });
    const asked: Promise<void>[] = [];
    let n = 0;
    for (const user of USERS) {
      for (let q = 0; q < PER_USER; q += 1) {
        const budget = budgets[n % 2]!;
        n += 1;
        asked.push(budget.forUser(user).acquire().then(() => void grants.push({ user, at: Date.now() })));
        // Questions reach the shared queue in this order (each user's burst before the next user's).
        for (let i = 0; i < 100 && (await queueLength()) + grants.length - LIMIT < n; i += 1) await new Promise((r) => setTimeout(r, 10));
      }
    }
    await Promise.all(asked);

    const order = grants.filter((g) => g.user !== 'filler').map((g) => g.user);
    console.info(`[figure] shared budget, 2 instances, 20 questions: most grants in any ${WINDOW_MS} ms window ${maxInAnyWindow(stamps)} (${stamps.length} grants written); order ${order.join(' ')}`);
    expect(grants).toHaveLength(LIMIT + USERS.length * PER_USER);
    expect(stamps).toHaveLength(LIMIT + USERS.length * PER_USER);
    expect(maxInAnyWindow(stamps)).toBeLessThanOrEqual(LIMIT);
    expect(mostServedAheadOfAQuestion(order)).toBeLessThanOrEqual(1);
  }, 60_000);

  it('when an instance grants again uncontended, then it writes from the version it last saw without reading; when the other instance wrote in between, then its stale write is refused and it reads fresh, losing no grant', async () => {
    const { budgets, stamps, record } = await twoInstances();
    const reads = jest.spyOn(Item.prototype, 'read');
    try {
      await budgets[0]!.forUser('a').acquire();
      const afterFirst = reads.mock.calls.length;
      await budgets[0]!.forUser('b').acquire();
      expect(reads.mock.calls.length).toBe(afterFirst);
      await budgets[1]!.forUser('c').acquire();
      const beforeStale = reads.mock.calls.length;
      await budgets[0]!.forUser('d').acquire();
      expect(reads.mock.calls.length).toBe(beforeStale + 1);
    } finally {
      reads.mockRestore();
    }
    expect(stamps).toHaveLength(4);
    expect((await record()).state.grants).toHaveLength(4);
  }, 60_000);

  it('when both instances race for the same free slots, then exactly the limit is granted in the window and the rest wait', async () => {
    const { budgets, stamps } = await twoInstances();
    await Promise.all(Array.from({ length: 12 }, (_, i) => budgets[i % 2]!.forUser(`r${i}`).acquire()));
    expect(stamps).toHaveLength(12);
    expect(maxInAnyWindow(stamps)).toBeLessThanOrEqual(LIMIT);
  }, 60_000);
});
