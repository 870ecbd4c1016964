/**
 * Translates the Spark SQL the product sends into Postgres SQL that means the same thing. The text is
 * read with Spark's lexer rules (spark-lexer.ts, from SqlBaseLexer.g4), never with Postgres's: comments
 * end where Spark ends them and become a space, string literals are decoded the Spark way (backslash
 * escapes, raw strings, `"…"` as a string, adjacent literals concatenated) and re-emitted as Postgres
 * literals with the same value, Unicode whitespace becomes a space. On top: backtick identifiers,
 * three-part `main.retail.x` names, `:name` parameters (→ `$n`), Spark-only spellings, and the
 * statement kind. Security is not decided here; Postgres enforces grants and filters.
 */
import { EngineError, type EngineParam } from './engine-types';
import { postgresLiteral, unescapeSparkString } from './spark-literals';
import { sparkStatement, type Item } from './spark-statement';
import { PG_INFORMATION_SCHEMA } from './workspace/information-schema';
import { HR_SCHEMA } from './workspace/hr';
import { CATALOG, SCHEMA, TABLES } from './workspace/workspace';

export type StatementKind = 'query' | 'dml' | 'show_tables' | 'describe' | 'use' | 'ddl' | 'unsupported';

export interface TranslatedStatement {
  kind: StatementKind;
  sql: string;
  params: (string | null)[];
  /** For DESCRIBE: the table name (last name part). */
  table?: string;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const backquotedName = (text: string): string => text.slice(1, -1).replace(/``/g, '`');
const nameOf = (item: Item | undefined): string | undefined =>
  item?.token.kind === 'identifier' ? item.token.text.toLowerCase() : item?.token.kind === 'backquoted' ? backquotedName(item.token.text).toLowerCase() : undefined;
const isText = (item: Item | undefined, text: string): boolean => item?.token.kind === 'operator' && item.token.text === text;

/** The schemas of catalog `main`: `main.retail` and the second demo space's `main.hr` (workspace/hr.ts). */
const SCHEMAS = new Set([SCHEMA, HR_SCHEMA]);

/**
 * Drops the catalog from `main.retail.x` (any quoting, comments between parts); other catalogs stay and fail as not found.
 * `main.information_schema.x` and a bare `information_schema.x` (the session's catalog is `main`) name the
 * privilege-filtered views of workspace/information-schema.ts, never Postgres's own information schema.
 */
function stripCatalog(items: Item[]): Item[] {
  const out: Item[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const afterDot = isText(out[out.length - 1], '.');
    if (!afterDot && nameOf(item) === CATALOG && isText(items[i + 1], '.') && nameOf(items[i + 2]) === 'information_schema' && isText(items[i + 3], '.')) {
      out.push({ token: { ...item.token, kind: 'identifier', text: PG_INFORMATION_SCHEMA }, lead: item.lead });
      i += 2;
      continue;
    }
    if (!afterDot && nameOf(item) === 'information_schema' && isText(items[i + 1], '.')) {
      out.push({ token: { ...item.token, kind: 'identifier', text: PG_INFORMATION_SCHEMA }, lead: item.lead });
      continue;
    }
    if (nameOf(item) === CATALOG && isText(items[i + 1], '.') && SCHEMAS.has(nameOf(items[i + 2]) ?? '') && !isText(out[out.length - 1], '.')) {
      out.push({ ...items[i + 2]!, lead: item.lead });
      i += 2;
      continue;
    }
    out.push(item);
  }
  return out;
}

/** Spark identifiers are case-insensitive; quoted Postgres ones are not, so known names are folded. */
const KNOWN_NAMES = new Set([CATALOG, SCHEMA, ...TABLES.flatMap((t) => [t.name, ...t.columns.map((c) => c.name)])]);
const SPARK_NILADIC = new Set(['current_date', 'current_timestamp', 'current_user']);
const KIND_BY_KEYWORD: Record<string, StatementKind> = {
  select: 'query', with: 'query', values: 'query', table: 'query',
  insert: 'dml', update: 'dml', delete: 'dml', merge: 'dml',
  show: 'show_tables', describe: 'describe', desc: 'describe', use: 'use',
  create: 'ddl', drop: 'ddl', alter: 'ddl', grant: 'ddl', revoke: 'ddl', truncate: 'ddl', comment: 'ddl',
};
/**
 * Spark operators Postgres spells or evaluates differently: SqlBaseLexer EQ '==', LTE '!>', GTE '!<',
 * NSEQ '<=>', BANG '!' (NOT); HAT '^' is bitwise XOR in Spark (Postgres `#`; Postgres `^` is a power);
 * SLASH '/' never truncates in Spark (`7 / 2` is 3.5; Postgres integer division gives 3).
 */
const OPERATOR_SPELLING: Record<string, string> = {
  '==': '=', '!>': '<=', '!<': '>=', '<=>': ' IS NOT DISTINCT FROM ', '!': ' NOT ', '^': '#', '/': ' * 1.0 /',
};
/** Typed numeric literals (BIGINT_LITERAL 1L, SMALLINT_LITERAL 1S, TINYINT_LITERAL 1Y, FLOAT/DOUBLE_LITERAL, BIGDECIMAL_LITERAL 1BD). */
const NUMBER_SUFFIX: [RegExp, string][] = [
  [/bd$/i, '::numeric'], [/l$/i, '::bigint'], [/[sy]$/i, '::smallint'], [/f$/i, '::real'], [/d$/i, '::double precision'],
];

function numberLiteral(text: string): string {
  for (const [suffix, cast] of NUMBER_SUFFIX) {
    if (suffix.test(text)) return `${text.replace(suffix, '')}${cast}`;
  }
  return text;
}
const POSTGRES_OPERATOR_CHARS = /^[+\-*/<>=~!@#%^&|`?]$/;

/**
 * Appends `text` so that Postgres cannot glue it to what precedes it into another token: a word or
 * `U&` before a quote (`E'…'`, `U&'…'`, `U&"…"`), a word before `$n`, two operators (`!=` `-`).
 */
function append(out: string[], text: string): void {
  const last = out[out.length - 1]?.slice(-1) ?? '';
  const first = text[0] ?? '';
  const wordBefore = /[\p{L}\p{N}_$&]/u.test(last) && /[\p{L}\p{N}_$'"]/u.test(first);
  const operators = POSTGRES_OPERATOR_CHARS.test(last) && POSTGRES_OPERATOR_CHARS.test(first);
  out.push(wordBefore || operators ? ` ${text}` : text);
}

export function translate(sql: string, params: EngineParam[] = []): TranslatedStatement {
  const items = stripCatalog(sparkStatement(sql));
  const first = items[0]?.token.kind === 'identifier' ? items[0].token.text.toLowerCase() : isText(items[0], '(') ? 'select' : '';
  const kind = KIND_BY_KEYWORD[first] ?? 'unsupported';
  if (kind === 'describe') {
    const names = items.slice(1).filter((t) => !['table', 'extended', 'formatted'].includes(t.token.text.toLowerCase()) && !isText(t, '.'));
    return { kind, sql, params: [], table: nameOf(names[names.length - 1]) };
  }
  if (kind !== 'query' && kind !== 'dml') return { kind, sql: items.map((t) => t.lead + t.token.text).join('').trim(), params: [] };

  const byName = new Map(params.map((p) => [p.name.toLowerCase(), p]));
  const positions = new Map<string, number>();
  const values: (string | null)[] = [];
  const out: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const { token, lead } = items[i]!;
    if (lead) out.push(lead);
    if (token.kind === 'string' || token.kind === 'dq_string') {
      // SqlBaseParser `constant: stringLit+`: a run of adjacent literals (only hidden text between) is one value.
      let value = '';
      for (; items[i]?.token.kind === 'string' || items[i]?.token.kind === 'dq_string'; i++) value += unescapeSparkString(items[i]!.token.text);
      i -= 1;
      append(out, postgresLiteral(value));
    } else if (isText(items[i], ':') && (items[i + 1]?.token.kind === 'identifier' || items[i + 1]?.token.kind === 'backquoted')) {
      // SqlBaseParser `constant: COLON identifier #namedParameterLiteral`
      const name = nameOf(items[i + 1])!;
      const param = byName.get(name);
      if (!param) {
        throw new EngineError('42P02', 'UNBOUND_SQL_PARAMETER', `[UNBOUND_SQL_PARAMETER] Found the unbound parameter: ${name}. Please, fix \`args\` and provide a mapping of the parameter to a SQL literal. SQLSTATE: 42P02`);
      }
      if (!positions.has(name)) {
        values.push(param.value);
        positions.set(name, values.length);
      }
      append(out, `$${positions.get(name)}${pgCast(param.type)}`);
      i += 1;
    } else if (token.kind === 'backquoted') {
      const name = backquotedName(token.text);
      append(out, quote(KNOWN_NAMES.has(name.toLowerCase()) ? name.toLowerCase() : name));
    } else if (token.kind === 'identifier' && /^[0-9]/.test(token.text)) {
      // IDENTIFIER may start with a digit (`0x1F`, `1_000`, `1e`); Postgres 16+ would read those as numbers.
      append(out, quote(token.text.toLowerCase()));
    } else if (token.kind === 'identifier' && SPARK_NILADIC.has(token.text.toLowerCase()) && isText(items[i + 1], '(') && isText(items[i + 2], ')')) {
      append(out, token.text);
      i += 2;
    } else {
      append(out, token.kind === 'operator' ? (OPERATOR_SPELLING[token.text] ?? token.text) : token.kind === 'number' ? numberLiteral(token.text) : token.text);
    }
  }
  return { kind, sql: out.join(''), params: values };
}

function pgCast(sparkType: string): string {
  const type = sparkType.toUpperCase();
  if (['INT', 'INTEGER', 'SMALLINT', 'TINYINT'].includes(type)) return '::integer';
  if (type === 'BIGINT') return '::bigint';
  if (type.startsWith('DECIMAL')) return '::numeric';
  if (type === 'DOUBLE' || type === 'FLOAT') return '::double precision';
  if (type === 'BOOLEAN') return '::boolean';
  if (type === 'DATE') return '::date';
  if (type.startsWith('TIMESTAMP')) return '::timestamp';
  if (type === 'STRING' || type === 'VOID') return '::text';
  return '';
}
