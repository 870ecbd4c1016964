/**
 * The shared Genie budget as data: one record per workspace, held in Cosmos by `genie-budget-store`
 * and changed only through these pure functions (so unit tests drive every rule without a network).
 *
 * Budget: `grants` keeps the times of the latest `limit` question POSTs from every instance. A new
 * POST may leave at `t` only when the `limit`-th latest grant is older than `t - (window + margin)`,
 * so no rolling window of the workspace ever holds more than `limit` POSTs. (A token bucket that
 * refills continuously would allow `2 × limit - 1` in one window; this is the sliding-log form.)
 * The margin covers the time between the grant and the POST's arrival, and clock skew between
 * instances (their own clocks stamp `grants`).
 *
 * Fairness: a waiting question is a ticket in `queue`, ordered by (round, place); `place` is the
 * arrival number of the user's first waiting ticket, the same in every round. A user's new ticket
 * gets round `max(round, lastRound[user] + 1)`, where `round` is the round of the ticket served last:
 * each user has at most one ticket per round, and a user who arrives late joins the current round.
 * So while a question waits, every other user is served at most once ahead of it (per question of
 * its own user ahead of it): round-robin, whichever instance holds the ticket.
 */
export interface BudgetTicket {
  id: string;
  /** An opaque per-user key (a hash; no name or object id). */
  user: string;
  round: number;
  seq: number;
  enqueuedAt: number;
  /** Dropped by any writer after this (its instance died or gave up without removing it). */
  expiresAt: number;
}

export interface BudgetState {
  grants: number[];
  blockedUntil: number;
  round: number;
  lastRound: Record<string, number>;
  seq: number;
  queue: BudgetTicket[];
  /** When the current head of the queue became the head (for dropping a head nobody claims). */
  headSince: number;
}

export interface BudgetRules {
  limit: number;
  /** Window plus safety margin. */
  spacingMs: number;
  /** A head whose slot has been free this long without being claimed is dropped. */
  claimGraceMs: number;
}

export function emptyBudget(): BudgetState {
  return { grants: [], blockedUntil: 0, round: 0, lastRound: {}, seq: 0, queue: [], headSince: 0 };
}

const byRank = (a: BudgetTicket, b: BudgetTicket): number => a.round - b.round || a.seq - b.seq;

/** The earliest time the next POST may leave, given the grants so far. */
export function gateOf(state: BudgetState, rules: BudgetRules): number {
  const n = state.grants.length;
  const oldestCounted = n >= rules.limit ? state.grants[n - rules.limit]! + rules.spacingMs : 0;
  return Math.max(oldestCounted, state.blockedUntil);
}

/** When the ticket at `position` (0 = head) would be served if nothing changed. */
export function predictedSlot(state: BudgetState, rules: BudgetRules, position: number, now: number): number {
  const grants = [...state.grants];
  let slot = now;
  for (let i = 0; i <= position; i += 1) {
    slot = Math.max(slot, gateOf({ ...state, grants }, rules));
    grants.push(slot);
  }
  return slot;
}

function withHead(before: BudgetState, after: BudgetState, now: number): BudgetState {
  return before.queue[0]?.id === after.queue[0]?.id ? after : { ...after, headSince: now };
}

/** Drops expired tickets and a head that has not claimed its free slot for `claimGraceMs`. */
export function pruned(state: BudgetState, rules: BudgetRules, now: number): BudgetState {
  let next: BudgetState = { ...state, queue: state.queue.filter((t) => t.expiresAt > now).sort(byRank) };
  next = withHead(state, next, now);
  const head = next.queue[0];
  if (head && now - Math.max(gateOf(next, rules), next.headSince) > rules.claimGraceMs) {
    next = withHead(next, { ...next, queue: next.queue.slice(1) }, now);
  }
  const lastRound = Object.fromEntries(Object.entries(next.lastRound).filter(([, r]) => r >= next.round));
  return { ...next, lastRound };
}

export function ticketsOf(state: BudgetState, user: string): number {
  return state.queue.filter((t) => t.user === user).length;
}

export function positionOf(state: BudgetState, ticketId: string): number {
  return state.queue.findIndex((t) => t.id === ticketId);
}

function roundFor(state: BudgetState, user: string): number {
  const last = state.lastRound[user];
  return last === undefined ? state.round : Math.max(state.round, last + 1);
}

/** Adds a ticket for `user` in its round-robin place. */
export function enqueued(state: BudgetState, ticket: Omit<BudgetTicket, 'round' | 'seq'>, now: number): BudgetState {
  const round = roundFor(state, ticket.user);
  const seq = state.seq + 1;
  // Within a round, a user keeps the place of their first waiting ticket, so every round serves the
  // users in the same order (no one is served twice in a row across a round boundary).
  const place = state.queue.find((t) => t.user === ticket.user)?.seq ?? seq;
  const queue = [...state.queue, { ...ticket, round, seq: place }].sort(byRank);
  return withHead(state, { ...state, seq, queue, lastRound: { ...state.lastRound, [ticket.user]: round } }, now);
}

/** Removes a ticket (its question was cancelled or gave up). */
export function withdrawn(state: BudgetState, ticketId: string, now: number): BudgetState {
  return withHead(state, { ...state, queue: state.queue.filter((t) => t.id !== ticketId) }, now);
}

function keepLatest(grants: number[], now: number, limit: number): number[] {
  return [...grants, now].sort((a, b) => a - b).slice(-limit);
}

/**
 * A grant at `now`, for the head ticket `ticketId`, or for a caller without a ticket when nobody
 * waits (the uncontended path: one read, one write). Undefined when it may not be granted now.
 */
export function granted(state: BudgetState, rules: BudgetRules, now: number, who: { user: string; ticketId?: string }): BudgetState | undefined {
  if (gateOf(state, rules) > now) return undefined;
  const head = state.queue[0];
  const grants = keepLatest(state.grants, now, rules.limit);
  const { user, ticketId } = who;
  if (ticketId === undefined) {
    if (head) return undefined;
    // Nobody waits: as a ticket enqueued and served in one write (same round rule).
    const round = roundFor(state, user);
    return { ...state, grants, round, lastRound: { ...state.lastRound, [user]: round } };
  }
  if (head?.id !== ticketId) return undefined;
  return withHead(state, { ...state, grants, round: head.round, queue: state.queue.slice(1) }, now);
}

/**
 * A POST answered long after its grant may have arrived late too: its stamp moves to the answer
 * time (the latest moment the server can have counted it). Undefined when the stamp is gone.
 */
export function retimed(state: BudgetState, stamp: number, answeredAt: number): BudgetState | undefined {
  const index = state.grants.indexOf(stamp);
  if (index < 0 || answeredAt <= stamp) return undefined;
  const grants = [...state.grants];
  grants[index] = answeredAt;
  return { ...state, grants: grants.sort((a, b) => a - b) };
}

/** After a server 429: no grant before `until`. */
export function blocked(state: BudgetState, until: number): BudgetState {
  return { ...state, blockedUntil: Math.max(state.blockedUntil, until) };
}
