import { nextPollDelay } from '../../../src/databricks/poll-schedule';

/** Poll times of the schedule from t = 0 until the first poll at or after `answerMs`. */
function firstPollAfter(answerMs: number, schedule = { initialMs: 100, maxMs: 2000 }): { seenAt: number; polls: number } {
  let t = 0;
  let polls = 0;
  while (t < answerMs) {
    t += nextPollDelay(t, schedule);
    polls++;
  }
  return { seenAt: t, polls };
}

describe('Genie poll schedule', () => {
  it('when an answer finishes at any time up to 10 minutes, then it is seen within max(100 ms, 10 % of its time)', () => {
    for (let answerMs = 1; answerMs <= 600_000; answerMs += answerMs < 5_000 ? 37 : 997) {
      const { seenAt } = firstPollAfter(answerMs);
      expect(seenAt - answerMs).toBeLessThanOrEqual(Math.max(100, answerMs * 0.1));
    }
  });

  it('when the answer is long in coming, then polls are never closer than the floor nor further apart than the cap', () => {
    expect(nextPollDelay(0, { initialMs: 100, maxMs: 2000 })).toBe(100);
    expect(nextPollDelay(5_000, { initialMs: 100, maxMs: 2000 })).toBe(500);
    expect(nextPollDelay(600_000, { initialMs: 100, maxMs: 2000 })).toBe(2000);
    expect(firstPollAfter(10_000).polls).toBeLessThan(40);
  });
});
