/**
 * The canonical text of a statement: the guard's own tokens rendered back, with no comments, one
 * space or one line break where the original had any gap, adjacent string literals joined (as Spark
 * joins them), every string as `'…'` with backslash escapes, and every quoted name as `` `…` ``.
 *
 * For a change, this text is what is shown on the card, hashed, counted and run, so no difference
 * between the guard's reading and the warehouse's can sit between what was approved and what runs:
 * a comment that the two would end in different places is simply not there any more. The rendering
 * is checked by lexing it again: anything that does not come back as the same tokens is refused.
 */
import { lex, type Token } from './tokenize';

export type CanonicalResult = { ok: true; text: string; tokens: Token[] } | { ok: false; reason: string };

/** A string value as a Spark `'…'` literal that `unescapeSQLString` reads back exactly. */
export function renderSparkString(value: string): string {
  let out = "'";
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

function renderToken(t: Token, sql: string): string {
  switch (t.kind) {
    case 'string':
      return renderSparkString(t.value);
    case 'quoted-ident':
      return `\`${t.value.replace(/`/g, '``')}\``;
    default:
      return sql.slice(t.start, t.end);
  }
}

/** Spark's parser concatenates adjacent string literals (`stringLit+`): one token here. */
function joinAdjacentStrings(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (last && last.kind === 'string' && t.kind === 'string') out[out.length - 1] = { ...last, value: last.value + t.value, end: t.end };
    else out.push(t);
  }
  return out;
}

function sameTokens(a: Token[], b: Token[]): boolean {
  return a.length === b.length && a.every((t, i) => {
    const u = b[i] as Token;
    const sameGap = i === 0 || (t.gapBefore === u.gapBefore && t.lineBefore === u.lineBefore);
    return t.kind === u.kind && t.value === u.value && t.depth === u.depth && sameGap;
  });
}

export function canonicalize(sql: string): CanonicalResult {
  const lexed = lex(sql);
  if (!lexed.ok) return lexed;
  const tokens = joinAdjacentStrings(lexed.tokens);
  let text = '';
  tokens.forEach((t, i) => {
    if (i > 0 && t.gapBefore) text += t.lineBefore ? '\n' : ' ';
    text += renderToken(t, sql);
  });
  const again = lex(text);
  if (!again.ok || !sameTokens(tokens, again.tokens)) return { ok: false, reason: 'it could not be rewritten exactly in plain form' };
  return { ok: true, text, tokens: again.tokens };
}
