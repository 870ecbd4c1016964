/**
 * What a Teams client shows for the Adaptive Cards date/time functions in a TextBlock: the instant in
 * the reader's own locale and time zone (learn.microsoft.com/adaptive-cards/authoring-cards/text-features,
 * "Date/Time formatting and localization"). Same patterns and output as the Adaptive Cards JS renderer
 * (adaptivecards `lib/text-formatters.js`): `{{DATE(<RFC 3339, whole seconds>[, COMPACT|SHORT|LONG])}}`
 * and `{{TIME(…)}}`; anything else (milliseconds, lower case, spaces) stays as raw text, as in Teams.
 */
const INSTANT = String.raw`(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|(?:(?:-|\+)\d{2}:\d{2})))`;
const DATE_FN = new RegExp(String.raw`\{{2}DATE\(${INSTANT}(?:, ?(COMPACT|LONG|SHORT))?\)\}{2}`, 'g');
const TIME_FN = new RegExp(String.raw`\{{2}TIME\(${INSTANT}\)\}{2}`, 'g');

export function formatDateTimeFunctions(text: string, locale?: string, timeZone?: string): string {
  return text
    .replace(DATE_FN, (_m, iso: string, format: string | undefined) => {
      const date = new Date(Date.parse(iso));
      const style = (format ?? 'COMPACT').toLowerCase() as 'compact' | 'short' | 'long';
      return style === 'compact'
        ? date.toLocaleDateString(locale, { timeZone })
        : date.toLocaleDateString(locale, { day: 'numeric', weekday: style, month: style, year: 'numeric', timeZone });
    })
    .replace(TIME_FN, (_m, iso: string) => new Date(Date.parse(iso)).toLocaleTimeString(locale, { hour: 'numeric', minute: '2-digit', timeZone }));
}
