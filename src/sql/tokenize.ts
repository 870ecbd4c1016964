/**
 * A Databricks-flavoured SQL lexer used by the guard. It sees strings, quoted identifiers and
 * comments the way Databricks does (backslash escapes, r'…' raw strings, nested block comments are
 * refused), so `;` inside a string never splits a statement and a keyword hidden in a comment never
 * counts. It rejects, instead of guessing: unterminated strings or comments, and any non-ASCII
 * character outside a string literal (Unicode look-alikes such as Cyrillic letters or a fullwidth
 * semicolon).
 */

export type TokenKind = 'word' | 'string' | 'quoted-ident' | 'number' | 'punct' | 'semicolon';

export interface Token {
  kind: TokenKind;
  /** Upper-cased for words; the decoded value for strings; the raw text otherwise. */
  value: string;
  /** Offsets into the original text. */
  start: number;
  end: number;
  /** Parenthesis depth at the token (0 = top level of its statement). */
  depth: number;
}

export type LexResult = { ok: true; tokens: Token[] } | { ok: false; reason: string };

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

export function lex(sql: string): LexResult {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  const push = (kind: TokenKind, value: string, start: number, end: number): void => {
    tokens.push({ kind, value, start, end, depth });
  };
  while (i < sql.length) {
    const ch = sql[i] as string;
    const code = ch.charCodeAt(0);
    if (code > 0x7e || (code < 0x20 && !'\t\n\r'.includes(ch))) {
      return { ok: false, reason: `it contains the character U+${code.toString(16).toUpperCase().padStart(4, '0')} outside a string` };
    }
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (ch === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl === -1 ? sql.length : nl + 1;
      continue;
    }
    if (ch === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close === -1) return { ok: false, reason: 'it has an unterminated comment' };
      const body = sql.slice(i + 2, close);
      if (body.includes('/*')) return { ok: false, reason: 'it has a nested comment' };
      if (/[^\t\n\r\x20-\x7e]/.test(body)) return { ok: false, reason: 'it has a comment with non-ASCII characters' };
      i = close + 2;
      continue;
    }
    const isRawPrefix = (ch === 'r' || ch === 'R') && (sql[i + 1] === "'" || sql[i + 1] === '"') && !isWordBefore(sql, i);
    if (ch === "'" || ch === '"' || isRawPrefix) {
      const start = i;
      const quoteAt = isRawPrefix ? i + 1 : i;
      const read = readString(sql, quoteAt, isRawPrefix);
      if (!read) return { ok: false, reason: 'it has an unterminated string' };
      push('string', read.value, start, read.end);
      i = read.end;
      continue;
    }
    if (ch === '`') {
      const read = readQuotedIdent(sql, i);
      if (!read) return { ok: false, reason: 'it has an unterminated quoted identifier' };
      if (/[^\x20-\x7e]/.test(read.value)) return { ok: false, reason: 'it has a quoted identifier with non-ASCII characters' };
      push('quoted-ident', read.value, i, read.end);
      i = read.end;
      continue;
    }
    if (WORD_START.test(ch)) {
      let j = i + 1;
      while (j < sql.length && WORD_PART.test(sql[j] as string)) j += 1;
      push('word', sql.slice(i, j).toUpperCase(), i, j);
      i = j;
      continue;
    }
    if (DIGIT.test(ch) || (ch === '.' && DIGIT.test(sql[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < sql.length && /[0-9A-Za-z_.]/.test(sql[j] as string)) j += 1;
      push('number', sql.slice(i, j), i, j);
      i = j;
      continue;
    }
    if (ch === ';') {
      push('semicolon', ';', i, i + 1);
      i += 1;
      continue;
    }
    if (ch === '(') {
      push('punct', ch, i, i + 1);
      depth += 1;
      i += 1;
      continue;
    }
    if (ch === ')') {
      depth -= 1;
      if (depth < 0) return { ok: false, reason: 'its parentheses do not balance' };
      push('punct', ch, i, i + 1);
      i += 1;
      continue;
    }
    push('punct', ch, i, i + 1);
    i += 1;
  }
  if (depth !== 0) return { ok: false, reason: 'its parentheses do not balance' };
  return { ok: true, tokens };
}

function isWordBefore(sql: string, i: number): boolean {
  return i > 0 && WORD_PART.test(sql[i - 1] as string);
}

function readString(sql: string, quoteAt: number, raw: boolean): { value: string; end: number } | undefined {
  const quote = sql[quoteAt];
  let value = '';
  let j = quoteAt + 1;
  while (j < sql.length) {
    const c = sql[j] as string;
    if (!raw && c === '\\') {
      if (j + 1 >= sql.length) return undefined;
      value += sql[j + 1];
      j += 2;
      continue;
    }
    if (c === quote) {
      if (sql[j + 1] === quote) {
        value += c;
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

/**
 * Re-emits the tokens as plain SQL without comments, with strings in standard `'…'` form, so the
 * parser sees exactly the statement the lexer saw.
 */
export function canonicalText(tokens: Token[], original: string): string {
  let out = '';
  let previousEnd = -1;
  for (const t of tokens) {
    if (previousEnd !== -1 && t.start !== previousEnd) out += ' ';
    out += t.kind === 'string' ? `'${t.value.replace(/'/g, "''")}'` : original.slice(t.start, t.end);
    previousEnd = t.end;
  }
  return out;
}

export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token !== undefined && token.kind === 'word' && words.includes(token.value);
}
