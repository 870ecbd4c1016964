import { tokenAndSlot } from '../../../src/databricks/genie-slot';
import type { GenieTransport } from '../../../src/databricks/genie-http';
import { AppError } from '../../../src/errors';
import { createGenieRateLimiter } from '../../support/genie-rate-limiter';

/** The token and the budget's slot of a Genie POST, asked for at once, with the errors of the sequential order. */
const transport = (getToken: () => Promise<string>): GenieTransport => ({ host: 'https://example', getToken, fetchImpl: fetch, requestTimeoutMs: 1_000 });
const later = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

describe('tokenAndSlot (Genie POST: token and budget slot at once)', () => {
  it('when both are slow, then they are fetched at the same time, not one after the other', async () => {
    const order: string[] = [];
    const limiter = createGenieRateLimiter({ postsPerMinute: 5 });
    const acquire = limiter.acquire.bind(limiter);
    limiter.acquire = async (signal) => {
      order.push('slot asked');
      const ticket = await acquire(signal);
      return later(20, ticket);
    };
    const [token, ticket] = await tokenAndSlot(
      transport(async () => {
        order.push('token asked');
        return later(20, 't0k');
      }),
      limiter,
      undefined,
    );
    ticket.sent();
    expect(token).toBe('t0k');
    // Both were asked for before either answered.
    expect(order).toEqual(['slot asked', 'token asked']);
  });

  it('when the token fails, then its error is the one thrown, and a granted slot is handed back as used, not held', async () => {
    const limiter = createGenieRateLimiter({ postsPerMinute: 1 });
    const failure = new AppError('AUTH.SIGN_IN_REQUIRED', 'no session');
    await expect(tokenAndSlot(transport(() => later(10, undefined).then(() => Promise.reject(failure))), limiter, undefined)).rejects.toBe(failure);
    await later(5, undefined);
    // The one slot of the window was spent (sent), so the next caller is refused at once rather than left hanging behind a held ticket.
    expect(limiter.stats().granted).toBe(1);
  });

  it('when the budget refuses while the token is still coming, then the refusal is the error (no unhandled rejection), after the token', async () => {
    const limiter = createGenieRateLimiter({ postsPerMinute: 1, maxQueueWaitMs: 1 });
    (await limiter.acquire()).sent();
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      await expect(tokenAndSlot(transport(() => later(30, 't0k')), limiter, undefined)).rejects.toMatchObject({ code: 'DATABRICKS.RATE_LIMITED' });
      await later(5, undefined);
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it("when the caller's signal aborts while the slot is queued, then the slot request is withdrawn", async () => {
    const limiter = createGenieRateLimiter({ postsPerMinute: 1 });
    (await limiter.acquire()).sent();
    const controller = new AbortController();
    const pending = tokenAndSlot(transport(async () => 't0k'), limiter, controller.signal);
    pending.catch(() => undefined);
    controller.abort(new Error('turn cancelled'));
    await expect(pending).rejects.toThrow('turn cancelled');
  });
});
