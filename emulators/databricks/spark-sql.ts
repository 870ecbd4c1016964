/**
 * Translates the Spark SQL the product sends into Postgres SQL: backtick identifiers, three-part
 * `main.retail.x` names, `:name` parameters (→ `$n`), a few Spark-only function spellings, and
 * classifies the statement. Security is not decided here; Postgres enforces grants and filters.
 */
import { EngineError, type EngineParam } from './engine-types';
import { CATALOG, SCHEMA, TABLES } from './workspace/workspace';

export type StatementKind = 'query' | 'dml' | 'show_tables' | 'describe' | 'use' | 'ddl' | 'unsupported';

export interface TranslatedStatement {
  kind: StatementKind;
  sql: string;
  params: (string | null)[];
  /** For DESCRIBE: the table name (last name part). */
  table?: string;
}

type Token = { type: 'string' | 'ident' | 'quoted' | 'param' | 'space' | 'other'; text: string };

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (type: Token['type'], end: number): void => {
    tokens.push({ type, text: sql.slice(i, end) });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const rest = sql.slice(i);
    if (c === "'") {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === "'" && sql[j + 1] !== "'")) j += sql[j] === "'" || sql[j] === '\\' ? 2 : 1;
      push('string', Math.min(j + 1, sql.length));
    } else if (c === '`' || c === '"') {
      const end = sql.indexOf(c, i + 1);
      if (end < 0) throw new EngineError('42601', 'PARSE_SYNTAX_ERROR', `[PARSE_SYNTAX_ERROR] Syntax error at or near '${c}': unterminated identifier. SQLSTATE: 42601`);
      tokens.push({ type: 'quoted', text: sql.slice(i + 1, end) });
      i = end + 1;
    } else if (rest.startsWith('--')) {
      const end = sql.indexOf('\n', i);
      push('space', end < 0 ? sql.length : end);
    } else if (rest.startsWith('/*')) {
      const end = sql.indexOf('*/', i + 2);
      push('space', end < 0 ? sql.length : end + 2);
    } else if (/\s/.test(c)) {
      push('space', i + (/^\s+/.exec(rest)?.[0].length ?? 1));
    } else if (c === ':' && sql[i + 1] === ':') {
      push('other', i + 2);
    } else if (c === ':' && /^:[A-Za-z_]\w*/.test(rest)) {
      push('param', i + (/^:[A-Za-z_]\w*/.exec(rest)?.[0].length ?? 1));
    } else if (/[A-Za-z_]/.test(c)) {
      push('ident', i + (/^[A-Za-z_][\w$]*/.exec(rest)?.[0].length ?? 1));
    } else {
      push('other', i + 1);
    }
  }
  return tokens;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const nameOf = (t: Token | undefined): string | undefined => (t && (t.type === 'ident' || t.type === 'quoted') ? t.text.toLowerCase() : undefined);

/** Drops the catalog from `main.retail.x` (any quoting); other catalogs stay and fail as not found. */
function stripCatalog(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = out[out.length - 1];
    if (nameOf(t) === CATALOG && tokens[i + 1]?.text === '.' && nameOf(tokens[i + 2]) === SCHEMA && prev?.text !== '.') {
      i += 1;
      continue;
    }
    out.push(t);
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

export function translate(sql: string, params: EngineParam[] = []): TranslatedStatement {
  const tokens = stripCatalog(tokenize(sql.trim().replace(/;\s*$/, '')));
  const words = tokens.filter((t) => t.type !== 'space');
  const first = words[0]?.type === 'ident' ? words[0].text.toLowerCase() : words[0]?.text === '(' ? 'select' : '';
  const kind = KIND_BY_KEYWORD[first] ?? 'unsupported';
  if (kind === 'describe') {
    const names = words.slice(1).filter((t) => !['table', 'extended', 'formatted'].includes(t.text.toLowerCase()) && t.text !== '.');
    return { kind, sql, params: [], table: nameOf(names[names.length - 1]) };
  }
  if (kind !== 'query' && kind !== 'dml') return { kind, sql, params: [] };

  const byName = new Map(params.map((p) => [p.name.toLowerCase(), p]));
  const positions = new Map<string, number>();
  const values: (string | null)[] = [];
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'param') {
      const name = t.text.slice(1).toLowerCase();
      const param = byName.get(name);
      if (!param) {
        throw new EngineError('42P02', 'UNBOUND_SQL_PARAMETER', `[UNBOUND_SQL_PARAMETER] Found the unbound parameter: ${name}. Please, fix \`args\` and provide a mapping of the parameter to a SQL literal. SQLSTATE: 42P02`);
      }
      if (!positions.has(name)) {
        values.push(param.value);
        positions.set(name, values.length);
      }
      out.push(`$${positions.get(name)}${pgCast(param.type)}`);
    } else if (t.type === 'quoted') {
      out.push(quote(KNOWN_NAMES.has(t.text.toLowerCase()) ? t.text.toLowerCase() : t.text));
    } else if (t.type === 'ident' && SPARK_NILADIC.has(t.text.toLowerCase()) && tokens[i + 1]?.text === '(' && tokens[i + 2]?.text === ')') {
      out.push(t.text);
      i += 2;
    } else {
      out.push(t.text);
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
