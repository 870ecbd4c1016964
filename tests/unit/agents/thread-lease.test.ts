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
});
