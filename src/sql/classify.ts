/**
 * The SQL guard. It fails closed: a statement is a read only when it is provably one read-only
 * query, and a write only when it is provably one INSERT INTO, UPDATE, DELETE or MERGE INTO of a
 * plain table. Everything else (DDL, GRANT/REVOKE, COPY INTO, OPTIMIZE, VACUUM, SET, USE, CALL,
 * RESTORE, REFRESH, INSERT OVERWRITE, TRUNCATE, several statements, anything unparseable) is
 * refused, whatever an approver says.
 *
 * Everything is decided on the canonical text (`canonical.ts`): the statement as the guard's own
 * Spark-faithful tokens render it back. For a change, that text is the one that is stored, shown,
 * hashed, counted and run.
 *
 * Reads need two independent proofs: the lexer sees one statement led by SELECT/WITH with no
 * write keyword anywhere, and node-sql-parser parses that same canonical text as one SELECT.
 * SHOW and DESCRIBE never change data in Databricks and are accepted by their leading keyword.
 */
import { Parser } from 'node-sql-parser';
import { canonicalize } from './canonical';
import { isWord, splitStatements, type Token } from './tokenize';
import type { SqlClassification, WriteShape } from './types';
import { readWriteShape } from './write-shape';

const parser = new Parser();
const DIALECTS = ['postgresql', 'mysql'] as const;

/** Words that never appear in a read-only query; their presence forbids the read path. */
const WRITE_WORDS = new Set([
  'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'INTO', 'OVERWRITE', 'CREATE', 'DROP', 'ALTER', 'TRUNCATE', 'GRANT', 'REVOKE',
  'COPY', 'OPTIMIZE', 'VACUUM', 'RESTORE', 'REFRESH', 'CALL', 'EXECUTE', 'EXEC', 'USE', 'MSCK', 'REPAIR', 'CACHE',
  'UNCACHE', 'LOAD', 'LOCK', 'ANALYZE', 'CLONE', 'REORG', 'SYNC', 'UNDROP', 'DECLARE',
]);

const READ_LEADS = new Set(['SELECT', 'WITH']);
const METADATA_LEADS = new Set(['SHOW', 'DESCRIBE', 'DESC']);
const WRITE_LEADS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

export interface SqlAnalysis {
  classification: SqlClassification;
  /** Present for writes. */
  shape: WriteShape | undefined;
  /** The canonical text of the one statement (absent when refused): for a change, what runs. */
  canonical: string | undefined;
}

function refused(reason: string): SqlAnalysis {
  return { classification: { kind: 'refused', reason }, shape: undefined, canonical: undefined };
}

type ParsedKind = string | 'unparseable' | 'several';

function parsedType(text: string): ParsedKind {
  for (const database of DIALECTS) {
    try {
      const ast = parser.astify(text, { database });
      const list = Array.isArray(ast) ? ast : [ast];
      if (list.length !== 1) return 'several';
      const node = list[0] as { type?: unknown };
      return typeof node.type === 'string' ? node.type.toLowerCase() : 'unparseable';
    } catch {
      continue;
    }
  }
  return 'unparseable';
}

function leadingWord(tokens: Token[]): Token | undefined {
  return tokens.find((t) => !(t.kind === 'punct' && t.value === '('));
}

function classifyRead(tokens: Token[], sql: string): SqlAnalysis {
  const writeWord = tokens.find((t) => t.kind === 'word' && WRITE_WORDS.has(t.value));
  if (writeWord) {
    return refused(`a query that mentions ${writeWord.value} cannot be proven read-only`);
  }
  const kind = parsedType(sql);
  if (kind === 'select') return { classification: { kind: 'read' }, shape: undefined, canonical: sql };
  if (kind === 'unparseable') return refused('the query could not be parsed, so it cannot be proven read-only');
  return refused('the query does not parse as a single SELECT');
}

function classifyWrite(tokens: Token[], sql: string): SqlAnalysis {
  const read = readWriteShape(tokens, sql);
  if (!read.ok) return refused(read.reason);
  const kind = parsedType(sql);
  if (kind !== 'unparseable' && kind !== read.shape.operation.toLowerCase()) {
    return refused(`the statement parses as ${kind.toUpperCase()}, not ${read.shape.operation}`);
  }
  const { shape } = read;
  const classification: SqlClassification = {
    kind: 'write',
    operation: shape.operation,
    targetTables: [shape.target],
    hasWhere: shape.whereClause !== undefined,
    ...(shape.whereClause !== undefined ? { whereClause: shape.whereClause } : {}),
  };
  return { classification, shape, canonical: sql };
}

/** Classifies one SQL text, with the structural pieces of a write for the dry run. */
export function analyzeSql(input: string): SqlAnalysis {
  const whole = canonicalize(input);
  if (!whole.ok) return refused(`the SQL was refused because ${whole.reason}`);
  const statements = splitStatements(whole.tokens);
  if (statements.length === 0) return refused('there is no SQL statement');
  if (statements.length > 1) return refused(`it holds ${statements.length} statements; send one at a time`);
  const only = statements[0] as Token[];
  const statement = canonicalize(whole.text.slice((only[0] as Token).start, (only[only.length - 1] as Token).end));
  if (!statement.ok) return refused(`the SQL was refused because ${statement.reason}`);
  const { text: sql, tokens } = statement;
  const lead = leadingWord(tokens);
  if (!lead || lead.kind !== 'word') return refused('the statement does not start with a keyword');
  if (READ_LEADS.has(lead.value)) {
    if (isWord(lead, 'WITH') && tokens.some((t) => t.kind === 'word' && WRITE_LEADS.has(t.value))) {
      return refused('a WITH clause in front of a change is not supported; write the change without WITH');
    }
    return classifyRead(tokens, sql);
  }
  if (METADATA_LEADS.has(lead.value) && lead === tokens[0]) return { classification: { kind: 'read' }, shape: undefined, canonical: sql };
  if (WRITE_LEADS.has(lead.value) && lead === tokens[0]) return classifyWrite(tokens, sql);
  return refused(`${lead.value} statements are not allowed`);
}

export function classifySql(sql: string): SqlClassification {
  return analyzeSql(sql).classification;
}
