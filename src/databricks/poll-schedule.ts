/**
 * How long to wait before the next Genie poll: a tenth of the time already waited, at least
 * `initialMs`, at most `maxMs`. An answer that finishes at time T after the first request is then
 * seen at most max(initialMs, T / 10) later (capped at maxMs): the gap between two polls around T is
 * at most a tenth of the earlier poll's time, which is before T. Doubling (the previous schedule)
 * could see it up to T later. Polls are GETs, which the workspace's question limit does not count.
 */
export interface PollSchedule {
  initialMs: number;
  maxMs: number;
}

export const POLL_LATENESS_SHARE = 0.1;

export function nextPollDelay(elapsedMs: number, { initialMs, maxMs }: PollSchedule): number {
  return Math.min(maxMs, Math.max(initialMs, Math.round(elapsedMs * POLL_LATENESS_SHARE)));
}
