import type { TableResult } from '../../src/databricks/types';

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with a quote. */
export function toCsv(table: TableResult, maxBytes: number): { csv: string; rows: number; truncated: boolean } {
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

function cell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV cell (RFC 4180 quoting, formula prefix), for writers that stream rows. */
export { cell as csvCell };
