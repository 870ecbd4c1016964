/**
 * One Spark statement as the parser would receive it: the lexer's visible tokens, each with the hidden
 * text before it (whitespace kept as Postgres whitespace, every comment one space), after the checks the
 * Spark parser makes on the token stream. Every refusal is the Databricks-shaped error Spark would give.
 */
import { isHidden, isSparkWhitespace, lexSpark, type SparkToken } from './spark-lexer';
import { emptyStatement, invalidIdentifier, syntaxError, unclosedComment } from './pg-errors';

export interface Item {
  token: SparkToken;
  /** The hidden text before the token, rendered for Postgres. */
  lead: string;
}

/**
 * Unquoted words that Spark reads as keywords even when written with non-ASCII letters whose
 * upper case is ASCII (`ſ` → S, `ı` → I; the lexer upper-cases every code point, UpperCaseCharStream).
 * Only keywords of the statements this emulator runs are listed; any other non-ASCII word is refused
 * as Spark refuses a non-ASCII identifier (INVALID_IDENTIFIER).
 */
const KEYWORDS = new Set(
  `all and any as asc between by case cast cross current_date current_timestamp current_user date delete desc
  distinct else end escape except exists false first from full group having ilike in inner insert intersect
  interval into is join last left like limit matched merge not null nulls offset on or order outer right rlike
  select set source table target then timestamp true union update using values when where with`.split(/\s+/),
);

/** Hidden text → Postgres whitespace: Postgres knows only space, tab, LF, CR and FF as whitespace. */
function renderHidden(token: SparkToken): string {
  if (token.kind !== 'whitespace') return ' ';
  return [...token.text].map((ch) => (/[ \t\n\r\f]/.test(ch) ? ch : isSparkWhitespace(ch.codePointAt(0)!) ? ' ' : ch)).join('');
}

const isWord = (item: Item | undefined, word: string): boolean => item?.token.kind === 'identifier' && item.token.text.toLowerCase() === word;

/**
 * SqlBaseParser `selectClause: SELECT (hints+=hint)* …` with `hint: HENT_START hintStatement … HENT_END`:
 * a hint is accepted only right after SELECT (or after another hint there) and is dropped, as an
 * unknown or planner-only hint does not change results. Anywhere else `/*+` and a stray `*\/` are
 * syntax errors, as they are for Spark's parser.
 */
function dropHints(items: Item[]): Item[] {
  const out: Item[] = [];
  let hintAllowed = false;
  let pendingLead = '';
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.token.kind === 'hint_end') throw syntaxError('*/');
    if (item.token.kind === 'hint_start') {
      const close = items.findIndex((t, j) => j > i && (t.token.kind === 'hint_end' || t.token.kind === 'hint_start'));
      const name = items[i + 1]?.token.kind;
      if (!hintAllowed || close < 0 || items[close]!.token.kind !== 'hint_end' || (name !== 'identifier' && name !== 'backquoted')) {
        throw syntaxError('/*+');
      }
      pendingLead += `${item.lead} `;
      i = close;
      continue;
    }
    out.push(pendingLead ? { ...item, lead: pendingLead + item.lead } : item);
    pendingLead = '';
    hintAllowed = isWord(item, 'select');
  }
  return out;
}

/** singleStatement: statement SEMICOLON* EOF — trailing semicolons go, any other one is an error. */
function dropTrailingSemicolons(items: Item[]): Item[] {
  let end = items.length;
  while (end > 0 && items[end - 1]!.token.text === ';') end -= 1;
  const kept = items.slice(0, end);
  if (kept.some((item) => item.token.kind === 'operator' && item.token.text === ';')) throw syntaxError(';');
  return kept;
}

/**
 * Unquoted identifiers: Spark's PostProcessor refuses any character outside [a-zA-Z0-9_]
 * (INVALID_IDENTIFIER), after the lexer matched keywords on upper-cased text.
 */
function checkIdentifier(item: Item): Item {
  const { token } = item;
  if (token.kind === 'uri_identifier') throw invalidIdentifier(token.text);
  if (token.kind !== 'identifier' || /^[A-Za-z0-9_]+$/.test(token.text)) return item;
  const upper = [...token.text].map((ch) => {
    const up = [...ch.toUpperCase()];
    return up.length === 1 ? up[0] : ch;
  });
  const asKeyword = upper.join('').toLowerCase();
  if (/^[a-z_]+$/.test(asKeyword) && KEYWORDS.has(asKeyword)) return { ...item, token: { ...token, text: asKeyword } };
  throw invalidIdentifier(token.text);
}

/** Lexes `sql` the Spark way and returns its visible tokens; throws what Spark's parser would throw. */
export function sparkStatement(sql: string): Item[] {
  const tokens = lexSpark(sql);
  const unrecognized = tokens.find((t) => t.kind === 'unrecognized');
  if (unrecognized) throw syntaxError(unrecognized.text);
  const items: Item[] = [];
  let lead = '';
  for (const token of tokens) {
    if (isHidden(token)) {
      lead += renderHidden(token);
    } else {
      items.push({ token, lead });
      lead = '';
    }
  }
  const visible = dropTrailingSemicolons(dropHints(items.map(checkIdentifier)));
  if (tokens.some((t) => t.kind === 'unclosed_comment')) throw unclosedComment();
  if (visible.length === 0) throw emptyStatement();
  return visible;
}
