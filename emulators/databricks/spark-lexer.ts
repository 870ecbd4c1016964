/**
 * The emulator's own reading of Databricks SQL text: Spark's ANTLR lexer rules, re-implemented here
 * independently of the product's guard (src/sql), so that the emulator can show where the two differ.
 *
 * Source: apache/spark `sql/api/src/main/antlr4/org/apache/spark/sql/catalyst/parser/SqlBaseLexer.g4`
 * (rule names are quoted in the comments below), and `ParseDriver.scala`'s `UpperCaseCharStream`, which
 * hands the lexer every code point upper-cased with `Character.toUpperCase` (so keywords, the `R` raw
 * prefix, `E` exponents and literal suffixes are case-insensitive).
 *
 * ANTLR picks the longest match at each position; on a tie the rule defined first wins. The lexer never
 * throws: text Spark cannot lex becomes an `unrecognized` token (the grammar's `UNRECOGNIZED: .`), and an
 * unclosed `/*` comment an `unclosed_comment` token (`markUnclosedComment`); the caller decides the error.
 */

export type SparkTokenKind =
  | 'whitespace' // WS (hidden)
  | 'simple_comment' // SIMPLE_COMMENT (hidden)
  | 'bracketed_comment' // BRACKETED_COMMENT, closed (hidden)
  | 'unclosed_comment' // BRACKETED_COMMENT that reached EOF: has_unclosed_bracketed_comment
  | 'hint_start' // HENT_START '/*+'
  | 'hint_end' // HENT_END '*/'
  | 'string' // STRING_LITERAL: '…' with backslash escapes, or raw R'…' / R"…"
  | 'dq_string' // DOUBLEQUOTED_STRING: "…" with backslash escapes (a string unless double_quoted_identifiers)
  | 'number' // INTEGER_VALUE, DECIMAL_VALUE, EXPONENT_VALUE, BIGINT/SMALLINT/TINYINT/FLOAT/DOUBLE/BIGDECIMAL_LITERAL
  | 'identifier' // IDENTIFIER (and every keyword, which matches the same text)
  | 'uri_identifier' // IDENTIFIER's second alternative: UNICODE_LETTER+ '://' …
  | 'backquoted' // BACKQUOTED_IDENTIFIER
  | 'operator' // punctuation and operators
  | 'unrecognized'; // UNRECOGNIZED: .

export interface SparkToken {
  kind: SparkTokenKind;
  text: string;
  start: number;
  end: number;
}

const HIDDEN: ReadonlySet<SparkTokenKind> = new Set(['whitespace', 'simple_comment', 'bracketed_comment', 'unclosed_comment']);
export const isHidden = (token: SparkToken): boolean => HIDDEN.has(token.kind);

/** WS: [ \t\n\f\r\u000B\u00A0\u1680\u2000-\u200A\u2028\u202F\u205F\u3000]+ */
const WS_CODES = new Set([0x20, 0x09, 0x0a, 0x0c, 0x0d, 0x0b, 0xa0, 0x1680, 0x2028, 0x202f, 0x205f, 0x3000]);
export const isSparkWhitespace = (cp: number): boolean => WS_CODES.has(cp) || (cp >= 0x2000 && cp <= 0x200a);

/** Fixed tokens (EQ … QUESTION and the punctuation at the top of the grammar), longest first. */
const OPERATORS = [
  '>>>', '<=>', '/*+', '==', '<>', '!=', '<=', '!>', '>=', '!<', '<<', '>>', '||', '::', '->', '=>', '*/',
  ';', '(', ')', ',', '.', '[', ']', '!', '=', '<', '>', '+', '-', '*', '/', '%', '~', '&', '|', '^', ':', '?',
];

/** `Character.toUpperCase(codePoint)`: the simple (one code point) mapping. */
function upper(cp: number): number {
  const mapped = [...String.fromCodePoint(cp).toUpperCase()];
  return mapped.length === 1 ? mapped[0]!.codePointAt(0)! : cp;
}

const LETTER = /^\p{L}$/u;
/** UNICODE_LETTER: [\p{L}], tested on the upper-cased code point as the lexer sees it. */
const isLetter = (cp: number): boolean => LETTER.test(String.fromCodePoint(upper(cp)));
const isDigit = (cp: number): boolean => cp >= 0x30 && cp <= 0x39;
const isIdentChar = (cp: number): boolean => isLetter(cp) || isDigit(cp) || cp === 0x5f;
/** The URI alternative's tail: UNICODE_LETTER | DIGIT | '_' | '/' | '-' | '.' | '?' | '=' | '&' | '#' | '%' */
const isUriChar = (cp: number): boolean => isIdentChar(cp) || '/-.?=&#%'.includes(String.fromCodePoint(cp));

class Cursor {
  constructor(readonly s: string) {}
  cp(i: number): number {
    return i < this.s.length ? this.s.codePointAt(i)! : -1;
  }
  /** The upper-cased character at i as a one-character string ('' at EOF). */
  up(i: number): string {
    return i < this.s.length ? String.fromCodePoint(upper(this.s.codePointAt(i)!)) : '';
  }
  width(i: number): number {
    return this.cp(i) > 0xffff ? 2 : 1;
  }
  /** End of the longest run from i whose code points satisfy `test`. */
  run(i: number, test: (cp: number) => boolean): number {
    let j = i;
    while (j < this.s.length && test(this.cp(j))) j += this.width(j);
    return j;
  }
}

/** SIMPLE_COMMENT: '--' ('\\\n' | ~[\r\n])* '\r'? '\n'? — a backslash-LF continues it; a lone CR ends it. */
function simpleComment(c: Cursor, i: number): number {
  let j = i + 2;
  while (j < c.s.length) {
    if (c.s[j] === '\\' && c.s[j + 1] === '\n') j += 2;
    else if (c.s[j] === '\r' || c.s[j] === '\n') break;
    else j += 1;
  }
  if (c.s[j] === '\r') j += 1;
  if (c.s[j] === '\n') j += 1;
  return j;
}

/**
 * BRACKETED_COMMENT: '/*' {!isHint()}? ( BRACKETED_COMMENT | . )*? ('*' '/' | {markUnclosedComment();} EOF).
 * Nests; an inner '/*+' is not a nested opener (isHint). Returns the end and whether it was closed.
 */
function bracketedComment(c: Cursor, i: number): { end: number; closed: boolean } {
  let depth = 1;
  let j = i + 2;
  while (j < c.s.length) {
    if (c.s.startsWith('*/', j)) {
      j += 2;
      depth -= 1;
      if (depth === 0) return { end: j, closed: true };
    } else if (c.s.startsWith('/*', j) && c.s[j + 2] !== '+') {
      j += 2;
      depth += 1;
    } else {
      j += 1;
    }
  }
  return { end: c.s.length, closed: false };
}

/** STRING_LITERAL's first alternative and DOUBLEQUOTED_STRING: quote ( ~(quote|'\\') | ('\\' .) )* quote. */
function escapedString(c: Cursor, i: number, quote: string): number | undefined {
  let j = i + 1;
  while (j < c.s.length) {
    const ch = c.s[j]!;
    if (ch === quote) return j + 1;
    if (ch === '\\') {
      if (j + 1 >= c.s.length) return undefined;
      j += 1 + c.width(j + 1);
    } else {
      j += 1;
    }
  }
  return undefined;
}

/** STRING_LITERAL's raw alternatives: 'R\'' (~'\'')* '\'' | 'R"' (~'"')* '"' (R case-insensitive). */
function rawString(c: Cursor, i: number): number | undefined {
  const quote = c.s[i + 1];
  if (c.up(i) !== 'R' || (quote !== "'" && quote !== '"')) return undefined;
  const close = c.s.indexOf(quote, i + 2);
  return close < 0 ? undefined : close + 1;
}

/** BACKQUOTED_IDENTIFIER: '`' ( ~'`' | '``' )* '`' — the longest match that closes. */
function backquoted(c: Cursor, i: number): number | undefined {
  let lastClose: number | undefined;
  let j = i + 1;
  while (j < c.s.length) {
    if (c.s[j] === '`') {
      if (c.s[j + 1] !== '`') return j + 1;
      lastClose = j + 1;
      j += 2;
    } else {
      j += 1;
    }
  }
  return lastClose;
}

/** fragment EXPONENT: 'E' [+-]? DIGIT+ — its length at i, or 0. */
function exponent(c: Cursor, i: number): number {
  if (c.up(i) !== 'E') return 0;
  const sign = c.s[i + 1] === '+' || c.s[i + 1] === '-' ? 1 : 0;
  const digitsEnd = c.run(i + 1 + sign, isDigit);
  return digitsEnd > i + 1 + sign ? digitsEnd - i : 0;
}

/** isValidDecimal(): the next (upper-cased) character is not A-Z, 0-9 or '_'. */
function validDecimalEnd(c: Cursor, i: number): boolean {
  return !/^[A-Z0-9_]$/.test(c.up(i));
}

/** The longest numeric literal at i (INTEGER_VALUE … BIGDECIMAL_LITERAL, with their predicates), or 0. */
function numberLength(c: Cursor, i: number): number {
  let best = 0;
  const digitsEnd = c.run(i, isDigit);
  const suffixed = (end: number, needsValid: boolean): void => {
    const one = c.up(end);
    if ((one === 'F' || one === 'D') && (!needsValid || validDecimalEnd(c, end + 1))) best = Math.max(best, end + 1 - i);
    if (one === 'B' && c.up(end + 1) === 'D' && (!needsValid || validDecimalEnd(c, end + 2))) best = Math.max(best, end + 2 - i);
  };
  if (digitsEnd > i) {
    best = digitsEnd - i; // INTEGER_VALUE
    if (['L', 'S', 'Y'].includes(c.up(digitsEnd))) best = Math.max(best, digitsEnd + 1 - i); // BIGINT/SMALLINT/TINYINT
    const e = exponent(c, digitsEnd);
    if (e > 0) best = Math.max(best, digitsEnd + e - i); // EXPONENT_VALUE: DIGIT+ EXPONENT
    suffixed(digitsEnd, false);
    if (e > 0) suffixed(digitsEnd + e, false);
  }
  // fragment DECIMAL_DIGITS: DIGIT+ '.' DIGIT* | '.' DIGIT+
  let decimalEnd = 0;
  if (digitsEnd > i && c.s[digitsEnd] === '.') decimalEnd = c.run(digitsEnd + 1, isDigit);
  else if (digitsEnd === i && c.s[i] === '.' && isDigit(c.cp(i + 1))) decimalEnd = c.run(i + 1, isDigit);
  if (decimalEnd > 0) {
    if (validDecimalEnd(c, decimalEnd)) best = Math.max(best, decimalEnd - i); // DECIMAL_VALUE
    const e = exponent(c, decimalEnd);
    if (e > 0 && validDecimalEnd(c, decimalEnd + e)) best = Math.max(best, decimalEnd + e - i);
    suffixed(decimalEnd, true);
    if (e > 0) suffixed(decimalEnd + e, true);
  }
  return best;
}

/** IDENTIFIER's URI alternative: UNICODE_LETTER+ '://' (URI chars)+ — its length at i, or 0. */
function uriLength(c: Cursor, i: number): number {
  const lettersEnd = c.run(i, isLetter);
  if (lettersEnd === i || !c.s.startsWith('://', lettersEnd)) return 0;
  const end = c.run(lettersEnd + 3, isUriChar);
  return end > lettersEnd + 3 ? end - i : 0;
}

/** Numbers, identifiers and keywords: the longest match; a number wins a tie (it is defined first). */
function word(c: Cursor, i: number): { kind: SparkTokenKind; end: number } | undefined {
  const identLength = c.run(i, isIdentChar) - i;
  const uri = uriLength(c, i);
  const num = numberLength(c, i);
  const longest = Math.max(identLength, uri, num);
  if (longest === 0) return undefined;
  if (num === longest) return { kind: 'number', end: i + num };
  return uri === longest ? { kind: 'uri_identifier', end: i + uri } : { kind: 'identifier', end: i + identLength };
}

export function lexSpark(sql: string): SparkToken[] {
  const c = new Cursor(sql);
  const tokens: SparkToken[] = [];
  let i = 0;
  const push = (kind: SparkTokenKind, end: number): void => {
    tokens.push({ kind, text: sql.slice(i, end), start: i, end });
    i = end;
  };
  while (i < sql.length) {
    const ch = sql[i]!;
    if (isSparkWhitespace(c.cp(i))) {
      push('whitespace', c.run(i, isSparkWhitespace));
    } else if (sql.startsWith('--', i)) {
      push('simple_comment', simpleComment(c, i));
    } else if (sql.startsWith('/*', i) && sql[i + 2] !== '+') {
      const comment = bracketedComment(c, i);
      push(comment.closed ? 'bracketed_comment' : 'unclosed_comment', comment.end);
    } else if (ch === "'" || ch === '"') {
      const end = escapedString(c, i, ch);
      if (end === undefined) push('unrecognized', i + 1);
      else push(ch === "'" ? 'string' : 'dq_string', end);
    } else if (ch === '`') {
      const end = backquoted(c, i);
      if (end === undefined) push('unrecognized', i + 1);
      else push('backquoted', end);
    } else {
      const raw = rawString(c, i);
      const w = raw === undefined ? word(c, i) : undefined;
      const op = raw === undefined && !w ? OPERATORS.find((o) => sql.startsWith(o, i)) : undefined;
      if (raw !== undefined) push('string', raw);
      else if (w) push(w.kind, w.end);
      else if (op) push(op === '/*+' ? 'hint_start' : op === '*/' ? 'hint_end' : 'operator', i + op.length);
      else push('unrecognized', i + c.width(i));
    }
  }
  return tokens;
}
