/**
 * String literal values the Spark way, and the Postgres literal that PGlite reads as the same value.
 *
 * Decoding mirrors apache/spark `sql/api/src/main/scala/org/apache/spark/sql/catalyst/util/
 * SparkParserUtils.scala` `unescapeSQLString` (documented for users on the Databricks "STRING type"
 * page): raw strings (`r'…'`, `R"…"`) are taken as written; otherwise `\0 \b \n \r \t \Z`, `\uXXXX`,
 * `\UXXXXXXXX`, three-digit octal `\[01][0-7][0-7]`, `\%` and `\_` keep their backslash, any other
 * `\x` is `x`. Adjacent literals (`'a' 'b'`, `'a''b'`) are one value, concatenated (SqlBaseParser
 * `constant: stringLit+`, AstBuilder `visitStringLiteral`).
 */
import { EngineError } from './engine-types';

function escapedChar(n: string): string {
  switch (n) {
    case '0':
      return '\u0000';
    case 'b':
      return '\b';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'Z':
      return '\u001A';
    case '%':
      return '\\%';
    case '_':
      return '\\_';
    default:
      return n;
  }
}

const isHex = (s: string): boolean => /^[0-9a-fA-F]+$/.test(s);

/**
 * The value of one STRING_LITERAL or DOUBLEQUOTED_STRING token, quotes included. Works on UTF-16 units
 * as Java's `charAt` does. (The grammar never yields an unescaped quote inside a token, so
 * unescapeSQLString's `''` / `""` branch cannot apply to lexer tokens and is not needed here.)
 */
export function unescapeSparkString(token: string): string {
  if (token[0] === 'r' || token[0] === 'R') return token.slice(2, -1);
  const length = token.length - 1;
  let out = '';
  let i = 1;
  while (i < length) {
    const c = token[i]!;
    if (c !== '\\' || i + 1 === length) {
      out += c;
      i += 1;
      continue;
    }
    i += 1;
    const after = token[i]!;
    if (after === 'u' && i + 5 <= length && isHex(token.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(token.slice(i + 1, i + 5), 16));
      i += 5;
    } else if (after === 'U' && i + 9 <= length && isHex(token.slice(i + 1, i + 9))) {
      const codePoint = parseInt(token.slice(i + 1, i + 9), 16);
      if (codePoint < 0x10000) {
        out += String.fromCharCode(codePoint & 0xffff);
      } else {
        // Java: (codePoint - 0x10000) / 0x400 + 0xd800, then .toChar (the low 16 bits)
        out += String.fromCharCode((Math.floor((codePoint - 0x10000) / 0x400) + 0xd800) & 0xffff);
        out += String.fromCharCode((((codePoint - 0x10000) % 0x400) + 0xdc00) & 0xffff);
      }
      i += 9;
    } else if (i + 3 <= length && /^[01][0-7][0-7]$/.test(token.slice(i, i + 3))) {
      out += String.fromCharCode(parseInt(token.slice(i, i + 3), 8));
      i += 3;
    } else {
      out += escapedChar(after);
      i += 1;
    }
  }
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A Postgres literal for `value`. Plain `'…'` when the value holds neither a quote nor a backslash
 * (read the same whatever `standard_conforming_strings` says); otherwise an escape string `E'…'`,
 * whose backslash rules do not depend on that setting either. Postgres text cannot hold NUL or a lone
 * surrogate, so such values are refused rather than silently changed.
 */
export function postgresLiteral(value: string): string {
  if (value.includes('\u0000') || LONE_SURROGATE.test(value)) {
    throw new EngineError(
      '0A000',
      'UNSUPPORTED_FEATURE',
      '[UNSUPPORTED_FEATURE] The feature is not supported: this emulator cannot store a NUL character or an unpaired surrogate in a string (Postgres text cannot). SQLSTATE: 0A000',
    );
  }
  if (!/['\\]/.test(value)) return `'${value}'`;
  return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
