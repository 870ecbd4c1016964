/**
 * Per-user message rate, per bot instance: at most `perWindow` messages from one person in any
 * rolling `windowMs`. A message over the limit is refused before anything of the user's changes
 * (no thread, approval or memory write), so sending it again later loses nothing. It keeps only
 * timestamps under an opaque key, and forgets a user once their window is empty.
 */
import { AppError } from '../errors';

export interface UserMessageRate {
  /** Counts the message, or throws USER.RATE_LIMITED with the seconds until one fits. */
  admit(userKey: string): void;
}

export function createUserMessageRate(options: { perWindow: number; windowMs?: number; now?: () => number }): UserMessageRate {
  if (!Number.isSafeInteger(options.perWindow) || options.perWindow < 1) throw new AppError('CONFIG.INVALID', 'perWindow must be a positive whole number.');
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const sent = new Map<string, number[]>();
  let admitted = 0;

  const sweep = (at: number): void => {
    for (const [key, times] of sent) if ((times[times.length - 1] ?? 0) <= at - windowMs) sent.delete(key);
  };

  return {
    admit(userKey) {
      const at = now();
      admitted += 1;
      if (admitted % 1000 === 0) sweep(at);
      const times = (sent.get(userKey) ?? []).filter((t) => t > at - windowMs);
      if (times.length >= options.perWindow) {
        sent.set(userKey, times);
        const seconds = Math.max(1, Math.ceil((times[0]! + windowMs - at) / 1000));
        throw new AppError('USER.RATE_LIMITED', `User sent ${times.length} messages within ${windowMs} ms.`, {
          userMessage: `You have sent ${times.length} messages in the last ${Math.round(windowMs / 1000)} seconds, more than I take from one person. I did not act on this one; send it again in ${seconds} seconds.`,
          details: { retryAfterSeconds: seconds, limit: options.perWindow },
        });
      }
      times.push(at);
      sent.set(userKey, times);
    },
  };
}
