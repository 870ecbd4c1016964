/** Small statistics and the one table `npm run bench` prints. Timings are reported, never asserted. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? Number.NaN : numerator / denominator;
}

/** One line of the result table. */
export interface BenchRow {
  id: string;
  metric: string;
  value: string;
  note?: string;
  /** Set when the figure does not count (the load generator saturated a core); printed in the table. */
  invalid?: string;
  /** Stable key for the before → after table (defaults to id + metric). */
  key?: string;
}

export function ms(value: number): string {
  return Number.isFinite(value) ? `${value < 10 ? value.toFixed(1) : Math.round(value)} ms` : 'n/a';
}

export function num(value: number, digits = 1): string {
  return Number.isFinite(value) ? (Number.isInteger(value) ? String(value) : value.toFixed(digits)) : 'n/a';
}

export function mib(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : 'n/a';
}

/** A fixed-width text table: id, metric, value, note. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header: BenchRow = { id: 'id', metric: 'metric', value: 'value', note: 'note' };
  const all = [header, ...rows];
  const width = (key: keyof BenchRow): number => Math.max(...all.map((r) => (r[key] ?? '').length));
  const widths = { id: width('id'), metric: width('metric'), value: width('value') };
  const line = (r: BenchRow): string =>
    `${r.id.padEnd(widths.id)}  ${r.metric.padEnd(widths.metric)}  ${r.value.padStart(widths.value)}  ${r.invalid && !(r.note ?? '').includes('INVALID') ? 'INVALID ' : ''}${r.note ?? ''}`.trimEnd();
  const rule = '-'.repeat(widths.id + widths.metric + widths.value + 6 + Math.max(4, width('note')));
  return [line(header), rule, ...rows.map(line)].join('\n');
}
