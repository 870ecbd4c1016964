import type { AdaptiveCard } from './expand';
import type { ChartPoint, ChartSpec } from './chart';
import { numberText, unitOf } from './format';

/**
 * The chart as Adaptive Card elements, led by a sentence that says what it shows (Adaptive Cards'
 * chart elements have no `altText`: the sentence is what a screen reader reads, and what a client
 * without charts still shows). Element names and properties as Teams documents them
 * (learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/charts-in-adaptive-cards):
 * `Chart.Line` data `[{ legend, values: [{ x, y }] }]`; `Chart.VerticalBar` and `Chart.HorizontalBar`
 * data `[{ x, y }]` (`displayMode` `AbsoluteWithAxis`); `Chart.VerticalBar.Grouped` data
 * `[{ legend, values: [{ x, y }] }]`; `Chart.Pie` data `[{ legend, value }]`; `xAxisTitle`,
 * `yAxisTitle`, and `fallback` for hosts that cannot render the element.
 */
const FALLBACK = { type: 'TextBlock', text: 'This app cannot draw the chart; the table below has the same figures.', wrap: true, isSubtle: true, size: 'Small' };
const NAMES: Record<ChartSpec['kind'], string> = {
  line: 'Line chart',
  bar: 'Bar chart',
  'horizontal-bar': 'Bar chart',
  'grouped-bar': 'Grouped bar chart',
  pie: 'Pie chart',
};

/** `title`: the card's heading; when it already names what is charted, the sentence does not say it again. */
export function chartItems(spec: ChartSpec, title = ''): AdaptiveCard[] {
  return [{ type: 'TextBlock', text: chartSummary(spec, title), wrap: true, size: 'Small' }, chartElement(spec)];
}

export function chartElement(spec: ChartSpec): AdaptiveCard {
  const axes = { xAxisTitle: spec.dimension, yAxisTitle: spec.measure };
  const xy = (p: ChartPoint) => ({ x: p.x, y: p.y });
  const first = spec.series[0]!;
  switch (spec.kind) {
    case 'line':
      return { type: 'Chart.Line', ...axes, data: spec.series.map((s) => ({ legend: s.legend, values: s.points.map(xy) })), fallback: FALLBACK };
    case 'bar':
      return { type: 'Chart.VerticalBar', ...axes, showBarValues: first.points.length <= 12, data: first.points.map(xy), fallback: FALLBACK };
    case 'horizontal-bar':
      return { type: 'Chart.HorizontalBar', ...axes, displayMode: 'AbsoluteWithAxis', data: first.points.map(xy), fallback: FALLBACK };
    case 'grouped-bar':
      return { type: 'Chart.VerticalBar.Grouped', ...axes, data: spec.series.map((s) => ({ legend: s.legend, values: s.points.map(xy) })), fallback: FALLBACK };
    case 'pie':
      return { type: 'Chart.Pie', data: first.points.map((p) => ({ legend: p.x, value: p.y })), fallback: FALLBACK };
  }
}

/**
 * One sentence for screen readers, e.g. "Line chart of total sales by month, 2026-01 to 2026-06;
 * highest 2026-05: 1,234.00, lowest 2026-02: 310.50."
 */
export function chartSummary(spec: ChartSpec, title = ''): string {
  const unit = unitOf(spec.measureColumn);
  const value = (p: ChartPoint) => numberText(p.raw, unit);
  const all = spec.series.flatMap((s) => s.points.map((p) => ({ ...p, legend: s.legend })));
  const high = all.reduce((m, p) => (p.y > m.y ? p : m));
  const low = all.reduce((m, p) => (p.y < m.y ? p : m));
  const multi = spec.series.length > 1;
  const at = (p: (typeof all)[number]) => (multi ? `${p.legend}, ${p.x}` : p.x);
  const by = spec.seriesDimension ? `${spec.dimension} and ${spec.seriesDimension}` : spec.dimension;
  let what = namedBy(spec, title) ? NAMES[spec.kind] : `${NAMES[spec.kind]} of ${spec.measure} by ${by}`;
  if (spec.kind === 'line') {
    const xs = spec.series.flatMap((s) => s.points.map((p) => p.x));
    what += `, ${xs[0]} to ${xs[xs.length - 1]}`;
  } else {
    const count = spec.series[0]!.points.length;
    what += spec.kind === 'pie' ? ` (${count} parts)` : multi ? '' : ` (${count} bars)`;
  }
  const extremes =
    spec.kind === 'pie'
      ? `largest ${high.x}: ${share(high.y, all)}, smallest ${low.x}: ${share(low.y, all)}`
      : `highest ${at(high)}: ${value(high)}, lowest ${at(low)}: ${value(low)}`;
  const negatives = spec.kind !== 'pie' && low.y < 0 ? ' Some values are below zero.' : '';
  const skipped = spec.skipped > 0 ? ` ${spec.skipped} row${spec.skipped === 1 ? ' has' : 's have'} no value and ${spec.skipped === 1 ? 'is' : 'are'} left out.` : '';
  return `${what}; ${extremes}.${negatives}${skipped}`;
}

function namedBy(spec: ChartSpec, title: string): boolean {
  const heading = title.toLowerCase().replace(/_/g, ' ');
  const words = (t: string) => t.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 3);
  return heading.includes(spec.dimension.toLowerCase()) && words(spec.measure).some((w) => heading.includes(w));
}

function share(y: number, all: { y: number }[]): string {
  const total = all.reduce((sum, p) => sum + p.y, 0);
  return `${Math.round((y / total) * 1000) / 10} %`;
}
