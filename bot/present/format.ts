/**
 * How values read on a card: instants become Adaptive Cards date/time functions that each reader's
 * client renders in their own locale and time zone; numbers are grouped; a currency or unit is shown
 * only where the column itself says which one.
 *
 * Date/time functions (learn.microsoft.com/adaptive-cards/authoring-cards/text-features, "Date/Time
 * formatting and localization"): `{{DATE(2017-02-14T06:08:39Z, SHORT)}}` and `{{TIME(…)}}`, upper
 * case, no spaces inside the braces, strict RFC 3339 with `Z` or `±hh:mm`. Fractional seconds are NOT
 * accepted: the Adaptive Cards JS renderer's pattern is `\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|…)`
 * (adaptivecards `lib/text-formatters.js`), and a string that does not match is shown raw. So every
 * instant is normalised to whole seconds in UTC before it is put on a card.
 */

export type ColumnKind = 'date' | 'timestamp' | 'timestamp_ntz' | 'number' | 'text';

const NUMERIC = /^(TINYINT|SMALLINT|INT|INTEGER|BIGINT|LONG|SHORT|BYTE|FLOAT|DOUBLE|REAL|DECIMAL|NUMERIC|DEC)\b/i;

/** The kind of a column from its Databricks type name (Genie's manifest `type_name`). */
export function columnKind(type: string): ColumnKind {
  const t = type.trim().toUpperCase();
  if (t === 'DATE') return 'date';
  if (t === 'TIMESTAMP_NTZ') return 'timestamp_ntz';
  if (t === 'TIMESTAMP' || t === 'TIMESTAMP_LTZ') return 'timestamp';
  if (NUMERIC.test(t)) return 'number';
  return 'text';
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * An instant as the exact form the date/time functions accept (`2026-12-01T12:46:47Z`), or undefined.
 * Databricks' `TIMESTAMP` is an instant shown in the session time zone (UTC unless set); a value
 * without an offset is read as UTC.
 */
export function cardInstant(value: string): string | undefined {
  const m = INSTANT.exec(value.trim());
  if (!m) return undefined;
  const zone = m[4] === undefined || m[4] === 'Z' ? 'Z' : m[4].includes(':') ? m[4] : `${m[4].slice(0, 3)}:${m[4].slice(3)}`;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ?? ''}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Date and time for the reader's own locale and zone: `{{DATE(…, SHORT)}} {{TIME(…)}}`. */
export function dateTimeText(value: string): string {
  const instant = cardInstant(value);
  return instant === undefined ? value : `{{DATE(${instant}, SHORT)}} {{TIME(${instant})}}`;
}

/** A date only (the day in the reader's zone), e.g. for an expiry line. */
export function dateText(value: string): string {
  const instant = cardInstant(value);
  return instant === undefined ? value : `{{DATE(${instant}, SHORT)}}`;
}

const PLAIN_NUMBER = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** `5198474.87` → `5,198,474.87`, digit for digit (no float rounding; BIGINT and DECIMAL stay exact). */
export function groupDigits(value: string): string {
  const m = PLAIN_NUMBER.exec(value.trim());
  if (!m) return value;
  const sign = m[1] === '-' ? '-' : '';
  const whole = m[2]!.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return m[3] === undefined ? `${sign}${whole}` : `${sign}${whole}.${m[3]}`;
}

/** Currency only when the column names its ISO 4217 code (`amount_usd`, `revenue_eur`). */
const CURRENCY_SUFFIX = /(?:^|_)(usd|eur|gbp|chf|jpy|cad|aud|sek|nok|dkk|pln|inr|cny)$/i;
const PERCENT = /(?:^|_)(pct|percent|percentage)(?:$|_)|%$/i;
const SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥', CNY: '¥', INR: '₹' };

export type Unit = { kind: 'currency'; code: string } | { kind: 'percent' } | { kind: 'none' };

/**
 * The unit a numeric column's name states. Genie's manifest and Databricks types carry no currency,
 * so `amount`, `revenue`, `price` alone get no symbol: a default symbol would be wrong for every
 * space whose money is not in that currency. A name that says the code (`price_eur`) gets it.
 */
export function unitOf(columnName: string): Unit {
  const currency = CURRENCY_SUFFIX.exec(columnName);
  if (currency) return { kind: 'currency', code: currency[1]!.toUpperCase() };
  if (PERCENT.test(columnName)) return { kind: 'percent' };
  return { kind: 'none' };
}

/** A number as it reads on a card: grouped, with the column's unit. Non-numbers are returned as they are. */
export function numberText(value: string, unit: Unit = { kind: 'none' }): string {
  if (!PLAIN_NUMBER.test(value.trim())) return value;
  const grouped = groupDigits(value);
  if (unit.kind === 'percent') return `${grouped} %`;
  if (unit.kind === 'currency') {
    const symbol = SYMBOLS[unit.code];
    return symbol ? `${grouped.startsWith('-') ? '-' : ''}${symbol}${grouped.replace(/^-/, '')}` : `${grouped} ${unit.code}`;
  }
  return grouped;
}

/** Numbers that name things rather than count them (`order_id`, `year`, `zip`) are shown as they are. */
const IDENTIFIER = /(^|_)(id|key|code|number|no|nr|zip|postcode|year)$/i;

/** One table cell, by the column's type and name. */
export function cellText(column: { name: string; type: string }, value: string): string {
  switch (columnKind(column.type)) {
    case 'number':
      return IDENTIFIER.test(column.name) ? value : numberText(value, unitOf(column.name));
    case 'timestamp':
      return dateTimeText(value);
    case 'timestamp_ntz':
      // A wall-clock time with no zone: converting it to the reader's zone would change its meaning.
      return value.replace('T', ' ').replace(/(:\d{2})\.\d+$/, '$1');
    case 'date':
      // A calendar day, not an instant: DATE() of midnight UTC would show the previous day west of UTC.
      return value;
    case 'text':
      return value;
  }
}
