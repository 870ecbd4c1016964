/**
 * Deterministic natural language → DML for common phrasings, used when no LLM is configured
 * ("delete the cancelled orders in East", "mark order 100123 as shipped"). It only emits values
 * taken from the schema's known lists, digits and ISO dates, so nothing from the message is
 * pasted into SQL. The result still goes through the SQL guard and an approval.
 */
import { renderSparkString } from '../sql/canonical';

export interface NlColumnValues {
  column: string;
  values: readonly string[];
}

export interface NlTable {
  name: string;
  /** Singular noun used in requests ("order"). */
  noun: string;
  idColumn: string;
  dateColumn: string | undefined;
  /** Columns a request may filter on by naming a value ("cancelled", "East"). */
  filters: readonly NlColumnValues[];
  /** Columns a request may set ("as shipped", "to delivered"). */
  settable: readonly NlColumnValues[];
}

/** The demo workspace (`main.retail`). */
export const DEMO_NL_SCHEMA: readonly NlTable[] = [
  {
    name: 'main.retail.orders',
    noun: 'order',
    idColumn: 'order_id',
    dateColumn: 'order_date',
    filters: [
      { column: 'status', values: ['pending', 'shipped', 'delivered', 'cancelled', 'returned'] },
      { column: 'region', values: ['West', 'East', 'North', 'South', 'Central'] },
    ],
    settable: [{ column: 'status', values: ['pending', 'shipped', 'delivered', 'cancelled', 'returned'] }],
  },
];

export type NlToDmlResult = { ok: true; sql: string } | { ok: false; hint: string };

export const SQL_HINT =
  'I can make that change if you give me the exact SQL, e.g. `run: DELETE FROM main.retail.orders WHERE status = \'cancelled\' AND region = \'East\'`, or a ```sql block. I will show you its impact and ask for approval before anything runs.';

/** Spark reads `''` as two literals, not a quote: values are written the way Spark unescapes them. */
const quote = renderSparkString;

function findValues(text: string, values: readonly string[]): string[] {
  return values.filter((v) => new RegExp(`\\b${v.toLowerCase()}\\b`).test(text));
}

function isoDate(token: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(token)) return token;
  if (/^\d{4}$/.test(token)) return `${token}-01-01`;
  return undefined;
}

function conditions(text: string, table: NlTable): string[] {
  const where: string[] = [];
  const ids = new RegExp(`\\b${table.noun}s?\\s+(?:#|ids?\\s+|numbers?\\s+)?(\\d+(?:\\s*(?:,|and)\\s*\\d+)*)`).exec(text);
  if (ids) {
    const list = (ids[1] as string).split(/\s*(?:,|and)\s*/).filter(Boolean);
    where.push(list.length === 1 ? `${table.idColumn} = ${list[0]}` : `${table.idColumn} IN (${list.join(', ')})`);
  }
  for (const filter of table.filters) {
    const found = findValues(text, filter.values);
    if (found.length === 1) where.push(`${filter.column} = ${quote(found[0] as string)}`);
    if (found.length > 1) where.push(`${filter.column} IN (${found.map(quote).join(', ')})`);
  }
  if (table.dateColumn) {
    const before = /\b(?:before|prior to|older than)\s+(\d{4}-\d{2}-\d{2}|\d{4})\b/.exec(text);
    const after = /\b(?:after|since|from)\s+(\d{4}-\d{2}-\d{2}|\d{4})\b/.exec(text);
    const b = before ? isoDate(before[1] as string) : undefined;
    const a = after ? isoDate(after[1] as string) : undefined;
    if (b) where.push(`${table.dateColumn} < ${quote(b)}`);
    if (a) where.push(`${table.dateColumn} >= ${quote(a)}`);
  }
  return where;
}

/** Derives one DML statement from a change request, or explains how to give SQL. */
export function nlToDml(request: string, schema: readonly NlTable[] = DEMO_NL_SCHEMA): NlToDmlResult {
  const text = request.toLowerCase().replace(/[?!]+/g, ' ').replace(/\s+/g, ' ').trim();
  const table = schema.find((t) => new RegExp(`\\b${t.noun}s?\\b`).test(text));
  if (!table) return { ok: false, hint: SQL_HINT };
  const isDelete = /\b(delete|remove)\b/.test(text);
  const isUpdate = /\b(mark|set|update|change)\b/.test(text);
  if (isDelete === isUpdate) return { ok: false, hint: SQL_HINT };

  let filterText = text;
  let assignment: string | undefined;
  if (isUpdate) {
    for (const col of table.settable) {
      const target = new RegExp(`\\b(?:as|to)\\s+(${col.values.map((v) => v.toLowerCase()).join('|')})\\b`).exec(text);
      if (target) {
        const value = col.values.find((v) => v.toLowerCase() === target[1]) as string;
        assignment = `${col.column} = ${quote(value)}`;
        filterText = text.slice(0, target.index) + text.slice(target.index + target[0].length);
        break;
      }
    }
    if (!assignment) return { ok: false, hint: SQL_HINT };
  }
  const where = conditions(filterText, table);
  if (where.length === 0 && !/\ball\b/.test(text)) return { ok: false, hint: SQL_HINT };
  const whereSql = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  const sql = isDelete ? `DELETE FROM ${table.name}${whereSql}` : `UPDATE ${table.name} SET ${assignment as string}${whereSql}`;
  return { ok: true, sql };
}
