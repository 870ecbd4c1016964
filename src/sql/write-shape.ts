/**
 * Structural reading of the four allowed writes from lexer tokens. It accepts only the documented
 * Databricks shapes (`DELETE FROM t [alias] [WHERE …]`, `UPDATE t [alias] SET … [WHERE …]`,
 * `INSERT INTO t [(cols)] VALUES|SELECT|WITH|TABLE …`, `MERGE INTO t [alias] USING … ON … WHEN …`);
 * anything else is refused rather than guessed.
 */
import type { Token } from './tokenize';
import { isWord } from './tokenize';
import { unboundedBecause } from './bounds';
import type { InsertSource, WriteShape } from './types';

export type ShapeResult = { ok: true; shape: WriteShape } | { ok: false; reason: string };

const RESERVED_AFTER_TABLE = new Set([
  'SET', 'WHERE', 'USING', 'ON', 'WHEN', 'VALUES', 'SELECT', 'WITH', 'TABLE', 'REPLACE', 'BY', 'PARTITION', 'FROM', 'AS',
]);

interface TableRef {
  name: string;
  text: string;
  next: number;
}

/** File formats that make `format.\`path\`` a path-based table in Databricks. */
const PATH_FORMATS = new Set(['DELTA', 'PARQUET', 'CSV', 'JSON', 'ORC', 'AVRO', 'TEXT', 'BINARYFILE', 'JDBC']);

/** `IDENTIFIER(…)` and path-based names are resolved by the warehouse, not by reading the text. */
export function indirectTarget(tokens: Token[], at: number): string | undefined {
  const t = tokens[at];
  if (isWord(t, 'IDENTIFIER') && tokens[at + 1]?.value === '(') return 'an IDENTIFIER(…) target is not allowed; name the table';
  const dot = tokens[at + 1];
  const second = tokens[at + 2];
  if (t?.kind === 'word' && PATH_FORMATS.has(t.value) && dot?.value === '.' && second?.kind === 'quoted-ident') {
    return 'a path-based target (format.`path`) is not allowed; name the table';
  }
  for (let i = at; tokens[i] && (tokens[i]?.kind === 'word' || tokens[i]?.kind === 'quoted-ident' || tokens[i]?.value === '.'); i += 1) {
    if (tokens[i]?.kind === 'quoted-ident' && /[/:]/.test(tokens[i]?.value ?? '')) return 'a path-based target is not allowed; name the table';
  }
  return undefined;
}

function readTable(tokens: Token[], at: number, sql: string): TableRef | undefined {
  const parts: string[] = [];
  let i = at;
  for (;;) {
    const t = tokens[i];
    if (!t || t.depth !== 0) return undefined;
    if (t.kind === 'word') {
      if (parts.length === 0 && RESERVED_AFTER_TABLE.has(t.value)) return undefined;
      parts.push(t.value.toLowerCase());
    } else if (t.kind === 'quoted-ident') {
      parts.push(/^[A-Za-z0-9_]+$/.test(t.value) ? t.value.toLowerCase() : `\`${t.value}\``);
    } else {
      return undefined;
    }
    const dot = tokens[i + 1];
    if (dot && dot.kind === 'punct' && dot.value === '.' && dot.start === t.end) {
      i += 2;
      continue;
    }
    break;
  }
  if (parts.length > 3) return undefined;
  const first = tokens[at] as Token;
  const last = tokens[i] as Token;
  return { name: parts.join('.'), text: sql.slice(first.start, last.end), next: i + 1 };
}

function readAlias(tokens: Token[], at: number, sql: string): { text: string | undefined; next: number } {
  let i = at;
  if (isWord(tokens[i], 'AS')) i += 1;
  const t = tokens[i];
  if (t && t.depth === 0 && ((t.kind === 'word' && !RESERVED_AFTER_TABLE.has(t.value)) || t.kind === 'quoted-ident')) {
    return { text: sql.slice(t.start, t.end), next: i + 1 };
  }
  return { text: undefined, next: at };
}

function topLevelIndex(tokens: Token[], from: number, ...words: string[]): number {
  for (let i = from; i < tokens.length; i += 1) {
    const t = tokens[i] as Token;
    if (t.depth === 0 && t.kind === 'word' && words.includes(t.value)) return i;
  }
  return -1;
}

function textBetween(tokens: Token[], from: number, to: number, sql: string): string {
  const first = tokens[from];
  const last = tokens[to - 1];
  if (!first || !last || to <= from) return '';
  return sql.slice(first.start, last.end).trim();
}

function shape(partial: Pick<WriteShape, 'operation' | 'target' | 'targetText'> & Partial<WriteShape>): WriteShape {
  return {
    aliasText: undefined,
    whereClause: undefined,
    insertSource: undefined,
    merge: undefined,
    countRegion: undefined,
    unboundedBecause: [],
    ...partial,
  };
}

function readDelete(tokens: Token[], sql: string): ShapeResult {
  if (!isWord(tokens[1], 'FROM')) return { ok: false, reason: 'DELETE must be written as DELETE FROM <table> [WHERE …]' };
  const indirect = indirectTarget(tokens, 2);
  if (indirect) return { ok: false, reason: indirect };
  const table = readTable(tokens, 2, sql);
  if (!table) return { ok: false, reason: 'the DELETE target is not a plain table name' };
  const alias = readAlias(tokens, table.next, sql);
  const rest = alias.next;
  if (rest === tokens.length) return { ok: true, shape: shape({ operation: 'DELETE', target: table.name, targetText: table.text, aliasText: alias.text }) };
  if (!isWord(tokens[rest], 'WHERE') || rest + 1 >= tokens.length) return { ok: false, reason: 'DELETE must be written as DELETE FROM <table> [WHERE …]' };
  const whereClause = textBetween(tokens, rest + 1, tokens.length, sql);
  const countRegion = { from: rest + 1, to: tokens.length };
  return { ok: true, shape: shape({ operation: 'DELETE', target: table.name, targetText: table.text, aliasText: alias.text, whereClause, countRegion }) };
}

function readUpdate(tokens: Token[], sql: string): ShapeResult {
  const indirect = indirectTarget(tokens, 1);
  if (indirect) return { ok: false, reason: indirect };
  const table = readTable(tokens, 1, sql);
  if (!table) return { ok: false, reason: 'the UPDATE target is not a plain table name' };
  const alias = readAlias(tokens, table.next, sql);
  if (!isWord(tokens[alias.next], 'SET')) return { ok: false, reason: 'UPDATE must be written as UPDATE <table> SET … [WHERE …]' };
  const where = topLevelIndex(tokens, alias.next + 1, 'WHERE');
  const from = topLevelIndex(tokens, alias.next + 1, 'FROM');
  if (from !== -1 && (where === -1 || from < where)) return { ok: false, reason: 'UPDATE … FROM is not supported' };
  if (where === alias.next + 1 || where === tokens.length - 1) return { ok: false, reason: 'the UPDATE has an empty SET or WHERE' };
  const whereClause = where === -1 ? undefined : textBetween(tokens, where + 1, tokens.length, sql);
  const countRegion = where === -1 ? undefined : { from: where + 1, to: tokens.length };
  return { ok: true, shape: shape({ operation: 'UPDATE', target: table.name, targetText: table.text, aliasText: alias.text, whereClause, countRegion }) };
}

function countValuesRows(tokens: Token[], from: number): number | undefined {
  let rows = 0;
  let expectRow = true;
  for (let i = from; i < tokens.length; i += 1) {
    const t = tokens[i] as Token;
    if (t.depth !== 0) continue;
    if (expectRow && t.kind === 'punct' && t.value === '(') {
      rows += 1;
      expectRow = false;
    } else if (!expectRow && t.kind === 'punct' && t.value === ')') {
      continue;
    } else if (!expectRow && t.kind === 'punct' && t.value === ',') {
      expectRow = true;
    } else {
      return undefined;
    }
  }
  return expectRow ? undefined : rows;
}

function readInsert(tokens: Token[], sql: string): ShapeResult {
  if (isWord(tokens[1], 'OVERWRITE')) return { ok: false, reason: 'INSERT OVERWRITE replaces the data of a table' };
  if (!isWord(tokens[1], 'INTO')) return { ok: false, reason: 'INSERT must be written as INSERT INTO <table> …' };
  const targetAt = isWord(tokens[2], 'TABLE') ? 3 : 2;
  const indirect = indirectTarget(tokens, targetAt);
  if (indirect) return { ok: false, reason: indirect };
  const table = readTable(tokens, targetAt, sql);
  if (!table) return { ok: false, reason: 'the INSERT target is not a plain table name' };
  if (topLevelIndex(tokens, table.next, 'REPLACE', 'OVERWRITE', 'PARTITION') !== -1) {
    return { ok: false, reason: 'INSERT … REPLACE, OVERWRITE or PARTITION clauses are not allowed' };
  }
  let i = table.next;
  const open = tokens[i];
  if (open && open.kind === 'punct' && open.value === '(' && !isWord(tokens[i + 1], 'SELECT', 'WITH', 'VALUES')) {
    const close = tokens.findIndex((t, k) => k > i && t.depth === 0 && t.kind === 'punct' && t.value === ')');
    if (close === -1) return { ok: false, reason: 'the INSERT column list is not closed' };
    i = close + 1;
  }
  const head = tokens[i];
  let insertSource: InsertSource;
  let countRegion: WriteShape['countRegion'];
  if (isWord(head, 'VALUES')) {
    const rows = countValuesRows(tokens, i + 1);
    if (rows === undefined) return { ok: false, reason: 'the INSERT VALUES list could not be read' };
    insertSource = { kind: 'values', rows };
  } else if (isWord(head, 'SELECT', 'WITH', 'TABLE') || (head?.kind === 'punct' && head.value === '(')) {
    insertSource = { kind: 'query', text: textBetween(tokens, i, tokens.length, sql) };
    countRegion = { from: i, to: tokens.length };
  } else {
    return { ok: false, reason: 'INSERT must be followed by VALUES or a query' };
  }
  return { ok: true, shape: shape({ operation: 'INSERT', target: table.name, targetText: table.text, insertSource, countRegion }) };
}

function readMerge(tokens: Token[], sql: string): ShapeResult {
  if (!isWord(tokens[1], 'INTO')) return { ok: false, reason: 'MERGE must be written as MERGE INTO <table> USING … ON … WHEN …' };
  const indirect = indirectTarget(tokens, 2);
  if (indirect) return { ok: false, reason: indirect };
  const table = readTable(tokens, 2, sql);
  if (!table) return { ok: false, reason: 'the MERGE target is not a plain table name' };
  const alias = readAlias(tokens, table.next, sql);
  if (!isWord(tokens[alias.next], 'USING')) return { ok: false, reason: 'MERGE must be written as MERGE INTO <table> USING … ON … WHEN …' };
  const on = topLevelIndex(tokens, alias.next + 1, 'ON');
  const when = on === -1 ? -1 : topLevelIndex(tokens, on + 1, 'WHEN');
  if (on === -1 || when === -1 || on === alias.next + 1 || when === on + 1) {
    return { ok: false, reason: 'MERGE must be written as MERGE INTO <table> USING … ON … WHEN …' };
  }
  const merge = {
    sourceText: textBetween(tokens, alias.next + 1, on, sql),
    onText: textBetween(tokens, on + 1, when, sql),
    ...mergeClauses(tokens, when),
  };
  const countRegion = { from: alias.next + 1, to: tokens.length };
  return { ok: true, shape: shape({ operation: 'MERGE', target: table.name, targetText: table.text, aliasText: alias.text, merge, countRegion }) };
}

/** Which WHEN clauses a MERGE has: `NOT MATCHED [BY TARGET]` inserts, `NOT MATCHED BY SOURCE` touches other target rows. */
function mergeClauses(tokens: Token[], from: number): { inserts: boolean; bySource: boolean } {
  let inserts = false;
  let bySource = false;
  for (let i = from; i < tokens.length; i += 1) {
    if (!isWord(tokens[i], 'WHEN') || tokens[i]?.depth !== 0) continue;
    if (!isWord(tokens[i + 1], 'NOT')) continue;
    if (isWord(tokens[i + 3], 'BY') && isWord(tokens[i + 4], 'SOURCE')) bySource = true;
    else inserts = true;
  }
  return { inserts, bySource };
}

/** Reads one write statement (already known to be a single statement) into its pieces. */
export function readWriteShape(tokens: Token[], sql: string): ShapeResult {
  const read = readShape(tokens, sql);
  if (!read.ok) return read;
  return { ok: true, shape: { ...read.shape, unboundedBecause: unboundedBecause(tokens, read.shape) } };
}

function readShape(tokens: Token[], sql: string): ShapeResult {
  const lead = tokens[0];
  if (isWord(lead, 'DELETE')) return readDelete(tokens, sql);
  if (isWord(lead, 'UPDATE')) return readUpdate(tokens, sql);
  if (isWord(lead, 'INSERT')) return readInsert(tokens, sql);
  if (isWord(lead, 'MERGE')) return readMerge(tokens, sql);
  return { ok: false, reason: `${lead?.value ?? 'an empty statement'} is not an allowed change` };
}
