/**
 * The limiter interface of the Genie clients: every Genie POST first takes a slot. The bot's
 * implementation is the budget shared by all instances (`genie-budget.ts`); the tests also use a
 * per-process one (`tests/support/genie-rate-limiter.ts`).
 */

export interface LimiterStats {
  granted: number;
  rejected: number;
  /** Queue waits of the latest granted slots (at most 1,000), in ms, in grant order. */
  waitsMs: number[];
  p95WaitMs: number;
}

export interface RateTicket {
  waitedMs: number;
  /** Call when the POST has been answered (or failed); the slot then counts from that moment. */
  sent(): void;
}

export interface GenieRateLimiter {
  /** Waits for a POST slot. Throws RATE_LIMITED (details.retryAfterSeconds) when the wait would exceed the bound. */
  acquire(signal?: AbortSignal): Promise<RateTicket>;
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
