import type { ColumnInfo, TableResult } from '../../src/databricks/types';
import { cardInstant, columnKind } from './format';

/**
 * Which chart a result gets, from its column types (Genie's manifest `type_name`) and values:
 *   time + number(s)            → line (one series per number column)
 *   time + text + number        → line (one series per text value, at most 6)
 *   text + number               → pie for a few parts of a whole, else bars (horizontal for many or long labels)
 *   text + text + number        → grouped bars (x = first, legend = second)
 *   text + 2–4 numbers          → grouped bars (one series per number column)
 *   anything else               → no chart; the table is always shown.
 * A chart is also left out when fewer than two points have a value, when every value is the same
 * (the text says it better), or when there are too many points to read.
 */
export type ChartKind = 'line' | 'bar' | 'horizontal-bar' | 'grouped-bar' | 'pie';

export interface ChartPoint {
  x: string;
  y: number;
  /** The value as Databricks sent it (DECIMAL digits kept for the summary). */
  raw: string;
}

export interface ChartSeries {
  legend: string;
  points: ChartPoint[];
}

export interface ChartSpec {
  kind: ChartKind;
  /** Axis names, as the columns are called (underscores read as spaces). */
  dimension: string;
  measure: string;
  /** Column name of the measure (for its unit), or '' when the series are several measures. */
  measureColumn: string;
  /** The second dimension (series of a grouped bar or multi-line chart), if any. */
  seriesDimension: string | undefined;
  series: ChartSeries[];
  /** Rows left out because their value was empty. */
  skipped: number;
}

export const MAX_BAR_POINTS = 50;
export const MAX_LINE_POINTS = 100;
export const MAX_PIE_PARTS = 6;
export const MAX_SERIES = 6;
/** More bars than this, or a label longer than this many characters, reads better horizontally. */
const HORIZONTAL_AFTER_BARS = 8;
const HORIZONTAL_AFTER_CHARS = 12;
/** Counts add up to a whole; shares do only when they sum to 100 % (or 1). Sums, averages and rates are not parts. */
const COUNT = /(^|_)(count|num|number)(_|$)|^n_/i;
const SHARE = /(^|_)(share|pct|percent|percentage|proportion|fraction)(_|$)/i;

function isWhole(measure: string, total: number): boolean {
  return COUNT.test(measure) || (SHARE.test(measure) && (Math.abs(total - 100) <= 0.5 || Math.abs(total - 1) <= 0.005));
}

type Role = 'time' | 'number' | 'text';
const TIME_NAMED_NUMBER = /^(year|quarter|month|week|day|hour)(_|$)/i;

function roleOf(column: ColumnInfo): Role {
  const kind = columnKind(column.type);
  if (kind === 'date' || kind === 'timestamp' || kind === 'timestamp_ntz') return 'time';
  if (kind === 'number') return TIME_NAMED_NUMBER.test(column.name) ? 'time' : 'number';
  return 'text';
}

export const readable = (name: string): string => name.replace(/_/g, ' ').trim();

function numberOf(cell: string | null | undefined): number | null | 'invalid' {
  if (cell === null || cell === undefined || cell.trim() === '') return null;
  const value = Number(cell);
  return Number.isFinite(value) ? value : 'invalid';
}

const point = (x: string, y: number, cell: string | null | undefined): ChartPoint => ({ x, y, raw: (cell ?? '').trim() });

/** x labels: a date at month granularity reads "2026-05"; instants read as UTC minutes. */
function timeLabels(values: string[], type: string): string[] {
  if (columnKind(type) === 'number') return values;
  const instants = values.map((v) => cardInstant(v.length === 10 ? `${v}T00:00:00Z` : v) ?? v);
  const monthly = instants.every((v) => /^\d{4}-\d{2}-01T00:00:00Z$/.test(v));
  const daily = instants.every((v) => /T00:00:00Z$/.test(v));
  return instants.map((v) => (monthly ? v.slice(0, 7) : daily ? v.slice(0, 10) : `${v.slice(0, 10)} ${v.slice(11, 16)} UTC`));
}

interface Shape {
  roles: Role[];
  columns: ColumnInfo[];
}

function matches(shape: Shape, ...roles: Role[]): boolean {
  return shape.roles.length === roles.length && roles.every((r, i) => shape.roles[i] === r);
}

export function chartOf(table: TableResult): ChartSpec | undefined {
  const shape: Shape = { roles: table.columns.map(roleOf), columns: table.columns };
  const spec = choose(shape, table.rows);
  if (!spec) return undefined;
  const points = spec.series.flatMap((s) => s.points);
  if (points.length < 2 || spec.series.some((s) => s.points.length === 0)) return undefined;
  if (points.every((p) => p.y === points[0]!.y)) return undefined;
  const limit = spec.kind === 'line' ? MAX_LINE_POINTS : MAX_BAR_POINTS;
  if (spec.series.some((s) => s.points.length > limit) || (spec.kind !== 'line' && points.length > MAX_BAR_POINTS)) return undefined;
  return spec;
}

function choose(shape: Shape, rows: TableResult['rows']): ChartSpec | undefined {
  const [a, b, c] = shape.columns;
  const numbers = shape.roles.slice(1);
  if (shape.roles[0] === 'time' && numbers.length >= 1 && numbers.length <= 3 && numbers.every((r) => r === 'number')) {
    return byMeasures('line', shape, rows);
  }
  if (matches(shape, 'time', 'text', 'number')) return bySeries('line', a!, b!, c!, rows, 0, 1);
  if (matches(shape, 'text', 'time', 'number')) return bySeries('line', b!, a!, c!, rows, 1, 0);
  if (matches(shape, 'text', 'number')) return categories(a!, b!, rows);
  if (matches(shape, 'text', 'text', 'number')) return bySeries('grouped-bar', a!, b!, c!, rows, 0, 1);
  if (shape.roles[0] === 'text' && numbers.length >= 2 && numbers.length <= 4 && numbers.every((r) => r === 'number')) {
    return byMeasures('grouped-bar', shape, rows);
  }
  return undefined;
}

/** One series per numeric column. */
function byMeasures(kind: 'line' | 'grouped-bar', shape: Shape, rows: TableResult['rows']): ChartSpec | undefined {
  const [dim, ...measures] = shape.columns as [ColumnInfo, ...ColumnInfo[]];
  const ordered = kind === 'line' ? chronological(rows, 0, dim.type) : rows;
  const labels = kind === 'line' ? timeLabels(ordered.map((r) => r[0] ?? ''), dim.type) : ordered.map((r) => r[0] ?? '(blank)');
  let skipped = 0;
  const series: ChartSeries[] = [];
  for (const [i, measure] of measures.entries()) {
    const points: ChartPoint[] = [];
    for (const [r, row] of ordered.entries()) {
      const y = numberOf(row[i + 1]);
      if (y === 'invalid') return undefined;
      if (y === null) skipped += 1;
      else points.push(point(labels[r]!, y, row[i + 1]));
    }
    series.push({ legend: readable(measure.name), points });
  }
  const single = measures.length === 1 ? measures[0]! : undefined;
  return { kind, dimension: readable(dim.name), measure: single ? readable(single.name) : series.map((s) => s.legend).join(', '), measureColumn: single?.name ?? '', seriesDimension: undefined, series, skipped };
}

/** One series per value of the `legendAt` column. */
function bySeries(kind: 'line' | 'grouped-bar', x: ColumnInfo, legend: ColumnInfo, measure: ColumnInfo, rows: TableResult['rows'], xAt: number, legendAt: number): ChartSpec | undefined {
  const ordered = kind === 'line' ? chronological(rows, xAt, x.type) : rows;
  const labels = kind === 'line' ? timeLabels(ordered.map((r) => r[xAt] ?? ''), x.type) : ordered.map((r) => r[xAt] ?? '(blank)');
  const byLegend = new Map<string, ChartPoint[]>();
  let skipped = 0;
  for (const [r, row] of ordered.entries()) {
    const y = numberOf(row[2]);
    if (y === 'invalid') return undefined;
    if (y === null) {
      skipped += 1;
      continue;
    }
    const key = row[legendAt] ?? '(blank)';
    byLegend.set(key, [...(byLegend.get(key) ?? []), point(labels[r]!, y, row[2])]);
  }
  if (byLegend.size < 2 || byLegend.size > MAX_SERIES) return undefined;
  const series = [...byLegend].map(([name, points]) => ({ legend: name, points }));
  return { kind, dimension: readable(x.name), measure: readable(measure.name), measureColumn: measure.name, seriesDimension: readable(legend.name), series, skipped };
}

function categories(label: ColumnInfo, measure: ColumnInfo, rows: TableResult['rows']): ChartSpec | undefined {
  const points: ChartPoint[] = [];
  let skipped = 0;
  for (const row of rows) {
    const y = numberOf(row[1]);
    if (y === 'invalid') return undefined;
    if (y === null) skipped += 1;
    else points.push(point(row[0] ?? '(blank)', y, row[1]));
  }
  const total = points.reduce((sum, p) => sum + p.y, 0);
  const partsOfWhole = isWhole(measure.name, total) && points.length <= MAX_PIE_PARTS && points.every((p) => p.y >= 0) && total > 0 && skipped === 0;
  const long = points.length > HORIZONTAL_AFTER_BARS || points.some((p) => p.x.length > HORIZONTAL_AFTER_CHARS);
  const kind: ChartKind = partsOfWhole ? 'pie' : long ? 'horizontal-bar' : 'bar';
  return { kind, dimension: readable(label.name), measure: readable(measure.name), measureColumn: measure.name, seriesDimension: undefined, series: [{ legend: readable(measure.name), points }], skipped };
}

/** Rows in time order (Genie may sort by the measure, "top months"); unparseable times keep their place. */
function chronological(rows: TableResult['rows'], at: number, type: string): TableResult['rows'] {
  const key = (cell: string | null): number => {
    if (cell === null) return Number.POSITIVE_INFINITY;
    if (columnKind(type) === 'number') return Number(cell);
    const instant = cardInstant(cell.length === 10 ? `${cell}T00:00:00Z` : cell);
    return instant === undefined ? Number.POSITIVE_INFINITY : Date.parse(instant);
  };
  return [...rows].sort((p, q) => key(p[at] ?? null) - key(q[at] ?? null));
}
