import { prng as random } from '../../../emulators/databricks/workspace/seed-data';
import { type IndexCursor, type KeysetEntry, type KeysetSource, isOlderThan, keysetPage, newestFirst } from '../../../src/persistence/keyset-page';

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** `count` entries with distinct ids (as approval ids are) over `instants` creation times. */
function entries(count: number, instants: number, next: () => number): KeysetEntry[] {
  const ids = new Set<string>();
  while (ids.size < count) ids.add(Array.from({ length: 24 }, () => ID_CHARS[Math.floor(next() * ID_CHARS.length)]).join(''));
  return [...ids].map((id) => ({ id, createdAt: new Date(Date.UTC(2026, 11, 1, 10, 0, Math.floor(next() * instants))).toISOString() }));
}

/** A store as Cosmos answers `ORDER BY c.createdAt DESC`: ties in any order (here shuffled per call). */
function store(all: KeysetEntry[], next: () => number, calls: string[] = []): KeysetSource {
  const after = (e: KeysetEntry, before: IndexCursor | undefined): boolean => before === undefined || isOlderThan(e, before);
  return {
    newest: async (limit, before) => {
      calls.push(`newest ${limit}`);
      const shuffled = all.filter((e) => after(e, before)).map((e) => ({ e, r: next() }));
      shuffled.sort((a, b) => (a.e.createdAt === b.e.createdAt ? a.r - b.r : a.e.createdAt < b.e.createdAt ? 1 : -1));
      return shuffled.map((x) => x.e).slice(0, limit);
    },
    sameInstant: async (at, limit, before) => {
      calls.push(`sameInstant ${limit}`);
      return all.filter((e) => e.createdAt === at && after(e, before)).sort((a, b) => (a.id < b.id ? 1 : -1)).slice(0, limit);
    },
  };
}

async function walk(source: KeysetSource, pageSize: number): Promise<{ seen: KeysetEntry[]; pages: number[] }> {
  const seen: KeysetEntry[] = [];
  const pages: number[] = [];
  let page = await keysetPage(source, pageSize, undefined);
  for (;;) {
    seen.push(...page.entries);
    pages.push(page.entries.length);
    if (!page.next) return { seen, pages };
    expect(page.next).toEqual({ createdAt: page.entries.at(-1)?.createdAt, id: page.entries.at(-1)?.id });
    page = await keysetPage(source, pageSize, page.next);
  }
}

describe('keyset paging (requests, newest first, by creation time then id)', () => {
  it.each([
    [23, 10, 1000],
    [23, 10, 3],
    [40, 10, 1],
    [57, 7, 4],
    [10, 10, 2],
    [11, 10, 2],
    [0, 10, 1],
    [100, 1, 5],
  ])('when %s entries are paged %s at a time over %s distinct creation times, then every entry is seen once, in order, and only the last page is short', async (count, pageSize, instants) => {
    for (let seed = 1; seed <= 20; seed += 1) {
      const next = random(seed * 7919 + count);
      const all = entries(count, instants, next);
      const { seen, pages } = await walk(store(all, next), pageSize);
      expect(seen).toEqual([...all].sort(newestFirst));
      expect(pages.slice(0, -1).every((n) => n === pageSize)).toBe(true);
      expect(pages.at(-1)).toBeLessThanOrEqual(pageSize);
    }
  });

  it('when no page boundary falls inside a tie, then each page is one read of one more entry than the page', async () => {
    const all = entries(25, 1_000_000, random(3));
    const calls: string[] = [];
    const first = await keysetPage(store(all, random(4), calls), 10, undefined);
    expect(first.entries).toHaveLength(10);
    expect(calls).toEqual(['newest 11']);
  });

  it('when the boundary falls inside a tie, then the tie is read in id order for the rest of the page only', async () => {
    const at = (s: number): string => new Date(Date.UTC(2026, 11, 1, 10, 0, s)).toISOString();
    const all = [
      { id: 'A1', createdAt: at(5) },
      { id: 'A2', createdAt: at(5) },
      { id: 'B1', createdAt: at(4) },
      { id: 'B3', createdAt: at(4) },
      { id: 'B2', createdAt: at(4) },
      { id: 'C1', createdAt: at(3) },
    ];
    const calls: string[] = [];
    const first = await keysetPage(store(all, random(9), calls), 3, undefined);
    expect(first.entries.map((e) => e.id)).toEqual(['A2', 'A1', 'B3']);
    expect(calls).toEqual(['newest 4', 'sameInstant 1']);
    const second = await keysetPage(store(all, random(10)), 3, first.next);
    expect(second.entries.map((e) => e.id)).toEqual(['B2', 'B1', 'C1']);
    expect(second.next).toBeUndefined();
  });

  it('when ids differ only in case, then they are ordered as Cosmos orders strings (ordinal), not by the locale', () => {
    const at = '2026-12-01T10:00:00.000Z';
    expect([{ id: 'a', createdAt: at }, { id: 'B', createdAt: at }, { id: 'b', createdAt: at }].sort(newestFirst).map((e) => e.id)).toEqual(['b', 'a', 'B']);
    expect(isOlderThan({ id: 'B', createdAt: at }, { id: 'a', createdAt: at })).toBe(true);
    expect(isOlderThan({ id: 'b', createdAt: at }, { id: 'a', createdAt: at })).toBe(false);
  });
});
