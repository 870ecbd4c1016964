import type { GenieAnswer } from '../../src/databricks/types';

interface Entry {
  userKey: string;
  answer: GenieAnswer;
  expiresAt: number;
}

/**
 * Recent Genie answers of this instance, so refreshing a user-specific card does not ask Genie again.
 * Bounded and short-lived; an entry is returned only to the user who asked. On a miss (another
 * instance, a restart) the caller reads the asker's Genie message again with the asker's token.
 */
export class ResultCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 500, private readonly ttlMs = 24 * 3600_000) {}

  put(resultId: string, userKey: string, answer: GenieAnswer, now = Date.now()): void {
    this.entries.delete(resultId);
    this.entries.set(resultId, { userKey, answer, expiresAt: now + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get(resultId: string, userKey: string, now = Date.now()): GenieAnswer | undefined {
    const entry = this.entries.get(resultId);
    if (!entry || entry.userKey !== userKey) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(resultId);
      return undefined;
    }
    return entry.answer;
  }
}
