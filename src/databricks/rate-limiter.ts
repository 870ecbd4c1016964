/**
 * The workspace-wide Genie POST limiter: at most N POSTs leave this process per rolling window
 * (Genie allows about 5 questions per minute per workspace and does no retries). Callers queue for
 * a slot; a caller whose slot is further away than the bounded wait is refused at once with
 * DATABRICKS.RATE_LIMITED. It is shared by every user and holds no identity: only timestamps.
 */
import { AppError } from '../errors';

export interface GenieRateLimiterOptions {
  postsPerMinute: number;
  /** The rolling window; one minute unless a test shortens it. */
  windowMs?: number;
  /** Longest time a caller may queue before being refused with RATE_LIMITED. Default 120 s. */
  maxQueueWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface LimiterStats {
  granted: number;
  rejected: number;
  /** Queue waits of the latest granted slots (at most 1,000), in ms, in grant order. */
  waitsMs: number[];
  p95WaitMs: number;
}

export interface GenieRateLimiter {
  /** Waits for a POST slot. Throws RATE_LIMITED (details.retryAfterSeconds) when the wait would exceed the bound. */
  acquire(signal?: AbortSignal): Promise<{ waitedMs: number }>;
  /** After a server 429: no slot is handed out before `retryAfterMs` from now. */
  backOff(retryAfterMs: number): void;
  stats(): LimiterStats;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

const MAX_RECORDED_WAITS = 1000;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function abortable(sleep: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return sleep;
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    sleep.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export function createGenieRateLimiter(options: GenieRateLimiterOptions): GenieRateLimiter {
  if (!Number.isInteger(options.postsPerMinute) || options.postsPerMinute < 1) {
    throw new AppError('CONFIG.INVALID', 'Genie postsPerMinute must be a positive integer.');
  }
  const limit = options.postsPerMinute;
  const windowMs = options.windowMs ?? 60_000;
  const maxWaitMs = options.maxQueueWaitMs ?? 120_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  /** Dispatch times handed out (past or future), ascending. */
  let slots: number[] = [];
  let blockedUntil = 0;
  const waits: number[] = [];
  let granted = 0;
  let rejected = 0;

  function nextSlot(at: number): number {
    slots = slots.filter((t) => t > at - windowMs);
    const gate = slots.length >= limit ? slots[slots.length - limit]! + windowMs : at;
    return Math.max(at, gate, blockedUntil);
  }

  return {
    async acquire(signal) {
      signal?.throwIfAborted();
      const at = now();
      const slot = nextSlot(at);
      const waitMs = slot - at;
      if (waitMs > maxWaitMs) {
        rejected += 1;
        throw new AppError('DATABRICKS.RATE_LIMITED', `Genie queue wait of ${waitMs} ms exceeds the ${maxWaitMs} ms bound.`, {
          details: { retryAfterSeconds: Math.ceil(waitMs / 1000), queueWaitMs: waitMs },
        });
      }
      slots.push(slot);
      slots.sort((a, b) => a - b);
      if (waitMs > 0) {
        try {
          await abortable(sleep(waitMs), signal);
        } catch (error) {
          const index = slots.indexOf(slot);
          if (index >= 0) slots.splice(index, 1);
          throw error;
        }
      }
      granted += 1;
      waits.push(waitMs);
      if (waits.length > MAX_RECORDED_WAITS) waits.shift();
      return { waitedMs: waitMs };
    },
    backOff(retryAfterMs) {
      blockedUntil = Math.max(blockedUntil, now() + Math.max(0, retryAfterMs));
    },
    stats() {
      return { granted, rejected, waitsMs: [...waits], p95WaitMs: percentile(waits, 95) };
    },
  };
}
