/**
 * Statements whose reading depends on the lexer. Each row: the SQL; Spark's reading (visible tokens,
 * string tokens shown decoded as str(…)), worked out by hand from SqlBaseLexer.g4 and
 * SparkParserUtils.unescapeSQLString; what the emulator sends to PGlite (or the error it answers);
 * and the other reading the row guards against: real Postgres (`postgres:`), or a lexer that ends
 * `--` only at LF, treats `''` as an escaped quote, has no raw strings or does not nest comments
 * (`naive:`, the way the emulator read SQL before and many SQL tools do). The `postgres:` claims are
 * checked against PGlite by tests/integration/databricks/spark-vs-postgres.test.ts.
 */
export type Runs = string | { error: string };
export type Row = [sql: string, spark: string, runs: Runs, other: string];

/** Rows where Spark's reading differs from the other reader named in the last column. */
export const DISAGREE: Row[] = [
  // SIMPLE_COMMENT: '--' ('\\\n' | ~[\r\n])* '\r'? '\n'?
  ['SELECT 1 AS a --c\r, 2 AS b', 'SELECT 1 AS a , 2 AS b', 'SELECT 1 AS a  , 2 AS b', 'naive: the comment runs to LF, one column'],
  ['SELECT 1 AS a --c\\\n, 2 AS b', 'SELECT 1 AS a', 'SELECT 1 AS a', 'postgres: the comment ends at LF, two columns'],
  ['SELECT 1 AS a --c\\\\\n, 2 AS b', 'SELECT 1 AS a', 'SELECT 1 AS a', 'postgres: two columns (the second backslash still continues)'],
  ['SELECT 1 AS a --c\\\n\\\n, 2 AS b', 'SELECT 1 AS a', 'SELECT 1 AS a', 'postgres: the comment ends at the first LF, then a stray backslash: syntax error'],
  ['SELECT 1 AS a --c\\\r, 2 AS b', 'SELECT 1 AS a , 2 AS b', 'SELECT 1 AS a  , 2 AS b', 'naive: backslash then CR is no line end, one column'],
  ['SELECT 1 AS a --c\r\r, 2 AS b', 'SELECT 1 AS a , 2 AS b', 'SELECT 1 AS a  \r, 2 AS b', 'naive: one column'],
  ['DELETE FROM t WHERE id = 1 --c\\\nOR true', 'DELETE FROM t WHERE id = 1', 'DELETE FROM t WHERE id = 1', 'postgres: OR true runs, every row'],
  ['DELETE FROM t WHERE id = 1 --c\rOR true', 'DELETE FROM t WHERE id = 1 OR true', 'DELETE FROM t WHERE id = 1  OR true', 'naive: only id 1'],
  // STRING_LITERAL: '\'' ( ~('\''|'\\') | ('\\' .) )* '\'' ; constant: stringLit+
  ["SELECT 'a' 'b'", 'SELECT str(a) str(b)', "SELECT 'ab'", 'postgres: syntax error (literals on one line)'],
  ["SELECT 'a''b'", 'SELECT str(a) str(b)', "SELECT 'ab'", "postgres: a'b"],
  ["SELECT 'it\\'s'", "SELECT str(it's)", "SELECT E'it''s'", 'postgres: unterminated string'],
  ["SELECT 'a\\\\'", 'SELECT str(a\\)', "SELECT E'a\\\\'", 'postgres: two backslashes'],
  ["SELECT 'a\\nb'", 'SELECT str(a\nb)', "SELECT 'a\nb'", 'postgres: backslash, n'],
  ["SELECT '\\t'", 'SELECT str(\t)', "SELECT '\t'", 'postgres: backslash, t'],
  ["SELECT '\\r'", 'SELECT str(\r)', "SELECT '\r'", 'postgres: backslash, r'],
  ["SELECT '\\b'", 'SELECT str(\b)', "SELECT '\b'", 'postgres: backslash, b'],
  ["SELECT '\\Z'", 'SELECT str(\u001a)', "SELECT '\u001a'", 'postgres: backslash, Z'],
  ["SELECT '\\u00e9'", 'SELECT str(é)', "SELECT 'é'", 'postgres: six characters'],
  ["SELECT '\\101'", 'SELECT str(A)', "SELECT 'A'", 'postgres: backslash, 101'],
  ["SELECT '\\x'", 'SELECT str(x)', "SELECT 'x'", 'postgres: backslash, x'],
  ["SELECT '\\U0001F600'", 'SELECT str(😀)', "SELECT '😀'", 'postgres: ten characters'],
  ["SELECT '\\0'", 'SELECT str(\u0000)', { error: 'UNSUPPORTED_FEATURE' }, 'postgres: backslash, 0'],
  ["SELECT '\\\"'", 'SELECT str(")', `SELECT '"'`, 'postgres: backslash, quote'],
  // DOUBLEQUOTED_STRING (a string while double_quoted_identifiers is off, the default)
  ['SELECT "x"', 'SELECT str(x)', "SELECT 'x'", 'postgres: the column x'],
  ['SELECT "a\\"b"', 'SELECT str(a"b)', `SELECT 'a"b'`, 'postgres: identifier a\\ then an error'],
  ['SELECT "a""b"', 'SELECT str(a) str(b)', "SELECT 'ab'", 'postgres: the identifier a"b'],
  [`SELECT 'a' "b"`, 'SELECT str(a) str(b)', "SELECT 'ab'", "postgres: 'a' AS b"],
  // STRING_LITERAL raw alternatives: 'R\'' (~'\'')* '\'' | 'R"' (~'"')* '"' (case-insensitive)
  ["SELECT r'\\n'", 'SELECT str(\\n)', "SELECT E'\\\\n'", 'postgres: type r does not exist'],
  ["SELECT R'\\n'", 'SELECT str(\\n)', "SELECT E'\\\\n'", 'postgres: type r does not exist'],
  ['SELECT r"\\n"', 'SELECT str(\\n)', "SELECT E'\\\\n'", 'postgres: the column r aliased \\n'],
  ['SELECT R"\\n"', 'SELECT str(\\n)', "SELECT E'\\\\n'", 'postgres: the column r aliased \\n'],
  ["SELECT r'a\\' AS x", 'SELECT str(a\\) AS x', "SELECT E'a\\\\' AS x", 'naive (backslash escapes, no raw): unterminated string'],
  ["SELECT r'a' 'b'", 'SELECT str(a) str(b)', "SELECT 'ab'", 'postgres: type r does not exist'],
  // adjacent literals across hidden text
  ["SELECT 'a' /* c */ 'b'", 'SELECT str(a) str(b)', "SELECT 'ab'", 'postgres: syntax error'],
  ["SELECT 'a'\t'b'", 'SELECT str(a) str(b)', "SELECT 'ab'", 'postgres: syntax error (no newline between)'],
  ["SELECT 'a'\u00a0'b'", 'SELECT str(a) str(b)', "SELECT 'ab'", 'postgres: syntax error'],
  // BRACKETED_COMMENT: '/*' {!isHint()}? … ; HENT_START '/*+' ; HENT_END '*/'
  ['SELECT /* /*+ */ 1', 'SELECT 1', 'SELECT   1', 'postgres: /*+ opens a nested comment, unterminated'],
  ['SELECT 2*/*c*/3', 'SELECT 2 >HINT * c >HINT 3', { error: 'PARSE_SYNTAX_ERROR' }, 'postgres: 2*3 = 6'],
  ['SELECT 1 /*+ x */', 'SELECT 1 HINT< x >HINT', { error: 'PARSE_SYNTAX_ERROR' }, 'postgres: a comment, 1'],
  ['DELETE /*+ x */ FROM t', 'DELETE HINT< x >HINT FROM t', { error: 'PARSE_SYNTAX_ERROR' }, 'postgres: a comment, the DELETE runs'],
  ["SELECT /*+ x('*/') */ 1", 'SELECT HINT< x ( str(*/) ) >HINT 1', 'SELECT   1', 'postgres: the comment ends inside the string, unterminated'],
  // WS: [ \t\n\f\r\u000B\u00A0\u1680\u2000-\u200A\u2028\u202F\u205F\u3000]+
  ['SELECT\u00a01', 'SELECT 1', 'SELECT 1', 'postgres: one identifier, syntax error'],
  ['SELECT\u16801', 'SELECT 1', 'SELECT 1', 'postgres: one identifier'],
  ['SELECT\u20001', 'SELECT 1', 'SELECT 1', 'postgres: one identifier'],
  ['SELECT\u200a1', 'SELECT 1', 'SELECT 1', 'postgres: one identifier'],
  ['SELECT\u20281', 'SELECT 1', 'SELECT 1', 'postgres: one identifier'],
  ['SELECT\u202f1', 'SELECT 1', 'SELECT 1', 'postgres: one identifier'],
  ['SELECT\u205f1', 'SELECT 1', 'SELECT 1', 'postgres: one identifier'],
  ['SELECT\u30001', 'SELECT 1', 'SELECT 1', 'postgres: one identifier'],
  // BACKQUOTED_IDENTIFIER, IDENTIFIER (Unicode letters, URI form, upper-cased keywords), UNRECOGNIZED
  ['SELECT `a``b`', 'SELECT id(a`b)', 'SELECT "a`b"', 'postgres: ` is not a token'],
  ['SELECT ér', 'SELECT ér', { error: 'INVALID_IDENTIFIER' }, 'postgres: the column ér'],
  ['ſelect 1', 'ſelect 1', 'select 1', 'postgres: an identifier, syntax error'],
  ['SELECT http://a--b', 'SELECT uri(http://a--b)', { error: 'INVALID_IDENTIFIER' }, 'postgres: http, then --b is a comment'],
  ['SELECT 0x1F', 'SELECT 0x1F', 'SELECT "0x1f"', 'postgres: the hex integer 31'],
  ['SELECT 1_000', 'SELECT 1_000', 'SELECT "1_000"', 'postgres: the integer 1000'],
  ['SELECT $$a$$', 'SELECT ?$ ?$ a ?$ ?$', { error: 'PARSE_SYNTAX_ERROR' }, "postgres: the string 'a'"],
  ["SELECT E'\\n'", 'SELECT E str(\n)', "SELECT E '\n'", 'postgres: one escape-string literal'],
  // DML shapes: which WHERE runs
  ["DELETE FROM t WHERE note = 'a\\' OR true --'", "DELETE FROM t WHERE note = str(a' OR true --)", "DELETE FROM t WHERE note = E'a'' OR true --'", 'postgres: OR true runs, every row'],
  ["DELETE FROM t WHERE note = r'a\\' OR true --'", 'DELETE FROM t WHERE note = str(a\\) OR true', "DELETE FROM t WHERE note = E'a\\\\' OR true", 'naive: no raw strings, OR true is inside a string'],
  ["UPDATE t SET x = 1 WHERE s = 'cancelled' 'x'", 'UPDATE t SET x = 1 WHERE s = str(cancelled) str(x)', "UPDATE t SET x = 1 WHERE s = 'cancelledx'", 'postgres: syntax error'],
  ['UPDATE t SET x = 1 WHERE s = "cancelled"', 'UPDATE t SET x = 1 WHERE s = str(cancelled)', "UPDATE t SET x = 1 WHERE s = 'cancelled'", 'postgres: the column cancelled'],
];

/** Rows where the readings agree; they pin the other forms of the same rules. */
export const CONTROLS: Row[] = [
  ['SELECT 1 AS a --c\n, 2 AS b', 'SELECT 1 AS a , 2 AS b', 'SELECT 1 AS a  , 2 AS b', 'LF ends it'],
  ['SELECT 1 AS a --c\r\n, 2 AS b', 'SELECT 1 AS a , 2 AS b', 'SELECT 1 AS a  , 2 AS b', 'CRLF ends it, both swallowed'],
  ['SELECT 1 AS a --c\\\r\n, 2 AS b', 'SELECT 1 AS a , 2 AS b', 'SELECT 1 AS a  , 2 AS b', 'backslash-CR-LF does not continue'],
  ['SELECT 1 --c', 'SELECT 1', 'SELECT 1', 'EOF ends it'],
  ['SELECT 1 --c\\', 'SELECT 1', 'SELECT 1', 'a backslash at EOF'],
  ["SELECT '\\%', '\\_'", 'SELECT str(\\%) , str(\\_)', "SELECT E'\\\\%', E'\\\\_'", '\\% and \\_ keep the backslash'],
  ["SELECT xr'a'", 'SELECT xr str(a)', "SELECT xr 'a'", 'r after an identifier character is part of the identifier'],
  ["SELECT 'a'\n'b'", 'SELECT str(a) str(b)', "SELECT 'ab'", 'postgres concatenates across a newline too'],
  ["SELECT 'a' -- c\n'b'", 'SELECT str(a) str(b)', "SELECT 'ab'", 'across a comment and newline'],
  ['SELECT /* /* */ */ 1', 'SELECT 1', 'SELECT   1', 'nested comments'],
  ['SELECT 1 /* x', 'SELECT 1 UNCLOSED', { error: 'UNCLOSED_BRACKETED_COMMENT' }, 'unclosed'],
  ['SELECT 1 /* /* */ x', 'SELECT 1 UNCLOSED', { error: 'UNCLOSED_BRACKETED_COMMENT' }, 'nested, outer unclosed'],
  ['SELECT /*+ REPARTITION(2) */ 1', 'SELECT HINT< REPARTITION ( 2 ) >HINT 1', 'SELECT   1', 'a hint after SELECT is dropped'],
  ["SELECT 'x", 'SELECT ?\' x', { error: 'PARSE_SYNTAX_ERROR' }, 'unterminated string'],
  ['SELECT\u20291', 'SELECT ?\u2029 1', { error: 'PARSE_SYNTAX_ERROR' }, 'U+2029 is not whitespace'],
  ['SELECT\u000b1', 'SELECT 1', 'SELECT 1', 'VT is whitespace'],
  ['-- only a comment\n/* and another */', '', { error: 'PARSE_EMPTY_STATEMENT' }, 'nothing to run'],
  ['SELECT 1 ;; -- c', 'SELECT 1 ; ;', 'SELECT 1', 'SEMICOLON* EOF'],
  ['SELECT 1; SELECT 2', 'SELECT 1 ; SELECT 2', { error: 'PARSE_SYNTAX_ERROR' }, 'one statement only'],
  ['SELECT `a', 'SELECT ?` a', { error: 'PARSE_SYNTAX_ERROR' }, 'unterminated back-quoted identifier'],
  ['SELECT DISTINCT /*+ x */ a', 'SELECT DISTINCT HINT< x >HINT a', { error: 'PARSE_SYNTAX_ERROR' }, 'a hint only before the set quantifier'],
  ['SELECT /*+ */ 1', 'SELECT HINT< >HINT 1', { error: 'PARSE_SYNTAX_ERROR' }, 'a hint names at least one hint'],
  ['SELECT /*+ a */ /*+ b(1) */ 1', 'SELECT HINT< a >HINT HINT< b ( 1 ) >HINT 1', 'SELECT     1', 'several hints'],
];
