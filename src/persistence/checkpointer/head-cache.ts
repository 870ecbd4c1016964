import type { HeadDoc } from './documents';

/** A head as last seen; `etag` and `doc` undefined when the head did not exist. */
export interface CachedHead {
  etag: string | undefined;
  doc: HeadDoc | undefined;
}

/**
 * The heads this process last read or wrote, with their ETags, so a `put` or `putWrites` after a
 * `getTuple` needs no second read. Never trusted blindly: every write carries the cached ETag as
 * If-Match, and a 412 drops the entry and reads the head again. Bounded (least recently used out).
 * Also serialises head updates of one thread within the process, so concurrent `putWrites` of one
 * step do not fail each other's If-Match.
 */
export class HeadCache {
  private readonly entries = new Map<string, CachedHead>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly maxEntries = 256) {}

  static keyOf(threadId: string, ns: string): string {
    return JSON.stringify([threadId, ns]);
  }

  get(key: string): CachedHead | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CachedHead): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Drops every entry of a thread (all namespaces). */
  forgetThread(threadId: string): void {
    for (const key of [...this.entries.keys()]) {
      if ((JSON.parse(key) as string[])[0] === threadId) this.entries.delete(key);
    }
  }

  /** Runs `task` after every earlier task of the same key has settled. */
  async exclusive<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.then(task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    }
  }
}
