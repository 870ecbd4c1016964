/**
 * Whether a change's dry-run count can be trusted as its size. A count is a bound only when the rows
 * it counts are decided by the statement's own text over the target table alone. It is not when:
 * there is no WHERE clause (the whole table, however large it grows); a MERGE has `WHEN NOT MATCHED
 * BY SOURCE` (target rows the source does not name, which a join count does not see); the predicate
 * calls anything whose answer can change between request and approval (`now()`, `rand()`, a UDF,
 * `TABLESAMPLE`); or it reads another table, which someone (the requester included) can fill later.
 * Such changes are shown as unbounded and always need an approver from the approvers group.
 */
import { isWord, type Token } from './tokenize';
import type { WriteShape } from './types';

/** Spark built-ins that give the same answer for the same input. Anything else called is a doubt. */
const DETERMINISTIC = new Set([
  'ABS', 'CEIL', 'CEILING', 'FLOOR', 'ROUND', 'BROUND', 'SIGN', 'MOD', 'PMOD', 'POWER', 'POW', 'SQRT', 'EXP', 'LN', 'LOG', 'LOG10', 'LOG2',
  'GREATEST', 'LEAST', 'COALESCE', 'NVL', 'NVL2', 'IFNULL', 'NULLIF', 'IF', 'IFF', 'UPPER', 'LOWER', 'UCASE', 'LCASE', 'TRIM', 'LTRIM',
  'RTRIM', 'BTRIM', 'LENGTH', 'LEN', 'CHAR_LENGTH', 'CHARACTER_LENGTH', 'SUBSTR', 'SUBSTRING', 'LEFT', 'RIGHT', 'CONCAT', 'CONCAT_WS',
  'REPLACE', 'REGEXP_REPLACE', 'REGEXP_EXTRACT', 'REGEXP_LIKE', 'LPAD', 'RPAD', 'INSTR', 'LOCATE', 'POSITION', 'SPLIT', 'SPLIT_PART',
  'STARTSWITH', 'ENDSWITH', 'CONTAINS', 'INITCAP', 'REVERSE', 'REPEAT', 'TRANSLATE', 'TO_DATE', 'TO_TIMESTAMP', 'DATE', 'TIMESTAMP',
  'DATE_FORMAT', 'DATE_TRUNC', 'TRUNC', 'YEAR', 'MONTH', 'DAY', 'DAYOFMONTH', 'DAYOFWEEK', 'DAYOFYEAR', 'HOUR', 'MINUTE', 'SECOND',
  'QUARTER', 'WEEKOFYEAR', 'LAST_DAY', 'ADD_MONTHS', 'DATE_ADD', 'DATE_SUB', 'DATEADD', 'DATEDIFF', 'DATE_DIFF', 'MONTHS_BETWEEN',
  'MAKE_DATE', 'MAKE_TIMESTAMP', 'EXTRACT', 'DATE_PART', 'DATEPART', 'CAST', 'TRY_CAST', 'DECIMAL', 'INT', 'BIGINT', 'DOUBLE', 'FLOAT',
  'STRING', 'BOOLEAN', 'ARRAY', 'STRUCT', 'NAMED_STRUCT', 'ARRAY_CONTAINS', 'SIZE', 'ELEMENT_AT', 'ISNULL', 'ISNOTNULL', 'ISNAN', 'NANVL',
  'HASH', 'MD5', 'SHA1', 'SHA2', 'CRC32', 'BASE64', 'UNBASE64', 'HEX', 'UNHEX', 'TO_CHAR', 'TO_NUMBER', 'COUNT', 'SUM', 'AVG', 'MIN', 'MAX',
]);

/** Keywords that a `(` may follow without being a function call. */
const NOT_CALLS = new Set([
  'IN', 'EXISTS', 'VALUES', 'AND', 'OR', 'NOT', 'ON', 'USING', 'WHERE', 'SELECT', 'AS', 'FROM', 'JOIN', 'ANY', 'ALL', 'SOME', 'CASE',
  'WHEN', 'THEN', 'ELSE', 'IS', 'BETWEEN', 'LIKE', 'ILIKE', 'RLIKE', 'OVER', 'FILTER', 'WITHIN', 'SET', 'BY', 'INTO', 'END', 'DISTINCT',
  'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'HAVING', 'TABLE', 'WITH', 'LATERAL', 'INSERT', 'UPDATE', 'DELETE', 'MATCHED',
]);

/** Words whose value changes over time even without a call. */
const CHANGING_WORDS = new Set(['CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME', 'LOCALTIMESTAMP', 'SYSDATE', 'TABLESAMPLE']);

function tableNameAt(tokens: Token[], at: number): { name: string; next: number } | undefined {
  const parts: string[] = [];
  let i = at;
  while (tokens[i]?.kind === 'word' || tokens[i]?.kind === 'quoted-ident') {
    parts.push((tokens[i] as Token).value.toLowerCase());
    if (tokens[i + 1]?.value !== '.') return { name: parts.join('.'), next: i + 1 };
    i += 2;
  }
  return undefined;
}

function otherTables(tokens: Token[], from: number, to: number, target: string, mergeSourceAt: number | undefined): string[] {
  const found = new Set<string>();
  const readRefs = (at: number): void => {
    let i = at;
    for (;;) {
      if (tokens[i]?.value === '(') return;
      const ref = tableNameAt(tokens, i);
      if (!ref) return;
      if (tokens[ref.next]?.value === '(') found.add(`${ref.name}(…)`);
      else if (ref.name !== target) found.add(ref.name);
      let j = ref.next;
      if (isWord(tokens[j], 'AS')) j += 1;
      if (tokens[j]?.kind === 'word' && !NOT_CALLS.has(tokens[j]?.value ?? '')) j += 1;
      if (tokens[j]?.value !== ',' || (tokens[j] as Token).depth !== (tokens[at] as Token).depth) return;
      i = j + 1;
    }
  };
  if (mergeSourceAt !== undefined) readRefs(mergeSourceAt);
  for (let i = from; i < to; i += 1) {
    if (isWord(tokens[i], 'FROM', 'JOIN', 'TABLE')) readRefs(i + 1);
  }
  return [...found];
}

function changingCalls(tokens: Token[], from: number, to: number): string[] {
  const found = new Set<string>();
  for (let i = from; i < to; i += 1) {
    const t = tokens[i] as Token;
    if (t.kind !== 'word') continue;
    if (CHANGING_WORDS.has(t.value)) found.add(t.value.toLowerCase());
    const called = tokens[i + 1]?.value === '(' && !NOT_CALLS.has(t.value);
    const qualified = tokens[i - 1]?.value === '.';
    if (called && (qualified || !DETERMINISTIC.has(t.value))) found.add(`${t.value.toLowerCase()}()`);
  }
  return [...found];
}

/** The reasons why the dry-run count of this change is not a bound on what it changes (empty: it is). */
export function unboundedBecause(tokens: Token[], shape: WriteShape): string[] {
  const reasons: string[] = [];
  if ((shape.operation === 'UPDATE' || shape.operation === 'DELETE') && shape.whereClause === undefined) {
    reasons.push(`there is no WHERE clause: every row of ${shape.target}`);
  }
  if (shape.merge?.bySource) reasons.push('WHEN NOT MATCHED BY SOURCE changes target rows that the source does not name');
  const region = shape.countRegion;
  if (!region) return reasons;
  const calls = changingCalls(tokens, region.from, region.to);
  if (calls.length > 0) reasons.push(`it uses ${calls.join(', ')}, whose result can change between request and approval`);
  const mergeSourceAt = shape.operation === 'MERGE' ? region.from : undefined;
  const others = otherTables(tokens, region.from, region.to, shape.target, mergeSourceAt);
  if (others.length > 0) reasons.push(`it reads ${others.join(', ')}, which can change between request and approval`);
  return reasons;
}
