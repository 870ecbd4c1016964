/**
 * A Genie POST needs the user's token and a slot of the workspace budget. Neither depends on the
 * other, so both are asked for at once: the budget's Cosmos round trips (a read and a conditional
 * write) hide the token's lookup, on the critical path of every question.
 *
 * Errors stay as they were when the two ran one after the other: a token failure is the error (and
 * the slot request is withdrawn, or its slot handed back as used if it was already granted, so no
 * slot is held); otherwise the budget's error. The caller's abort reaches the slot request.
 */
import type { GenieTransport } from './genie-http';
import { tokenOf } from './genie-http';
import type { GenieRateLimiter, RateTicket } from './genie-limiter';

export async function tokenAndSlot(transport: GenieTransport, limiter: GenieRateLimiter, signal: AbortSignal | undefined): Promise<[string, RateTicket]> {
  const slotRequest = new AbortController();
  const forward = (): void => slotRequest.abort(signal?.reason);
  if (signal?.aborted) forward();
  else signal?.addEventListener('abort', forward, { once: true });
  const slot = limiter.acquire(slotRequest.signal);
  // Handled here so a refusal that comes while the token is still being fetched is not an unhandled rejection.
  slot.catch(() => undefined);
  try {
    let token: string;
    try {
      token = await tokenOf(transport);
    } catch (error) {
      slotRequest.abort(error);
      void slot.then((ticket) => ticket.sent(), () => undefined);
      throw error;
    }
    return [token, await slot];
  } finally {
    signal?.removeEventListener('abort', forward);
  }
}
