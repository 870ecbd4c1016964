import { formatText } from 'adaptivecards/lib/text-formatters';
import { cardInstant, cellText, dateTimeText, groupDigits, numberText, unitOf } from '../../../bot/present/format';

describe('numbers on cards', () => {
  it.each([
    ['5198474.87', '5,198,474.87'],
    ['115', '115'],
    ['1000', '1,000'],
    ['-1234567', '-1,234,567'],
    ['9007199254740993', '9,007,199,254,740,993'],
    ['0.5', '0.5'],
    ['12345.000', '12,345.000'],
    ['n/a', 'n/a'],
    ['1e6', '1e6'],
  ])('when %s is shown, then it reads %s (digit for digit, no float rounding)', (raw, shown) => {
    expect(groupDigits(raw)).toBe(shown);
  });

  it.each([
    ['amount', { kind: 'none' }],
    ['total_sales', { kind: 'none' }],
    ['price_eur', { kind: 'currency', code: 'EUR' }],
    ['revenue_usd', { kind: 'currency', code: 'USD' }],
    ['amount_chf', { kind: 'currency', code: 'CHF' }],
    ['discount_pct', { kind: 'percent' }],
    ['share_percent', { kind: 'percent' }],
    ['usd_rate_source', { kind: 'none' }],
  ])('when a column is called %s, then its unit is %j', (name, unit) => {
    expect(unitOf(name)).toEqual(unit);
  });

  it('when a currency or percent column is shown, then the unit sits beside the grouped number', () => {
    expect(numberText('5198474.87', { kind: 'currency', code: 'USD' })).toBe('$5,198,474.87');
    expect(numberText('-12.5', { kind: 'currency', code: 'EUR' })).toBe('-€12.5');
    expect(numberText('1200', { kind: 'currency', code: 'CHF' })).toBe('1,200 CHF');
    expect(numberText('12.5', { kind: 'percent' })).toBe('12.5 %');
  });
});

describe('times on cards', () => {
  it.each([
    ['2026-12-01T12:46:47.038Z', '2026-12-01T12:46:47Z'],
    ['2026-12-01 12:46:47.038', '2026-12-01T12:46:47Z'],
    ['2026-12-01T12:46:47Z', '2026-12-01T12:46:47Z'],
    ['2026-12-01T14:46:47+02:00', '2026-12-01T12:46:47Z'],
    ['2026-12-01T07:46:47-0500', '2026-12-01T12:46:47Z'],
    ['2026-12-01', undefined],
    ['yesterday', undefined],
    ['2026-13-45T99:00:00Z', undefined],
  ])('when %s is an instant on a card, then it is written %s', (raw, instant) => {
    expect(cardInstant(raw)).toBe(instant);
  });

  it('when a timestamp is put on a card, then the Adaptive Cards renderer localises it (no raw function left)', () => {
    const text = dateTimeText('2026-12-01T12:46:47.038Z');
    expect(text).toBe('{{DATE(2026-12-01T12:46:47Z, SHORT)}} {{TIME(2026-12-01T12:46:47Z)}}');
    const rendered = formatText('en-US', text);
    expect(rendered).not.toContain('{{');
    expect(rendered).toMatch(/2026/);
  });

  it('when milliseconds were kept, then the renderer would show the raw function (why we normalise)', () => {
    expect(formatText('en-US', '{{DATE(2026-12-01T12:46:47.038Z, SHORT)}}')).toContain('{{DATE(');
  });
});

describe('table cells by column type', () => {
  it.each([
    [{ name: 'total_sales', type: 'DECIMAL(18,2)' }, '5198474.87', '5,198,474.87'],
    [{ name: 'order_count', type: 'BIGINT' }, '1200', '1,200'],
    [{ name: 'order_id', type: 'STRING' }, '1200', '1200'],
    [{ name: 'order_id', type: 'BIGINT' }, '100042', '100042'],
    [{ name: 'year', type: 'INT' }, '2026', '2026'],
    [{ name: 'created_at', type: 'TIMESTAMP' }, '2026-12-01T12:46:47.038Z', '{{DATE(2026-12-01T12:46:47Z, SHORT)}} {{TIME(2026-12-01T12:46:47Z)}}'],
    [{ name: 'local_time', type: 'TIMESTAMP_NTZ' }, '2026-12-01T12:46:47.038', '2026-12-01 12:46:47'],
    [{ name: 'order_date', type: 'DATE' }, '2026-12-01', '2026-12-01'],
    [{ name: 'price_eur', type: 'DECIMAL(10,2)' }, '1234.50', '€1,234.50'],
  ])('when a %j cell holds %s, then it reads %s', (column, raw, shown) => {
    expect(cellText(column, raw)).toBe(shown);
  });
});
