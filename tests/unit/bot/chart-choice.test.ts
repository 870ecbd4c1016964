import { chartOf, type ChartKind } from '../../../bot/present/chart';
import { chartElement, chartItems, chartSummary } from '../../../bot/present/chart-element';
import type { Cell, TableResult } from '../../../src/databricks/types';

/** A result as Genie returns it: columns with their manifest `type_name`, rows as strings. */
function result(columns: [string, string][], rows: Cell[][]): TableResult {
  return { columns: columns.map(([name, type]) => ({ name, type })), rows, totalRowCount: rows.length, truncated: false };
}

const months = (n: number, value: (i: number) => string = (i) => String(100 + i * 10)): Cell[][] =>
  Array.from({ length: n }, (_, i) => [`${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`, value(i)]);

type Expected = ChartKind | 'none';
const SHAPES: [string, TableResult, Expected][] = [
  ['DATE + DECIMAL (revenue by month)', result([['month', 'DATE'], ['total_sales', 'DECIMAL(18,2)']], months(6)), 'line'],
  ['TIMESTAMP + BIGINT (events by hour)', result([['hour_start', 'TIMESTAMP'], ['events', 'BIGINT']], [['2026-12-01T10:00:00.000Z', '5'], ['2026-12-01T11:00:00.000Z', '9'], ['2026-12-01T12:00:00.000Z', '4']]), 'line'],
  ['INT year + DOUBLE (a number named as time)', result([['year', 'INT'], ['revenue', 'DOUBLE']], [['2024', '1.5'], ['2025', '2.5'], ['2026', '2']]), 'line'],
  ['DATE + two measures (two lines)', result([['month', 'DATE'], ['revenue', 'DECIMAL(18,2)'], ['cost', 'DECIMAL(18,2)']], [['2026-01-01', '10', '4'], ['2026-02-01', '12', '5']]), 'line'],
  ['DATE + STRING + measure (a line per region)', result([['month', 'DATE'], ['region', 'STRING'], ['total_sales', 'DECIMAL(18,2)']], [['2026-01-01', 'West', '10'], ['2026-01-01', 'East', '8'], ['2026-02-01', 'West', '12'], ['2026-02-01', 'East', '7']]), 'line'],
  ['STRING + BIGINT, 5 short labels (sales by region)', result([['region', 'STRING'], ['total_sales', 'BIGINT']], [['West', '10'], ['East', '20'], ['North', '5'], ['South', '7'], ['Central', '3']]), 'bar'],
  ['STRING + BIGINT, 12 labels', result([['product', 'STRING'], ['units', 'BIGINT']], Array.from({ length: 12 }, (_, i) => [`P${i}`, String(i + 1)])), 'horizontal-bar'],
  ['STRING + BIGINT, long labels', result([['customer', 'STRING'], ['units', 'BIGINT']], [['Contoso Pharmaceuticals Ltd', '4'], ['Fabrikam Residences', '9']]), 'horizontal-bar'],
  ['STRING + STRING + measure (region × status)', result([['region', 'STRING'], ['status', 'STRING'], ['orders', 'BIGINT']], [['West', 'open', '3'], ['West', 'shipped', '5'], ['East', 'open', '2'], ['East', 'shipped', '6']]), 'grouped-bar'],
  ['STRING + two measures', result([['region', 'STRING'], ['revenue', 'DECIMAL(18,2)'], ['cost', 'DECIMAL(18,2)']], [['West', '10', '4'], ['East', '12', '5']]), 'grouped-bar'],
  ['order counts by status, 3 parts', result([['status', 'STRING'], ['order_count', 'BIGINT']], [['open', '3'], ['shipped', '5'], ['canceled', '1']]), 'pie'],
  ['shares summing to 100 %', result([['channel', 'STRING'], ['share_pct', 'DOUBLE']], [['web', '60'], ['store', '40']]), 'pie'],
  ['shares NOT summing to 100 % (growth per region)', result([['region', 'STRING'], ['growth_pct', 'DOUBLE']], [['West', '12'], ['East', '3']]), 'bar'],
  ['counts in 7 parts (more than a pie reads)', result([['status', 'STRING'], ['order_count', 'BIGINT']], Array.from({ length: 7 }, (_, i) => [`s${i}`, String(i + 1)])), 'bar'],
  ['counts with a negative value (not parts of a whole)', result([['status', 'STRING'], ['order_count', 'BIGINT']], [['a', '3'], ['b', '-1']]), 'bar'],
  ['sums by region (not a count or share: bars, not pie)', result([['region', 'STRING'], ['total_sales', 'DECIMAL(18,2)']], [['West', '10.50'], ['East', '20.25']]), 'bar'],
  ['negative values (profit by region)', result([['region', 'STRING'], ['profit', 'DECIMAL(18,2)']], [['West', '-10'], ['East', '20'], ['North', '-3']]), 'bar'],
  ['a null measure is left out', result([['region', 'STRING'], ['total_sales', 'BIGINT']], [['West', '10'], ['East', null], ['North', '4']]), 'bar'],
  ['single row', result([['region', 'STRING'], ['total_sales', 'BIGINT']], [['West', '10']]), 'none'],
  ['two rows but one without a value', result([['region', 'STRING'], ['total_sales', 'BIGINT']], [['West', '10'], ['East', null]]), 'none'],
  ['all values equal', result([['region', 'STRING'], ['total_sales', 'BIGINT']], [['West', '7'], ['East', '7'], ['North', '7']]), 'none'],
  ['51 categories (> 50 points)', result([['product', 'STRING'], ['units', 'BIGINT']], Array.from({ length: 51 }, (_, i) => [`P${i}`, String(i)])), 'none'],
  ['60 months (a time series may have up to 100 points)', result([['month', 'DATE'], ['total_sales', 'DECIMAL(18,2)']], months(60)), 'line'],
  ['101 months (> 100 points)', result([['month', 'DATE'], ['total_sales', 'DECIMAL(18,2)']], months(101)), 'none'],
  ['a non-number in a numeric column', result([['region', 'STRING'], ['total_sales', 'BIGINT']], [['West', 'n/a'], ['East', '2']]), 'none'],
  ['two numbers, no label', result([['a', 'INT'], ['b', 'INT']], [['1', '2'], ['3', '4']]), 'none'],
  ['only text (a customer list)', result([['name', 'STRING'], ['email', 'STRING']], [['A', 'a@x'], ['B', 'b@x']]), 'none'],
  ['five columns (an order list)', result([['order_id', 'BIGINT'], ['order_date', 'DATE'], ['region', 'STRING'], ['amount', 'DECIMAL(18,2)'], ['status', 'STRING']], [['1', '2026-01-01', 'West', '10', 'open'], ['2', '2026-01-02', 'East', '3', 'open']]), 'none'],
  ['a line per region with 7 regions (too many lines)', result([['month', 'DATE'], ['region', 'STRING'], ['n', 'BIGINT']], Array.from({ length: 7 }, (_, i) => ['2026-01-01', `r${i}`, String(i)])), 'none'],
];

describe('the chart a result gets, by its column types', () => {
  it('covers at least 12 shapes', () => expect(SHAPES.length).toBeGreaterThanOrEqual(12));

  it.each(SHAPES.map(([name, table, expected]) => [name, expected, table] as const))('%s → %s', (_name, expected, table) => {
    expect(chartOf(table)?.kind ?? 'none').toBe(expected);
  });

  it('when Genie sorted a time series by its value, then the line runs in time order', () => {
    const spec = chartOf(result([['month', 'DATE'], ['total_sales', 'DECIMAL(18,2)']], [['2026-03-01', '30'], ['2026-01-01', '50'], ['2026-02-01', '10']]));
    expect(spec?.series[0]?.points.map((p) => p.x)).toEqual(['2026-01', '2026-02', '2026-03']);
  });

  it('when a result is an hourly series, then x reads as UTC minutes and never carries milliseconds', () => {
    const spec = chartOf(SHAPES[1]![1]);
    expect(spec?.series[0]?.points[0]?.x).toBe('2026-12-01 10:00 UTC');
  });
});

describe('the chart element and the sentence beside it', () => {
  const byKind = (kind: Expected) => SHAPES.find(([, , k]) => k === kind)![1];

  it.each([
    ['line', 'Chart.Line'],
    ['bar', 'Chart.VerticalBar'],
    ['horizontal-bar', 'Chart.HorizontalBar'],
    ['grouped-bar', 'Chart.VerticalBar.Grouped'],
    ['pie', 'Chart.Pie'],
  ] as const)('when the choice is %s, then the element is %s with a data array and a text fallback', (kind, type) => {
    const element = chartElement(chartOf(byKind(kind))!);
    expect(element.type).toBe(type);
    expect(Array.isArray(element.data) && element.data.length).toBeGreaterThan(0);
    expect(element.fallback).toMatchObject({ type: 'TextBlock' });
  });

  it('when a time series is charted, then the sentence names the chart, the span and the extremes with grouped numbers', () => {
    const spec = chartOf(result([['month', 'DATE'], ['total_sales', 'DECIMAL(18,2)']], [['2026-01-01', '1000.00'], ['2026-05-01', '5198474.87'], ['2026-06-01', '310.50']]))!;
    expect(chartSummary(spec)).toBe('Line chart of total sales by month, 2026-01 to 2026-06; highest 2026-05: 5,198,474.87, lowest 2026-06: 310.50.');
  });

  it('when a pie is charted, then the sentence gives each extreme as a share of the whole', () => {
    expect(chartSummary(chartOf(byKind('pie'))!)).toBe('Pie chart of order count by status (3 parts); largest shipped: 55.6 %, smallest canceled: 11.1 %.');
  });

  it('when values are negative or missing, then the sentence says so', () => {
    expect(chartSummary(chartOf(SHAPES.find(([n]) => n.startsWith('negative'))![1])!)).toContain('Some values are below zero.');
    expect(chartSummary(chartOf(SHAPES.find(([n]) => n.startsWith('a null'))![1])!)).toContain('1 row has no value and is left out.');
  });

  it('when a chart is shown, then the sentence comes first, so a screen reader reads it before the chart', () => {
    const items = chartItems(chartOf(byKind('bar'))!);
    expect(items.map((i) => i.type)).toEqual(['TextBlock', 'Chart.VerticalBar']);
  });
});
