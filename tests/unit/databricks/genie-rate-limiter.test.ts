import { hasCode, isAppError } from '../../../src/errors';
import { createGenieRateLimiter, percentile } from '../../support/genie-rate-limiter';
import { FakeClock } from './genie-fake-clock';

function maxInAnyWindow(times: number[], windowMs: number): number {
  let max = 0;
  for (const start of times) max = Math.max(max, times.filter((t) => t >= start && t < start + windowMs).length);
  return max;
}

describe('Genie rate limiter', () => {
  it('when 20 questions arrive at once with 5 per minute, then at most 5 go out per rolling minute and the p95 wait is reported', async () => {
    const clock = new FakeClock();
    const limiter = createGenieRateLimiter({ postsPerMinute: 5, safetyMarginMs: 0, maxQueueWaitMs: 200_000, now: clock.now, sleep: clock.sleep });
    const sentAt: number[] = [];
    const all = Array.from({ length: 20 }, () =>
      limiter.acquire().then((ticket) => {
        sentAt.push(clock.now());
        ticket.sent();
      }),
    );
    await clock.runUntilIdle();
    await Promise.all(all);

    expect(sentAt).toHaveLength(20);
    expect(maxInAnyWindow(sentAt, 60_000)).toBe(5);
    const stats = limiter.stats();
    expect(stats.granted).toBe(20);
    expect(stats.rejected).toBe(0);
    expect(stats.p95WaitMs).toBe(180_000);
    console.info(`[figure] limiter 20 concurrent @5/min: p95 queue wait ${stats.p95WaitMs} ms, max ${Math.max(...stats.waitsMs)} ms`);
  });

  it('when the predicted wait exceeds the bound, then the caller is refused at once with RATE_LIMITED and retryAfterSeconds', async () => {
    const clock = new FakeClock();
    const limiter = createGenieRateLimiter({ postsPerMinute: 5, safetyMarginMs: 0, maxQueueWaitMs: 90_000, now: clock.now, sleep: clock.sleep });
    const outcomes = Array.from({ length: 20 }, () =>
      limiter.acquire().then(
        (ticket) => {
          ticket.sent();
          return 'ok' as const;
        },
        (error: unknown) => error,
      ),
    );
    await clock.runUntilIdle();
    const settled = await Promise.all(outcomes);
    const refused = settled.filter((o) => o !== 'ok');
    expect(settled.filter((o) => o === 'ok')).toHaveLength(10);
    expect(refused).toHaveLength(10);
    const first = refused[0];
    expect(hasCode(first, 'DATABRICKS.RATE_LIMITED')).toBe(true);
    expect(isAppError(first) && first.details.retryAfterSeconds).toBe(120);
  });

  it('when slots are free, then acquire does not wait', async () => {
    const clock = new FakeClock();
    const limiter = createGenieRateLimiter({ postsPerMinute: 3, now: clock.now, sleep: clock.sleep });
    await expect(limiter.acquire()).resolves.toMatchObject({ waitedMs: 0 });
    await expect(limiter.acquire()).resolves.toMatchObject({ waitedMs: 0 });
  });

  it('when the window has passed, then old POSTs no longer count', async () => {
    const clock = new FakeClock();
    const limiter = createGenieRateLimiter({ postsPerMinute: 2, windowMs: 1000, safetyMarginMs: 0, now: clock.now, sleep: clock.sleep });
    (await limiter.acquire()).sent();
    (await limiter.acquire()).sent();
    const third = limiter.acquire();
    await clock.runUntilIdle();
    await expect(third).resolves.toMatchObject({ waitedMs: 1000 });
    const later = clock.sleep(5000);
    await clock.runUntilIdle();
    await later;
    await expect(limiter.acquire()).resolves.toMatchObject({ waitedMs: 0 });
  });

  it('when a POST is answered late, then its slot counts from the answer, not from the dispatch', async () => {
    const clock = new FakeClock();
    const limiter = createGenieRateLimiter({ postsPerMinute: 1, windowMs: 1000, safetyMarginMs: 0, now: clock.now, sleep: clock.sleep });
    const ticket = await limiter.acquire();
    const answered = clock.sleep(400);
    await clock.runUntilIdle();
    await answered;
    ticket.sent();
    const next = limiter.acquire();
    await clock.runUntilIdle();
    await expect(next).resolves.toMatchObject({ waitedMs: 1000 });
    expect(clock.now()).toBe(1400);
  });

  it('when a POST is still in flight, then it keeps counting until it is answered', async () => {
    const clock = new FakeClock();
    const limiter = createGenieRateLimiter({ postsPerMinute: 1, windowMs: 1000, safetyMarginMs: 0, now: clock.now, sleep: clock.sleep });
    const ticket = await limiter.acquire();
    const next = limiter.acquire();
    const answered = clock.sleep(5000).then(() => ticket.sent());
    await clock.runUntilIdle();
    await answered;
    await expect(next).resolves.toMatchObject({ waitedMs: 6000 });
  });

  it('when the server answered 429, then backOff holds every new slot until Retry-After has passed', async () => {
    const clock = new FakeClock();
    const limiter = createGenieRateLimiter({ postsPerMinute: 10, now: clock.now, sleep: clock.sleep });
    limiter.backOff(7000);
    const next = limiter.acquire();
    await clock.runUntilIdle();
    await expect(next).resolves.toMatchObject({ waitedMs: 7000 });
  });

  it('when a queued caller aborts, then it rejects with the abort reason and frees its slot', async () => {
    const clock = new FakeClock();
    const limiter = createGenieRateLimiter({ postsPerMinute: 1, safetyMarginMs: 0, now: clock.now, sleep: clock.sleep });
    (await limiter.acquire()).sent();
    const controller = new AbortController();
    const queued = limiter.acquire(controller.signal);
    controller.abort(new Error('turn cancelled'));
    await expect(queued).rejects.toThrow('turn cancelled');
    const after = limiter.acquire();
    await clock.runUntilIdle();
    await expect(after).resolves.toMatchObject({ waitedMs: 60_000 });
  });

  it('when no margin is given, then slots are spaced by the window plus 2%', async () => {
    const clock = new FakeClock();
    const limiter = createGenieRateLimiter({ postsPerMinute: 1, now: clock.now, sleep: clock.sleep });
    (await limiter.acquire()).sent();
    const second = limiter.acquire();
    await clock.runUntilIdle();
    await expect(second).resolves.toMatchObject({ waitedMs: 61_200 });
  });

  it('when postsPerMinute is not a positive integer, then creation fails with CONFIG.INVALID', () => {
    expect(() => createGenieRateLimiter({ postsPerMinute: 0 })).toThrow(expect.objectContaining({ code: 'CONFIG.INVALID' }));
  });

  it('when computing percentiles, then p95 of 1..20 is 19', () => {
    expect(percentile(Array.from({ length: 20 }, (_, i) => i + 1), 95)).toBe(19);
    expect(percentile([], 95)).toBe(0);
  });
});
