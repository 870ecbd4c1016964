import type { TableResult } from '../../src/databricks/types';

export interface ChartSpec {
  type: 'bar' | 'line' | 'pie';
  title: string;
  points: { label: string; value: number }[];
}

const NUMERIC = /^(TINYINT|SMALLINT|INT|INTEGER|BIGINT|LONG|SHORT|BYTE|FLOAT|DOUBLE|REAL|DECIMAL|NUMERIC)\b/i;
const TEMPORAL = /^(DATE|TIMESTAMP|TIMESTAMP_NTZ)\b/i;
const MAX_POINTS = 50;
const MAX_PIE_SLICES = 6;

/** A chart when the result is exactly one label column and one numeric column; otherwise none. */
export function chartOf(table: TableResult): ChartSpec | undefined {
  if (table.columns.length !== 2 || table.rows.length < 2 || table.rows.length > MAX_POINTS) return undefined;
  const [label, measure] = table.columns as [TableResult['columns'][0], TableResult['columns'][0]];
  if (!NUMERIC.test(measure.type) || NUMERIC.test(label.type)) return undefined;
  const points: ChartSpec['points'] = [];
  for (const [l, v] of table.rows) {
    const value = v === null || v === undefined ? Number.NaN : Number(v);
    if (!Number.isFinite(value)) return undefined;
    points.push({ label: l ?? '—', value });
  }
  const title = `${measure.name} by ${label.name}`;
  if (TEMPORAL.test(label.type)) return { type: 'line', title, points };
  if (points.length <= MAX_PIE_SLICES && points.every((p) => p.value > 0) && /share|percent|pct|count/i.test(measure.name)) {
    return { type: 'pie', title, points };
  }
  return { type: 'bar', title, points };
}
