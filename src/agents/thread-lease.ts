/**
 * Runs on one thread never overlap, on any instance: every run holds the thread's lease. A second
 * message waits (bounded) for the first to finish, then gets THREAD.BUSY. The lease is short and
 * renewed while its run is alive, so a crashed instance blocks the thread for one TTL at most.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors';
import { isTurnLeaseStore, type Lease, type LeaseStore } from '../persistence/ports';
import type { Logger } from '../logging';

export interface LeaseOptions {
  /** How long a lease lives if its holder dies without releasing it; renewed every third of it. */
  ttlMs: number;
  /** How long a second run waits for the lease before THREAD.BUSY. */
  waitMs: number;
  pollMs: number;
}

export const DEFAULT_LEASE_OPTIONS: LeaseOptions = { ttlMs: 30_000, waitMs: 20_000, pollMs: 250 };

/** A lease taken before the run started (the message's claim, see `claimThreadTurn`). */
export interface ClaimedTurn {
  lease: Lease;
}

/**
 * Takes the thread's lease (and, with a turn-carrying store, the thread's head and the activity's
 * marker in the same write), or reports the activity as a redelivery. Busy threads are not waited
 * for here: the run waits later, in `withThreadLease`.
 */
export async function claimThreadTurn(
  leases: LeaseStore,
  threadId: string,
  instanceId: string,
  options: LeaseOptions,
  activityKey: string,
): Promise<{ kind: 'claimed'; claim: ClaimedTurn } | { kind: 'busy' } | { kind: 'duplicate' }> {
  if (!isTurnLeaseStore(leases)) throw new AppError('INTERNAL.UNEXPECTED', 'this lease store cannot claim activities (it has no beginTurn)');
  const result = await leases.beginTurn(threadId, ownerOf(instanceId), options.ttlMs, activityKey);
  return result.kind === 'claimed' ? { kind: 'claimed', claim: { lease: result.lease } } : result;
}

const ownerOf = (instanceId: string): string => `${instanceId}:${randomUUID()}`;

export async function withThreadLease<T>(
  leases: LeaseStore,
  threadId: string,
  instanceId: string,
  options: LeaseOptions,
  logger: Logger,
  run: () => Promise<T>,
  claimed?: ClaimedTurn,
): Promise<T> {
  const key = `thread:${threadId}`;
  const turns = isTurnLeaseStore(leases) ? leases : undefined;
  const deadline = Date.now() + options.waitMs;
  const take = async (owner: string): Promise<Lease | undefined> => {
    if (!turns) return leases.acquire(key, owner, options.ttlMs);
    const result = await turns.beginTurn(threadId, owner, options.ttlMs);
    return result.kind === 'claimed' ? result.lease : undefined;
  };
  let lease = claimed?.lease;
  if (!lease) {
    const owner = ownerOf(instanceId);
    lease = await take(owner);
    while (!lease) {
      if (Date.now() >= deadline) throw new AppError('THREAD.BUSY', `thread ${threadId} is leased by another run`);
      await new Promise((resolve) => setTimeout(resolve, options.pollMs));
      lease = await take(owner);
    }
  }
  const renewal = keepRenewed(leases, lease, options.ttlMs, logger);
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await run() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const current = await renewal.stop();
  if (turns) {
    // The turn's checkpoint is committed with the release: a failure here means the turn was not saved.
    try {
      await turns.endTurn(current);
    } catch (error) {
      if (outcome.ok) throw error;
      logger.warn({ err: error, key }, 'turn commit failed after the run failed');
    }
  } else {
    await leases.release(current).catch((error: unknown) => logger.warn({ err: error, key }, 'thread lease release failed; it will expire'));
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
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
