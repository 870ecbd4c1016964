import type { Attachment } from 'botbuilder';
import type { TableResult } from '../../src/databricks/types';

/** Largest CSV delivered inline; Teams caps an activity's size, so bigger results are cut with a note. */
export const MAX_CSV_BYTES = 200 * 1024;

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with a quote. */
export function toCsv(table: TableResult, maxBytes = MAX_CSV_BYTES): { csv: string; rows: number; truncated: boolean } {
  const lines = [table.columns.map((c) => cell(c.name)).join(',')];
  let bytes = Buffer.byteLength(lines[0] as string) + 2;
  let rows = 0;
  for (const row of table.rows) {
    const line = row.map((v) => cell(v)).join(',');
    bytes += Buffer.byteLength(line) + 2;
    if (bytes > maxBytes) break;
    lines.push(line);
    rows += 1;
  }
  return { csv: lines.join('\r\n') + '\r\n', rows, truncated: rows < table.rows.length || table.truncated };
}

/** The CSV as an inline attachment (data URI), instead of a file-consent upload. */
export function csvReply(table: TableResult, name: string): { text: string; attachment: Attachment } {
  const { csv, rows, truncated } = toCsv(table);
  const text = truncated
    ? `Here are the first ${rows} of ${table.totalRowCount} rows as CSV (the rest did not fit in one message).`
    : `Here is the full result (${rows} row${rows === 1 ? '' : 's'}) as CSV.`;
  return { text, attachment: { contentType: 'text/csv', name, contentUrl: `data:text/csv;base64,${Buffer.from(csv, 'utf8').toString('base64')}` } };
}

function cell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
