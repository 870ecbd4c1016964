/**
 * Runs on one thread never overlap, on any instance: every run holds the thread's lease. A second
 * message waits (bounded) for the first to finish, then gets THREAD.BUSY.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors';
import type { LeaseStore } from '../persistence/ports';
import type { Logger } from '../logging';

export interface LeaseOptions {
  /** How long a lease lives if its holder dies without releasing it. */
  ttlMs: number;
  /** How long a second run waits for the lease before THREAD.BUSY. */
  waitMs: number;
  pollMs: number;
}

export const DEFAULT_LEASE_OPTIONS: LeaseOptions = { ttlMs: 5 * 60_000, waitMs: 20_000, pollMs: 250 };

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
  try {
    return await run();
  } finally {
    await leases.release(lease).catch((error: unknown) => logger.warn({ err: error, key }, 'thread lease release failed; it will expire'));
  }
}
