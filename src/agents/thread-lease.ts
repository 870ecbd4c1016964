/**
 * Runs on one thread never overlap, on any instance: every run holds the thread's lease. A second
 * message waits (bounded) for the first to finish, then gets THREAD.BUSY. The lease is short and
 * renewed while its run is alive, so a crashed instance blocks the thread for one TTL at most.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors';
import type { Lease, LeaseStore } from '../persistence/ports';
import type { Logger } from '../logging';

export interface LeaseOptions {
  /** How long a lease lives if its holder dies without releasing it; renewed every third of it. */
  ttlMs: number;
  /** How long a second run waits for the lease before THREAD.BUSY. */
  waitMs: number;
  pollMs: number;
}

export const DEFAULT_LEASE_OPTIONS: LeaseOptions = { ttlMs: 30_000, waitMs: 20_000, pollMs: 250 };

export async function withThreadLease<T>(
  leases: LeaseStore,
  threadId: string,
  instanceId: string,
  options: LeaseOptions,
  logger: Logger,
  run: () => Promise<T>,
): Promise<T> {
  const key = `thread:${threadId}`;
  const owner = `${instanceId}:${randomUUID()}`;
  const deadline = Date.now() + options.waitMs;
  let lease = await leases.acquire(key, owner, options.ttlMs);
  while (!lease) {
    if (Date.now() >= deadline) throw new AppError('THREAD.BUSY', `thread ${threadId} is leased by another run`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
    lease = await leases.acquire(key, owner, options.ttlMs);
  }
  const renewal = keepRenewed(leases, lease, options.ttlMs, logger);
  try {
    return await run();
  } finally {
    const current = await renewal.stop();
    await leases.release(current).catch((error: unknown) => logger.warn({ err: error, key }, 'thread lease release failed; it will expire'));
  }
}

/**
 * Renews every third of the TTL, one renewal at a time: overlapping renewals would race each other's
 * ETags (and look like a lost lease), and a renewal still in flight when the run ends would re-create
 * the lease after its release. `stop()` waits for the one in flight and hands back the newest lease.
 */
function keepRenewed(leases: LeaseStore, first: Lease, ttlMs: number, logger: Logger): { stop(): Promise<Lease> } {
  let current = first;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    timer = setTimeout(() => {
      inFlight = leases
        .acquire(current.key, current.owner, ttlMs)
        .then((renewed) => {
          if (renewed) current = renewed;
          else logger.warn({ key: current.key }, 'thread lease lost to another run while this one was still going');
        })
        .catch((error: unknown) => logger.warn({ err: error, key: current.key }, 'thread lease renewal failed; retrying'))
        .finally(() => {
          if (!stopped) schedule();
        });
    }, Math.max(1, Math.floor(ttlMs / 3)));
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
      return current;
    },
  };
}
