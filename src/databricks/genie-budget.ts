/**
 * One Genie budget for every bot instance: the workspace allows about 5 questions per minute
 * whatever the number of instances (rules and fairness in `genie-budget-state.ts`). The record lives
 * in a `BudgetStore` (Cosmos, `genie-budget-store.ts`) and is changed only by conditional writes: each
 * change reads the record and its ETag, computes the next state, and writes it If-Match; on a 412
 * another instance won and the change starts over from a fresh read. Uncontended, a POST costs one
 * write (the store keeps the version it last saw; a stale one costs a 412 and a read); a question
 * that must wait also writes its ticket, re-reads when its predicted slot comes (at least every
 * `recheckMs`), and takes the slot with one more write.
 *
 * `forUser(key)` hands out a `GenieRateLimiter` for one user's turn, so the Genie clients stay as
 * they are. A user may have at most `maxQueuedPerUser` questions waiting (GENIE.QUEUE_FULL says how
 * many); a wait predicted or grown beyond `maxQueueWaitMs` is DATABRICKS.RATE_LIMITED. Each ticket
 * reports `waitedMs` (the queue-wait telemetry reads it: `src/telemetry/genie.ts`).
 */
import { createHash, randomUUID } from 'node:crypto';
import { AppError } from '../errors';
import {
  type BudgetRules,
  type BudgetState,
  blocked,
  enqueued,
  granted,
  positionOf,
  predictedSlot,
  pruned,
  retimed,
  ticketsOf,
  withdrawn,
} from './genie-budget-state';
import { type Sleep, sleepUnlessAborted, timerSleep } from './sleep';
import { type GenieRateLimiter, type LimiterStats, type RateTicket, percentile } from './genie-limiter';

export interface BudgetStore {
  /**
   * The record and its version; an empty record with no version when none exists yet. Unless `fresh`,
   * a store may answer from the version it last read or wrote (a write from it is then refused if it
   * is stale), so only a decision that ends in a write may rest on such a read.
   */
  read(options?: { fresh?: boolean }): Promise<{ state: BudgetState; etag: string | undefined }>;
  /** Writes only if the record is still at `etag` (creates it when undefined); false when another writer came first. */
  write(state: BudgetState, etag: string | undefined): Promise<boolean>;
}

export interface SharedGenieBudgetOptions {
  store: BudgetStore;
  postsPerWindow: number;
  windowMs: number;
  maxQueuedPerUser: number;
  maxQueueWaitMs: number;
  /** Added to the window: grant-to-arrival time and clock skew between instances. Default max(2 % of the window, 250 ms). */
  safetyMarginMs?: number;
  /** Longest sleep between two reads of a waiting question (it sleeps until its predicted slot otherwise). Default window / 6, within 100 ms–10 s. */
  recheckMs?: number;
  /** A head that leaves its free slot unclaimed this long is dropped (its instance died). Default max(5 s, 3 rechecks). */
  claimGraceMs?: number;
  now?: () => number;
  sleep?: Sleep;
}

export interface SharedGenieBudget {
  forUser(userKey: string): GenieRateLimiter;
  stats(): LimiterStats;
}

const WRITE_ATTEMPTS = 20;

/** The opaque key a user's tickets carry in the shared record: no object id or name is stored. */
export function budgetUserKey(user: { tenantId: string; objectId: string }): string {
  return createHash('sha256').update(`${user.tenantId}:${user.objectId}`, 'utf8').digest('base64url').slice(0, 22);
}
const MAX_RECORDED_WAITS = 1000;

export function createSharedGenieBudget(options: SharedGenieBudgetOptions): SharedGenieBudget {
  for (const [name, value] of Object.entries({ postsPerWindow: options.postsPerWindow, windowMs: options.windowMs, maxQueuedPerUser: options.maxQueuedPerUser, maxQueueWaitMs: options.maxQueueWaitMs })) {
    if (!Number.isSafeInteger(value) || value < 1) throw new AppError('CONFIG.INVALID', `Genie budget ${name} must be a positive whole number.`);
  }
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? timerSleep;
  const { store, maxQueuedPerUser, maxQueueWaitMs } = options;
  const recheckMs = options.recheckMs ?? Math.min(10_000, Math.max(100, Math.round(options.windowMs / 6)));
  const marginMs = options.safetyMarginMs ?? Math.max(250, Math.round(options.windowMs * 0.02));
  const rules: BudgetRules = {
    limit: options.postsPerWindow,
    spacingMs: options.windowMs + marginMs,
    claimGraceMs: options.claimGraceMs ?? Math.max(5000, 3 * recheckMs),
  };
  const waits: number[] = [];
  let grantedCount = 0;
  let rejected = 0;
  /** A 429's block being written; an acquire on this instance waits for it, so its retry honours it. */
  let backingOff: Promise<unknown> = Promise.resolve();

  /** Read, change, write If-Match; on a lost race read again. `change` returning undefined writes nothing. */
  async function update(change: (state: BudgetState, at: number) => BudgetState | undefined): Promise<boolean> {
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt += 1) {
      // The first attempt may use the last-seen version (a stale one is refused by If-Match); a
      // decision to write nothing is taken on a fresh read only.
      const fresh = attempt > 1;
      const { state, etag } = await store.read({ fresh });
      const at = now();
      const next = change(pruned(state, rules, at), at);
      if (!next && !fresh) continue;
      if (!next) return false;
      if (await store.write(next, etag)) return true;
    }
    throw new AppError('STORAGE.CONFLICT', `Genie budget still contended after ${WRITE_ATTEMPTS} attempts.`);
  }

  function refuse(waitMs: number): AppError {
    rejected += 1;
    return new AppError('DATABRICKS.RATE_LIMITED', `Genie queue wait of ${waitMs} ms exceeds the ${maxQueueWaitMs} ms bound.`, {
      details: { retryAfterSeconds: Math.ceil(waitMs / 1000), queueWaitMs: waitMs },
    });
  }

  function queueFull(waiting: number): AppError {
    rejected += 1;
    const questions = waiting === 1 ? 'question' : 'questions';
    return new AppError('GENIE.QUEUE_FULL', `User has ${waiting} Genie questions waiting (cap ${maxQueuedPerUser}).`, {
      userMessage: `You have ${waiting} ${questions} waiting for Genie, which is as many as I queue for one person. I did not ask this one; send it again once one of them has been answered.`,
      details: { waiting, cap: maxQueuedPerUser },
    });
  }

  function grantedTicket(started: number, stamp: number): RateTicket {
    const waitedMs = now() - started;
    grantedCount += 1;
    waits.push(waitedMs);
    if (waits.length > MAX_RECORDED_WAITS) waits.shift();
    let reported = false;
    return {
      waitedMs,
      sent: () => {
        // A grant counts from its stamp plus the margin. A POST answered later than that may have
        // arrived later too, so its stamp moves to the answer time (extra read + write only then).
        const answeredAt = now();
        if (reported || answeredAt - stamp <= marginMs) return;
        reported = true;
        void update((state) => retimed(state, stamp, answeredAt)).catch(() => undefined);
      },
    };
  }

  const pause = (ms: number, signal: AbortSignal | undefined): Promise<void> => sleepUnlessAborted(sleep, Math.max(10, Math.min(ms, recheckMs)), signal);

  async function acquire(user: string, signal: AbortSignal | undefined): Promise<RateTicket> {
    signal?.throwIfAborted();
    const started = now();
    await backingOff;
    const ticketId = randomUUID();
    let queued = false;
    // Uncontended, the last-seen version is current and the grant costs one If-Match write. A stale
    // one makes that write fail (then a fresh read); a refusal or a wait is decided on a fresh read.
    let fresh = false;
    try {
      for (;;) {
        signal?.throwIfAborted();
        const wasFresh = fresh;
        const { state: raw, etag } = await store.read({ fresh });
        fresh = true;
        const at = now();
        const state = pruned(raw, rules, at);
        const position = positionOf(state, ticketId);
        // Every path, lost write races included, ends by the bound: none spins while others keep winning.
        if (at - started > maxQueueWaitMs) throw refuse(at - started);
        if (!queued || position < 0) {
          const direct = granted(state, rules, at, { user });
          if (direct) {
            if (await store.write(direct, etag)) return grantedTicket(started, at);
            continue;
          }
          if (!wasFresh) continue;
          const waiting = ticketsOf(state, user);
          if (waiting >= maxQueuedPerUser) throw queueFull(waiting);
          const next = enqueued(state, { id: ticketId, user, enqueuedAt: at, expiresAt: at + maxQueueWaitMs + rules.claimGraceMs }, at);
          const waitMs = predictedSlot(next, rules, positionOf(next, ticketId), at) - at;
          if (at - started + waitMs > maxQueueWaitMs) throw refuse(at - started + waitMs);
          if (!(await store.write(next, etag))) continue;
          queued = true;
          await pause(waitMs, signal);
          continue;
        }
        const next = position === 0 ? granted(state, rules, at, { user, ticketId }) : undefined;
        if (next) {
          if (!(await store.write(next, etag))) continue;
          queued = false;
          return grantedTicket(started, at);
        }
        await pause(predictedSlot(state, rules, position, at) - at, signal);
      }
    } catch (error) {
      if (queued) await update((state, at) => (positionOf(state, ticketId) < 0 ? undefined : withdrawn(state, ticketId, at))).catch(() => undefined);
      throw error;
    }
  }

  return {
    forUser: (userKey) => ({
      acquire: (signal) => acquire(userKey, signal),
      backOff: (retryAfterMs) => {
        // Best effort: every instance's next grant waits for the block this writes.
        backingOff = update((state, at) => blocked(state, at + Math.max(0, retryAfterMs))).catch(() => undefined);
      },
      stats: () => stats(),
    }),
    stats,
  };

  function stats(): LimiterStats {
    return { granted: grantedCount, rejected, waitsMs: [...waits], p95WaitMs: percentile(waits, 95) };
  }
}
