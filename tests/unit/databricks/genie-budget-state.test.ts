import { type BudgetRules, type BudgetState, emptyBudget, enqueued, gateOf, granted, pruned, retimed, withdrawn } from '../../../src/databricks/genie-budget-state';

const RULES: BudgetRules = { limit: 5, spacingMs: 61_000, claimGraceMs: 5_000 };

function enqueue(state: BudgetState, user: string, id: string, at = 0): BudgetState {
  return enqueued(state, { id, user, enqueuedAt: at, expiresAt: at + 600_000 }, at);
}

/** Serves the head whenever the gate allows, advancing a virtual clock; returns the users in service order. */
function serveAll(start: BudgetState): { order: string[]; times: number[] } {
  let state = start;
  let now = 0;
  const order: string[] = [];
  const times: number[] = [];
  while (state.queue.length > 0) {
    now = Math.max(now, gateOf(state, RULES));
    const head = state.queue[0]!;
    const next = granted(state, RULES, now, { user: head.user, ticketId: head.id });
    if (!next) throw new Error('head not granted at its gate');
    order.push(head.user);
    times.push(now);
    state = next;
  }
  return { order, times };
}

describe('Genie budget record (pure rules)', () => {
  it('when five users queue four questions each, one user after the other, then they are served in turn (round-robin)', () => {
    let state = emptyBudget();
    for (const user of ['u0', 'u1', 'u2', 'u3', 'u4']) for (let q = 0; q < 4; q += 1) state = enqueue(state, user, `${user}-${q}`);
    const { order } = serveAll(state);
    expect(order).toEqual(Array.from({ length: 4 }, () => ['u0', 'u1', 'u2', 'u3', 'u4']).flat());
  });

  it('when 20 questions are served, then no window of the spacing ever holds more than the limit', () => {
    let state = emptyBudget();
    for (let i = 0; i < 20; i += 1) state = enqueue(state, `u${i % 5}`, `q${i}`);
    const { times } = serveAll(state);
    for (let i = RULES.limit; i < times.length; i += 1) expect(times[i]! - times[i - RULES.limit]!).toBeGreaterThanOrEqual(RULES.spacingMs);
    expect(times.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
  });

  it('when a user with three questions waiting is joined by a newcomer, then the newcomer waits behind at most one of them', () => {
    let state = emptyBudget();
    for (let q = 0; q < 3; q += 1) state = enqueue(state, 'heavy', `h${q}`);
    state = enqueue(state, 'late', 'l0', 10);
    expect(state.queue.map((t) => t.id)).toEqual(['h0', 'l0', 'h1', 'h2']);
  });

  it('when a user was served with nobody waiting, then their next question queues behind a newcomer of the same round', () => {
    let state = granted(emptyBudget(), RULES, 0, { user: 'a' })!;
    state = enqueue(state, 'a', 'a1', 1);
    state = enqueue(state, 'b', 'b0', 2);
    expect(state.queue.map((t) => t.id)).toEqual(['b0', 'a1']);
  });

  it('when someone waits, then a caller without a ticket is not served past them, and only the head may take a free slot', () => {
    const state = enqueue(emptyBudget(), 'a', 'a0');
    expect(granted(state, RULES, 0, { user: 'b' })).toBeUndefined();
    const two = enqueue(state, 'b', 'b0');
    expect(granted(two, RULES, 0, { user: 'b', ticketId: 'b0' })).toBeUndefined();
    expect(granted(two, RULES, 0, { user: 'a', ticketId: 'a0' })?.queue.map((t) => t.id)).toEqual(['b0']);
  });

  it('when a ticket expires, or a head leaves its free slot unclaimed past the grace, then it is dropped; a withdrawn ticket leaves', () => {
    let state = enqueue(emptyBudget(), 'a', 'a0', 0);
    state = enqueued(state, { id: 'b0', user: 'b', enqueuedAt: 0, expiresAt: 6_000 }, 0);
    expect(pruned(state, RULES, 50).queue.map((t) => t.id)).toEqual(['a0', 'b0']);
    expect(pruned(state, RULES, 5_001).queue.map((t) => t.id)).toEqual(['b0']);
    expect(pruned(state, RULES, 6_001).queue).toEqual([]);
    expect(pruned(enqueue(emptyBudget(), 'a', 'a0', 0), RULES, 4_000).queue).toHaveLength(1);
    expect(withdrawn(state, 'a0', 1).queue.map((t) => t.id)).toEqual(['b0']);
  });
});

describe('Genie budget record: order within rounds', () => {
  it('when users arrive interleaved, then every round serves them in the same order (nobody twice in a row across rounds)', () => {
    let state = emptyBudget();
    const arrivals = ['c', 'a', 'a', 'b', 'c', 'b', 'a', 'c', 'b'];
    arrivals.forEach((user, i) => (state = enqueue(state, user, `${user}${i}`)));
    const { order } = serveAll(state);
    expect(order).toEqual(['c', 'a', 'b', 'c', 'a', 'b', 'c', 'a', 'b']);
  });
});

describe('Genie budget record: slow POSTs', () => {
  it('when a POST was answered long after its grant, then its stamp moves to the answer time and the gate moves with it', () => {
    let state = emptyBudget();
    for (let i = 0; i < 5; i += 1) state = granted(state, RULES, i, { user: `u${i}` })!;
    expect(gateOf(state, RULES)).toBe(61_000);
    const later = retimed(state, 0, 3_000)!;
    expect(later.grants).toEqual([1, 2, 3, 4, 3_000]);
    expect(gateOf(later, RULES)).toBe(61_001);
    expect(retimed(state, 99, 3_000)).toBeUndefined();
  });
});
