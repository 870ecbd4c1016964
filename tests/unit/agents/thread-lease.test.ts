import { withThreadLease } from '../../../src/agents/thread-lease';
import { silentLogger } from '../../../src/logging';
import { InMemoryLeaseStore } from '../../fakes/in-memory-leases';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const options = { ttlMs: 90, waitMs: 40, pollMs: 10 };

describe('withThreadLease', () => {
  it('when a run outlives the lease TTL, then renewal keeps a second run out until it ends', async () => {
    const leases = new InMemoryLeaseStore();
    const first = withThreadLease(leases, 't1', 'instance-a', options, silentLogger(), () => sleep(300).then(() => 'first'));
    await sleep(200);
    await expect(withThreadLease(leases, 't1', 'instance-b', options, silentLogger(), async () => 'second')).rejects.toMatchObject({ code: 'THREAD.BUSY' });
    await expect(first).resolves.toBe('first');
    await expect(withThreadLease(leases, 't1', 'instance-b', options, silentLogger(), async () => 'third')).resolves.toBe('third');
  });

  it('when the holder died without releasing, then the thread is free again after one TTL', async () => {
    const leases = new InMemoryLeaseStore();
    await leases.acquire('thread:t2', 'crashed-instance:run', options.ttlMs);
    await expect(withThreadLease(leases, 't2', 'instance-b', options, silentLogger(), async () => 'blocked')).rejects.toMatchObject({ code: 'THREAD.BUSY' });
    await sleep(options.ttlMs + 20);
    await expect(withThreadLease(leases, 't2', 'instance-b', options, silentLogger(), async () => 'after')).resolves.toBe('after');
  });

  it('when renewals are slower than the renewal interval, then they never overlap and the lease is free once the run ends', async () => {
    const leases = new SlowRenewals(70);
    const result = await withThreadLease(leases, 't3', 'instance-a', options, silentLogger(), () => sleep(250).then(() => 'done'));
    expect(result).toBe('done');
    expect(leases.renewals).toBeGreaterThanOrEqual(2);
    expect(leases.maxConcurrentRenewals).toBe(1);
    expect(leases.isHeld('thread:t3')).toBe(false);
    await expect(withThreadLease(leases, 't3', 'instance-b', { ...options, waitMs: 0 }, silentLogger(), async () => 'next')).resolves.toBe('next');
  });
});

/** Renewals (a second acquire by the same owner) take `delayMs`, as a throttled Cosmos account would. */
class SlowRenewals extends InMemoryLeaseStore {
  renewals = 0;
  maxConcurrentRenewals = 0;
  private inFlight = 0;
  private readonly owners = new Set<string>();

  constructor(private readonly delayMs: number) {
    super();
  }

  override async acquire(key: string, owner: string, ttlMs: number) {
    if (!this.owners.has(owner)) {
      this.owners.add(owner);
      return super.acquire(key, owner, ttlMs);
    }
    this.renewals += 1;
    this.inFlight += 1;
    this.maxConcurrentRenewals = Math.max(this.maxConcurrentRenewals, this.inFlight);
    await sleep(this.delayMs);
    this.inFlight -= 1;
    return super.acquire(key, owner, ttlMs);
  }
}

