/**
 * A per-process implementation of the Genie clients' limiter interface (`src/databricks/genie-limiter.ts`),
 * for tests and harnesses only: the bot uses the budget shared by all instances (`genie-budget.ts`,
 * same interface); this one serves a single process (the Genie client tests). At most N POSTs leave this process per rolling window
 * (Genie allows about 5 questions per minute per workspace and does no retries). Callers queue in
 * FIFO order for a slot; a caller whose predicted wait exceeds the bound is refused at once with
 * DATABRICKS.RATE_LIMITED. The server counts a POST when it arrives, which we cannot see: so a POST
 * in flight counts as "now", and an answered one from its answer time (`sent()`), the latest moment
 * the server can have counted it. Dispatch jitter thus never pushes N+1 POSTs into its window. It is shared by every user and holds no identity: only timestamps.
 */
import { AppError } from '../../src/errors';
import { type GenieRateLimiter, percentile } from '../../src/databricks/genie-limiter';

export { type GenieRateLimiter, percentile };

export interface GenieRateLimiterOptions {
  postsPerMinute: number;
  /** The rolling window; one minute unless a test shortens it. */
  windowMs?: number;
  /**
   * Extra spacing added to the window, because the server counts arrival times and network
   * latency varies between requests. Default 2% of the window.
   */
  safetyMarginMs?: number;
  /** A ticket never reported `sent()` stops counting as in flight after this long. Default 120 s. */
  maxInFlightMs?: number;
  /** Longest time a caller may queue before being refused with RATE_LIMITED. Default 120 s. */
  maxQueueWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_RECORDED_WAITS = 1000;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
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
  const baseWindowMs = options.windowMs ?? 60_000;
  const windowMs = baseWindowMs + (options.safetyMarginMs ?? Math.round(baseWindowMs * 0.02));
  const maxWaitMs = options.maxQueueWaitMs ?? 120_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const maxInFlightMs = options.maxInFlightMs ?? 120_000;
  /** Granted slots: dispatch time, then the answer time once the caller reports `sent()`. */
  let granted: { t: number; answered: boolean }[] = [];
  let chain: Promise<unknown> = Promise.resolve();
  let queued = 0;
  let blockedUntil = 0;
  const waits: number[] = [];
  let grantedCount = 0;
  let rejected = 0;

  /** The time the server may have counted this POST at, as seen at `at`. */
  const effective = (g: { t: number; answered: boolean }, at: number): number =>
    g.answered ? g.t : at < g.t + maxInFlightMs ? at : g.t + maxInFlightMs;

  const gateAfter = (times: number[], at: number): number => {
    const live = times.filter((t) => t > at - windowMs).sort((a, b) => a - b);
    const gate = live.length >= limit ? live[live.length - limit]! + windowMs : at;
    return Math.max(at, gate, blockedUntil);
  };

  /** When a caller queued behind `ahead` others would be served, if nothing else changed. */
  const predictedSlot = (at: number, ahead: number): number => {
    const times = granted.map((g) => effective(g, at));
    let slot = at;
    for (let i = 0; i <= ahead; i += 1) {
      slot = gateAfter(times, Math.max(at, slot));
      times.push(slot);
    }
    return slot;
  };

  async function takeTurn(signal: AbortSignal | undefined): Promise<{ t: number; answered: boolean }> {
    for (;;) {
      signal?.throwIfAborted();
      const at = now();
      granted = granted.filter((g) => effective(g, at) > at - windowMs);
      const gate = gateAfter(granted.map((g) => effective(g, at)), at);
      if (gate <= at) {
        const slot = { t: at, answered: false };
        granted.push(slot);
        return slot;
      }
      await abortable(sleep(gate - at), signal);
    }
  }

  return {
    async acquire(signal) {
      signal?.throwIfAborted();
      const at = now();
      const waitMs = predictedSlot(at, queued) - at;
      if (waitMs > maxWaitMs) {
        rejected += 1;
        throw new AppError('DATABRICKS.RATE_LIMITED', `Genie queue wait of ${waitMs} ms exceeds the ${maxWaitMs} ms bound.`, {
          details: { retryAfterSeconds: Math.ceil(waitMs / 1000), queueWaitMs: waitMs },
        });
      }
      queued += 1;
      const turn = chain.then(() => takeTurn(signal));
      chain = turn.catch(() => undefined);
      let slot: { t: number; answered: boolean };
      try {
        slot = await abortable(turn, signal);
      } finally {
        queued -= 1;
      }
      const waitedMs = now() - at;
      grantedCount += 1;
      waits.push(waitedMs);
      if (waits.length > MAX_RECORDED_WAITS) waits.shift();
      return {
        waitedMs,
        sent: () => {
          if (slot.answered) return;
          slot.t = Math.max(slot.t, now());
          slot.answered = true;
        },
      };
    },
    backOff(retryAfterMs) {
      blockedUntil = Math.max(blockedUntil, now() + Math.max(0, retryAfterMs));
    },
    stats() {
      return { granted: grantedCount, rejected, waitsMs: [...waits], p95WaitMs: percentile(waits, 95) };
    },
  };
}
