/**
 * The guard's SQL lexer. Databricks reads SQL with Spark's ANTLR lexer (apache/spark,
 * `sql/api/src/main/antlr4/org/apache/spark/sql/catalyst/parser/SqlBaseLexer.g4`), so this reads it
 * the same way, rule by rule (the rule names are quoted where they apply):
 *
 * - `SIMPLE_COMMENT`: `--` runs over any character but CR and LF, and over a backslash + LF pair
 *   (the comment continues on the next line); it then takes one optional CR and one optional LF.
 * - `BRACKETED_COMMENT`: `/* … *\/` nests; `/*+` opens a hint, not a comment; unclosed is an error.
 * - `STRING_LITERAL` / `DOUBLEQUOTED_STRING`: `'…'` and `"…"` with backslash escapes and no `''`
 *   escape (two adjacent literals, which the parser concatenates); `R'…'` / `R"…"` raw, no escapes.
 *   Values are decoded as `SparkParserUtils.unescapeSQLString` does.
 * - `WS`: space, tab, LF, FF, CR, VT and the Unicode spaces listed there (not every `\s` of JavaScript).
 * - `BACKQUOTED_IDENTIFIER`: `` `…` `` with ``` `` ``` as the escape.
 * - Numeric literals and `IDENTIFIER` compete by longest match (`1e5` is a number, `1abc` an identifier).
 *
 * Where this lexer cannot be sure it reads a statement as Spark does, it refuses instead of guessing:
 * hints, `${…}` (Spark substitutes variables in the raw text before lexing, strings and comments
 * included: `VariableSubstitution`), URI-style identifiers (`s3://…`), identifiers starting with a
 * digit, a star-slash (`*` then `/`) outside a comment (Spark's hint-end token), and any other non-ASCII character outside
 * a string literal (look-alike letters, a fullwidth semicolon).
 */

export type TokenKind = 'word' | 'string' | 'quoted-ident' | 'number' | 'punct' | 'semicolon';

export interface Token {
  kind: TokenKind;
  /** Upper-cased for words; the decoded value for strings and quoted identifiers; the raw text otherwise. */
  value: string;
  /** Offsets into the lexed text. */
  start: number;
  end: number;
  /** Parenthesis depth at the token (0 = top level of its statement). */
  depth: number;
  /** True when whitespace or a comment separates this token from the previous one. */
  gapBefore: boolean;
  /** True when that gap holds a line break (kept as a line break in the canonical text). */
  lineBefore: boolean;
}

export type LexResult = { ok: true; tokens: Token[] } | { ok: false; reason: string };

/** `WS` of SqlBaseLexer.g4. */
const SPARK_WS = new Set([
  ' ', '\t', '\n', '\f', '\r', '\u000b', '\u00a0', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005',
  '\u2006', '\u2007', '\u2008', '\u2009', '\u200a', '\u2028', '\u202f', '\u205f', '\u3000',
]);
const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
/** The one-character tokens of SqlBaseLexer.g4; anything else there is `UNRECOGNIZED`. */
const SPARK_PUNCT = new Set([...'(),.[]!=<>+-*/%~&|^:?']);
/** Spark's numeric literals: `DIGIT+` or `DECIMAL_DIGITS`, optional `EXPONENT`, optional type suffix. */
const SPARK_NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:E[+-]?\d+)?(?:L|S|Y|F|D|BD)?$/i;

interface Gap {
  end: number;
  line: boolean;
}

type Step = { ok: true; end: number; line: boolean } | { ok: false; reason: string };

/** `SIMPLE_COMMENT` from `--` at `at`. */
function simpleComment(sql: string, at: number): Step {
  let j = at + 2;
  while (j < sql.length) {
    const c = sql[j];
    if (c === '\\' && sql[j + 1] === '\n') j += 2;
    else if (c === '\r' || c === '\n') break;
    else j += 1;
  }
  if (sql[j] === '\r') j += 1;
  if (sql[j] === '\n') j += 1;
  return { ok: true, end: j, line: true };
}

/** `BRACKETED_COMMENT` from `/*` at `at`: nested, `/*+` inside does not open a level. */
function bracketedComment(sql: string, at: number): Step {
  let depth = 1;
  let j = at + 2;
  let line = false;
  while (j < sql.length) {
    if (sql[j] === '/' && sql[j + 1] === '*' && sql[j + 2] !== '+') {
      depth += 1;
      j += 2;
    } else if (sql[j] === '*' && sql[j + 1] === '/') {
      depth -= 1;
      j += 2;
      if (depth === 0) return { ok: true, end: j, line };
    } else {
      if (sql[j] === '\n' || sql[j] === '\r') line = true;
      j += 1;
    }
  }
  return { ok: false, reason: 'it has an unterminated comment' };
}

/** Skips whitespace and comments from `at`. */
function skipGap(sql: string, at: number): Gap | { reason: string } {
  let i = at;
  let line = false;
  while (i < sql.length) {
    const c = sql[i] as string;
    if (SPARK_WS.has(c)) {
      if (c === '\n' || c === '\r' || c === '\u2028') line = true;
      i += 1;
      continue;
    }
    let step: Step | undefined;
    if (c === '-' && sql[i + 1] === '-') step = simpleComment(sql, i);
    else if (c === '/' && sql[i + 1] === '*') {
      if (sql[i + 2] === '+') return { reason: 'it has an optimizer hint (/*+ … */), which is not allowed' };
      step = bracketedComment(sql, i);
    }
    if (!step) break;
    if (!step.ok) return { reason: step.reason };
    line = line || step.line;
    i = step.end;
  }
  return { end: i, line };
}

export function lex(sql: string): LexResult {
  if (sql.includes('${')) return { ok: false, reason: 'it contains ${…}, which Databricks may replace with a variable before reading the SQL' };
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  for (;;) {
    const gap = skipGap(sql, i);
    if ('reason' in gap) return { ok: false, reason: gap.reason };
    const gapBefore = gap.end > i;
    i = gap.end;
    if (i >= sql.length) break;
    const push = (kind: TokenKind, value: string, end: number): void => {
      tokens.push({ kind, value, start: i, end, depth, gapBefore, lineBefore: gap.line });
      i = end;
    };
    const ch = sql[i] as string;
    const code = ch.charCodeAt(0);
    if (code > 0x7e || code < 0x20) {
      return { ok: false, reason: `it contains the character U+${code.toString(16).toUpperCase().padStart(4, '0')} outside a string` };
    }
    const rawPrefix = (ch === 'r' || ch === 'R') && (sql[i + 1] === "'" || sql[i + 1] === '"');
    if (ch === "'" || ch === '"' || rawPrefix) {
      const read = readString(sql, rawPrefix ? i + 1 : i, rawPrefix);
      if (!read) return { ok: false, reason: 'it has an unterminated string' };
      push('string', read.value, read.end);
      continue;
    }
    if (ch === '`') {
      const read = readQuotedIdent(sql, i);
      if (!read) return { ok: false, reason: 'it has an unterminated quoted identifier' };
      if (/[^\x20-\x7e]/.test(read.value)) return { ok: false, reason: 'it has a quoted identifier with non-ASCII or control characters' };
      push('quoted-ident', read.value, read.end);
      continue;
    }
    if (WORD_START.test(ch)) {
      let j = i + 1;
      while (j < sql.length && WORD_PART.test(sql[j] as string)) j += 1;
      if (sql.startsWith('://', j)) return { ok: false, reason: 'it names a path (…://…), which is not allowed' };
      push('word', sql.slice(i, j).toUpperCase(), j);
      continue;
    }
    if (DIGIT.test(ch) || (ch === '.' && DIGIT.test(sql[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < sql.length && (/[0-9A-Za-z_.]/.test(sql[j] as string) || (/[+-]/.test(sql[j] as string) && /[eE]/.test(sql[j - 1] as string)))) j += 1;
      const text = sql.slice(i, j);
      if (!SPARK_NUMBER.test(text)) return { ok: false, reason: `it has "${text.slice(0, 40)}", which is neither a number nor a plain name (put a space after numbers and back-quote names that start with a digit)` };
      push('number', text, j);
      continue;
    }
    if (ch === '*' && sql[i + 1] === '/') return { ok: false, reason: 'it has */ outside a comment' };
    if (ch === ';') {
      push('semicolon', ';', i + 1);
      continue;
    }
    if (ch === '(') {
      push('punct', ch, i + 1);
      depth += 1;
      continue;
    }
    if (ch === ')') {
      depth -= 1;
      if (depth < 0) return { ok: false, reason: 'its parentheses do not balance' };
      push('punct', ch, i + 1);
      continue;
    }
    if (!SPARK_PUNCT.has(ch)) return { ok: false, reason: `it contains "${ch}", which Databricks does not read as SQL` };
    push('punct', ch, i + 1);
  }
  if (depth !== 0) return { ok: false, reason: 'its parentheses do not balance' };
  return { ok: true, tokens };
}

/** `STRING_LITERAL`, `DOUBLEQUOTED_STRING` and the raw forms; the value as Spark decodes it. */
function readString(sql: string, quoteAt: number, raw: boolean): { value: string; end: number } | undefined {
  const quote = sql[quoteAt];
  let j = quoteAt + 1;
  while (j < sql.length) {
    const c = sql[j] as string;
    if (!raw && c === '\\') {
      if (j + 1 >= sql.length) return undefined;
      j += 2;
      continue;
    }
    if (c === quote) {
      const body = sql.slice(quoteAt + 1, j);
      return { value: raw ? body : unescapeSparkString(body), end: j + 1 };
    }
    j += 1;
  }
  return undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = { '0': '\u0000', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\u001a', '%': '\\%', _: '\\_' };

/** `SparkParserUtils.unescapeSQLString` for a literal's body (between its quotes). */
export function unescapeSparkString(body: string): string {
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i] as string;
    if (c !== '\\' || i + 1 === body.length) {
      out += c;
      i += 1;
      continue;
    }
    const next = body[i + 1] as string;
    const u4 = body.slice(i + 2, i + 6);
    const u8 = body.slice(i + 2, i + 10);
    const octal = body.slice(i + 1, i + 4);
    if (next === 'u' && /^[0-9A-Fa-f]{4}$/.test(u4)) {
      out += String.fromCharCode(parseInt(u4, 16));
      i += 6;
    } else if (next === 'U' && /^[0-9A-Fa-f]{8}$/.test(u8)) {
      const point = parseInt(u8, 16);
      out += point < 0x10000 ? String.fromCharCode(point) : String.fromCharCode(Math.floor((point - 0x10000) / 0x400) + 0xd800, ((point - 0x10000) % 0x400) + 0xdc00);
      i += 10;
    } else if (/^[01][0-7]{2}$/.test(octal)) {
      out += String.fromCharCode(parseInt(octal, 8));
      i += 4;
    } else {
      out += SIMPLE_ESCAPES[next] ?? next;
      i += 2;
    }
  }
  return out;
}

function readQuotedIdent(sql: string, at: number): { value: string; end: number } | undefined {
  let value = '';
  let j = at + 1;
  while (j < sql.length) {
    const c = sql[j] as string;
    if (c === '`') {
      if (sql[j + 1] === '`') {
        value += '`';
        j += 2;
        continue;
      }
      return { value, end: j + 1 };
    }
    value += c;
    j += 1;
  }
  return undefined;
}

/** Splits on top-level `;` and drops empty statements. */
export function splitStatements(tokens: Token[]): Token[][] {
  const out: Token[][] = [];
  let current: Token[] = [];
  for (const t of tokens) {
    if (t.kind === 'semicolon') {
      if (current.length > 0) out.push(current);
      current = [];
    } else {
      current.push(t);
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token !== undefined && token.kind === 'word' && words.includes(token.value);
}
