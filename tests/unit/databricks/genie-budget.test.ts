import { type BudgetStore, createSharedGenieBudget } from '../../../src/databricks/genie-budget';
import { type BudgetState, emptyBudget } from '../../../src/databricks/genie-budget-state';
import { inMemoryBudgetStore } from '../../fakes/in-memory-budget-store';

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await settle();
  if (!check()) throw new Error('condition not reached');
}

describe('shared Genie budget', () => {
  it('when nobody waits, then a POST slot costs one read and one write', async () => {
    const store = inMemoryBudgetStore();
    const budget = createSharedGenieBudget({ store, postsPerWindow: 5, windowMs: 60_000, maxQueuedPerUser: 3, maxQueueWaitMs: 120_000 });
    const ticket = await budget.forUser('alice').acquire();
    expect(ticket.waitedMs).toBeLessThan(1000);
    expect({ reads: store.reads, writes: store.writes }).toEqual({ reads: 1, writes: 1 });
    expect(store.current().grants).toHaveLength(1);
  });

  it('when every write loses its race (other instances keep winning), then the acquire is refused at the queue-wait bound instead of retrying for ever', async () => {
    let clock = 1_000_000;
    let writes = 0;
    const store: BudgetStore = {
      async read() {
        await new Promise((resolve) => setImmediate(resolve)); // a real round trip: without the bound, the test times out instead of hanging
        clock += 1_000; // each round trip, another instance's write landed first
        return { state: emptyBudget(), etag: `v${clock}` };
      },
      async write() {
        writes += 1;
        return false;
      },
    };
    const budget = createSharedGenieBudget({ store, postsPerWindow: 5, windowMs: 60_000, maxQueuedPerUser: 3, maxQueueWaitMs: 30_000, now: () => clock });
    await expect(budget.forUser('alice').acquire()).rejects.toMatchObject({ code: 'DATABRICKS.RATE_LIMITED' });
    expect(writes).toBeGreaterThan(20);
    expect(writes).toBeLessThanOrEqual(31);
  });

  it("when the last-seen version is stale and shows the person's queue full, then it reads fresh before refusing and grants the free slot", async () => {
    const at = Date.now();
    const stale: BudgetState = {
      ...emptyBudget(),
      grants: [at],
      queue: [1, 2].map((seq) => ({ id: `t${seq}`, user: 'alice', enqueuedAt: at, expiresAt: at + 600_000, round: 0, seq })),
      seq: 2,
    };
    let current: BudgetState = emptyBudget();
    const freshReads: boolean[] = [];
    const store: BudgetStore = {
      async read(options) {
        freshReads.push(options?.fresh === true);
        return options?.fresh ? { state: structuredClone(current), etag: 'v2' } : { state: structuredClone(stale), etag: 'v1' };
      },
      async write(next, etag) {
        if (etag !== 'v2') return false;
        current = structuredClone(next);
        return true;
      },
    };
    const budget = createSharedGenieBudget({ store, postsPerWindow: 1, windowMs: 60_000, maxQueuedPerUser: 2, maxQueueWaitMs: 600_000 });
    await budget.forUser('alice').acquire();
    expect(current.grants).toHaveLength(1);
    expect(freshReads).toEqual([false, true]);
  });

  it('when a person already has the most questions waiting, then the next is refused with GENIE.QUEUE_FULL naming how many', async () => {
    const store = inMemoryBudgetStore();
    const budget = createSharedGenieBudget({ store, postsPerWindow: 1, windowMs: 60_000, maxQueuedPerUser: 2, maxQueueWaitMs: 600_000 });
    const alice = budget.forUser('alice');
    await alice.acquire();
    const stop = new AbortController();
    const waiting = [alice.acquire(stop.signal), alice.acquire(stop.signal)];
    waiting.forEach((w) => w.catch(() => undefined));
    await until(() => store.current().queue.length === 2);

    await expect(alice.acquire()).rejects.toMatchObject({ code: 'GENIE.QUEUE_FULL', userMessage: expect.stringContaining('You have 2 questions waiting'), details: { waiting: 2, cap: 2 } });
    const bob = budget.forUser('bob').acquire(stop.signal);
    bob.catch(() => undefined);
    await until(() => store.current().queue.length === 3);
    waiting.push(bob);
    stop.abort(new Error('test over'));
    await Promise.allSettled(waiting);
    await until(() => store.current().queue.length === 0);
  });

  it('when the wait would exceed the bound, then the caller is refused at once with RATE_LIMITED and nothing is queued', async () => {
    const store = inMemoryBudgetStore();
    const budget = createSharedGenieBudget({ store, postsPerWindow: 1, windowMs: 60_000, maxQueuedPerUser: 3, maxQueueWaitMs: 30_000 });
    await budget.forUser('alice').acquire();
    await expect(budget.forUser('bob').acquire()).rejects.toMatchObject({ code: 'DATABRICKS.RATE_LIMITED', details: { retryAfterSeconds: expect.any(Number) } });
    expect(store.current().queue).toEqual([]);
  });

  it('when a waiting question is cancelled, then its ticket leaves the shared queue', async () => {
    const store = inMemoryBudgetStore();
    const budget = createSharedGenieBudget({ store, postsPerWindow: 1, windowMs: 60_000, maxQueuedPerUser: 3, maxQueueWaitMs: 120_000 });
    await budget.forUser('alice').acquire();
    const stop = new AbortController();
    const waiting = budget.forUser('bob').acquire(stop.signal);
    await until(() => store.current().queue.length === 1);
    stop.abort(new Error('turn cancelled'));
    await expect(waiting).rejects.toThrow('turn cancelled');
    await until(() => store.current().queue.length === 0);
  });

  it('when the settings are not positive whole numbers, then the budget refuses to start with CONFIG.INVALID', () => {
    const store = inMemoryBudgetStore();
    expect(() => createSharedGenieBudget({ store, postsPerWindow: 0, windowMs: 60_000, maxQueuedPerUser: 3, maxQueueWaitMs: 1 })).toThrow(expect.objectContaining({ code: 'CONFIG.INVALID' }));
    expect(() => createSharedGenieBudget({ store, postsPerWindow: 5, windowMs: 60_000, maxQueuedPerUser: 1.5, maxQueueWaitMs: 1 })).toThrow(expect.objectContaining({ code: 'CONFIG.INVALID' }));
  });
});
