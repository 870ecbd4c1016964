/**
 * Keyset paging over entries ordered newest first by (`createdAt`, then `id`), both descending. A
 * page starts strictly after a cursor (the last entry of the page before), so pages neither overlap
 * nor leave gaps while entries are added. The store is asked for one property of order at a time:
 * Cosmos needs a composite index for `ORDER BY c.createdAt DESC, c.id DESC` and the containers have
 * none, so the order among entries created in the same millisecond is settled here, by reading the
 * whole tie at a page's boundary (ordered by id) when the boundary falls inside one.
 */

/** Where a page ends: the `createdAt` and `id` of its last (oldest) entry. */
export interface IndexCursor {
  createdAt: string;
  id: string;
}

export interface KeysetEntry {
  id: string;
  createdAt: string;
}

export interface KeysetSource {
  /** At most `limit` entries strictly before `before` (all when undefined), ordered by `createdAt` descending; ties in any order. */
  newest(limit: number, before: IndexCursor | undefined): Promise<KeysetEntry[]>;
  /** At most `limit` entries created exactly at `createdAt` and strictly before `before`, ordered by `id` descending. */
  sameInstant(createdAt: string, limit: number, before: IndexCursor | undefined): Promise<KeysetEntry[]>;
}

export interface KeysetPage {
  entries: KeysetEntry[];
  /** The cursor of the next (older) page; undefined when nothing is older. */
  next: IndexCursor | undefined;
}

/** Ordinal comparison, as Cosmos compares strings (not the locale's collation). */
function ordinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sort comparator: newest first, then the greater id first. */
export function newestFirst(a: KeysetEntry, b: KeysetEntry): number {
  return ordinal(b.createdAt, a.createdAt) || ordinal(b.id, a.id);
}

/** True when `entry` comes strictly after `cursor` in newest-first order (it belongs to an older page). */
export function isOlderThan(entry: KeysetEntry, cursor: IndexCursor): boolean {
  return entry.createdAt < cursor.createdAt || (entry.createdAt === cursor.createdAt && entry.id < cursor.id);
}

/**
 * One page of `pageSize` entries after `before`. One more entry than the page is read to know
 * whether an older page exists. Every entry newer than the oldest one read was read (the store
 * orders by `createdAt`); only the tie at that oldest instant may be partial, so when the page ends
 * inside it, the tie is read again in id order.
 */
export async function keysetPage(source: KeysetSource, pageSize: number, before: IndexCursor | undefined): Promise<KeysetPage> {
  const read = (await source.newest(pageSize + 1, before)).sort(newestFirst);
  if (read.length <= pageSize) return { entries: read, next: undefined };
  const oldest = read[read.length - 1]!.createdAt;
  let entries = read.slice(0, pageSize);
  if (entries[entries.length - 1]!.createdAt === oldest) {
    const newer = read.filter((e) => e.createdAt > oldest);
    const tie = (await source.sameInstant(oldest, pageSize - newer.length, before)).sort(newestFirst);
    entries = [...newer, ...tie].slice(0, pageSize);
  }
  const last = entries[entries.length - 1];
  return { entries, next: last ? { createdAt: last.createdAt, id: last.id } : undefined };
}
