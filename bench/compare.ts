import { readFileSync } from 'node:fs';
import type { BenchRow } from './stats';

/**
 * The before → after table: rows of an earlier bench result (e.g. the old bench on the base commit)
 * next to this run's, matched by key. Rows of the old bench have no key; their metric text maps to
 * the new key here. Where the way a figure is measured changed, the table says how.
 */
const OLD_METRICS: readonly [RegExp, string][] = [
  [/^echo turn, median/, 'B1 echo'],
  [/^Genie turn at zero Genie delay, median$/, 'B1 genie 1:1 teams-ai'],
  [/^Genie turn in a group chat/, 'B1 genie group teams-ai'],
  [/^ack: HTTP answer/, 'B4 ack teams-ai'],
  [/^time to first typing/, 'B4 first teams-ai'],
  [/^throughput, /, 'B5 throughput'],
  [/^turn latency under load/, 'B5 latency'],
  [/^errors \(HTTP/, 'B5 errors'],
  [/^RSS before \/ after/, 'B6 rss'],
  [/^live heap after GC, before \/ after/, 'B6 heap'],
];

const COMPILED = 'bot: tsx → node dist (compiled); emulators: bench process → own process';
export const METHOD_CHANGES: Readonly<Record<string, string>> = {
  'B1 genie 1:1 teams-ai': COMPILED,
  'B1 genie group teams-ai': `${COMPILED}; warm-up question no longer counted as an error`,
  'B4 ack teams-ai': COMPILED,
  'B4 first teams-ai': COMPILED,
  'B5 throughput': COMPILED,
  'B5 latency': COMPILED,
  'B6 rss': `${COMPILED}; before: 1 heap snapshot before the RSS baseline; after: no snapshot, baseline at turn 0 read from /_local/memory`,
  'B6 heap': 'before: heap snapshot (self sizes) before/after; after: heapUsed after a full GC (--expose-gc) at turn 0 and at the end',
};

export function keyOf(row: BenchRow): string {
  if (row.key) return row.key;
  const mapped = OLD_METRICS.find(([pattern]) => pattern.test(row.metric));
  return mapped ? mapped[1] : `${row.id} ${row.metric}`;
}

export interface ComparedRow {
  id: string;
  metric: string;
  before: string;
  after: string;
  method: string;
}

export function compareRows(before: readonly BenchRow[], after: readonly BenchRow[]): ComparedRow[] {
  const old = new Map(before.map((r) => [keyOf(r), r]));
  const seen = new Set<string>();
  const rows: ComparedRow[] = after.map((r) => {
    const key = keyOf(r);
    seen.add(key);
    const was = old.get(key);
    const method = was ? (METHOD_CHANGES[key] ?? 'same') : 'new row';
    return { id: r.id, metric: r.metric, before: was?.value ?? '-', after: `${r.value}${r.invalid ? ' (INVALID)' : ''}`, method };
  });
  for (const r of before) if (!seen.has(keyOf(r))) rows.push({ id: r.id, metric: r.metric, before: r.value, after: '-', method: 'dropped (replaced, see the rows above)' });
  return rows.sort((a, b) => a.id.localeCompare(b.id));
}

export function formatComparison(rows: readonly ComparedRow[]): string {
  const header: ComparedRow = { id: 'id', metric: 'metric', before: 'before', after: 'after', method: 'method' };
  const all = [header, ...rows];
  const w = (k: keyof ComparedRow): number => Math.max(...all.map((r) => r[k].length));
  const line = (r: ComparedRow): string =>
    `${r.id.padEnd(w('id'))}  ${r.metric.padEnd(w('metric'))}  ${r.before.padStart(w('before'))} → ${r.after.padEnd(w('after'))}  ${r.method}`.trimEnd();
  return [line(header), '-'.repeat(w('id') + w('metric') + w('before') + w('after') + 12), ...rows.map(line)].join('\n');
}

export function readRows(path: string): BenchRow[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { rows: BenchRow[] }).rows;
}

if (require.main === module) {
  const [beforePath, afterPath] = process.argv.slice(2);
  if (!beforePath || !afterPath) {
    console.error('usage: npx tsx bench/compare.ts <before.json> <after.json>');
    process.exit(2);
  }
  console.log(formatComparison(compareRows(readRows(beforePath), readRows(afterPath))));
}
