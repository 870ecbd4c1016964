import { analyzeSql } from '../../../src/sql';

/**
 * Statements that Postgres-style lexing (and most SQL tools) read differently from Spark's
 * `SqlBaseLexer.g4`, which is what Databricks uses. Each is either refused or canonicalised; the
 * canonical text is the statement as Spark reads it, with nothing left that a different reader
 * could take another way (no comments, one string form). `P:` says how a Postgres reader would
 * take the original, `S:` how Spark does.
 */
const T = 'main.retail.orders';
const D = `DELETE FROM ${T} WHERE`;

type Row = [name: string, sql: string, expected: { canonical: string } | { refused: RegExp }];

const CASES: Row[] = [
  // -- comments: how they end
  ['CR alone ends a -- comment (P: runs to LF)', `${D} id = 1 --x\rOR 1 = 1`, { canonical: `${D} id = 1\nOR 1 = 1` }],
  ['backslash + LF continues a -- comment (P: ends at LF)', `${D} id = 1 --x\\\nOR 1 = 1`, { canonical: `${D} id = 1` }],
  ['backslash + CRLF ends the comment (CR ends it)', `${D} id = 1 --x\\\r\nOR 1 = 1`, { canonical: `${D} id = 1\nOR 1 = 1` }],
  ['CRLF ends a -- comment once', `${D} id = 1 --x\r\nOR 1 = 1`, { canonical: `${D} id = 1\nOR 1 = 1` }],
  ['two backslash-LF continuations', `${D} id = 1 --a\\\nb\\\nOR 1 = 1\nAND id = 2`, { canonical: `${D} id = 1\nAND id = 2` }],
  ['double backslash then LF still continues (the last backslash pairs with LF)', `${D} id = 1 --a\\\\\nOR 1 = 1`, { canonical: `${D} id = 1` }],
  ['form feed does not end a -- comment', `${D} id = 1 --x\fOR 1 = 1`, { canonical: `${D} id = 1` }],
  ['vertical tab does not end a -- comment', `${D} id = 1 --x\u000bOR 1 = 1`, { canonical: `${D} id = 1` }],
  ['U+2028 does not end a -- comment', `${D} id = 1 --x\u2028OR 1 = 1`, { canonical: `${D} id = 1` }],
  ['NEL (U+0085) does not end a -- comment', `${D} id = 1 --x\u0085OR 1 = 1`, { canonical: `${D} id = 1` }],
  ['-- comment at the end without a newline', `${D} id = 1 -- the end`, { canonical: `${D} id = 1` }],
  ['--- is a comment too', `${D} id = 1 ---x\nAND id = 2`, { canonical: `${D} id = 1\nAND id = 2` }],
  // /* */ comments: nesting and hints
  ['nested /* */ comments (MySQL-style readers end at the first */)', `${D} id = 1 /* a /* b */ OR 1 = 1 */`, { canonical: `${D} id = 1` }],
  ['/*+ inside a comment does not nest (P: it does)', `${D} id = 1 /* a /*+ b */ OR 1 = 1`, { canonical: `${D} id = 1 OR 1 = 1` }],
  ['/*/ does not close the comment it opens', `${D} id = 1 /*/ OR 1 = 1 */ AND id = 2`, { canonical: `${D} id = 1 AND id = 2` }],
  ['an unclosed comment is refused', `${D} id = 1 /* OR 1 = 1`, { refused: /unterminated comment/ }],
  ['an unclosed nested comment is refused', `${D} id = 1 /* a /* b */ OR 1 = 1`, { refused: /unterminated comment/ }],
  ['a hint is refused', `DELETE /*+ REPARTITION(1) */ FROM ${T} WHERE id = 1`, { refused: /hint/ }],
  ['*/ outside a comment is refused (Spark lexes a hint end)', `${D} id = 2 */ 1`, { refused: /\*\/ outside a comment/ }],
  ['a comment between < and = keeps two tokens', `${D} id </**/= 5`, { canonical: `${D} id < = 5` }],
  ['a comment inside a string is text', `${D} note = '/* x */ -- y'`, { canonical: `${D} note = '/* x */ -- y'` }],
  // strings: escapes, doubled quotes, raw strings, double quotes
  ["backslash-quote is an escape (P: ends the string)", `${D} note = 'a\\' OR 1 = 1 --'`, { canonical: `${D} note = 'a\\' OR 1 = 1 --'` }],
  ["'' joins two literals (P: an escaped quote)", `${D} note = 'it''s'`, { canonical: `${D} note = 'its'` }],
  ["'' runs of literals join into one (P: one string with quotes in it)", `${D} note = 'a'' OR id > 0 OR ''b'`, { canonical: `${D} note = 'a OR id > 0 OR b'` }],
  ["''' then code", `${D} note = 'a''' OR 1 = 1 --'`, { canonical: `${D} note = 'a' OR 1 = 1` }],
  ['adjacent literals across a space are joined', `${D} note = 'a' 'b'`, { canonical: `${D} note = 'ab'` }],
  ['adjacent literals across a newline are joined', `${D} note = 'a'\n'b'`, { canonical: `${D} note = 'ab'` }],
  ['adjacent literals across a comment are joined', `${D} note = 'a' /* c */ 'b' -- d\n'c'`, { canonical: `${D} note = 'abc'` }],
  ['a double-quoted text is a string (P: an identifier)', `${D} note = "x"`, { canonical: `${D} note = 'x'` }],
  ['escaped double quote in a double-quoted string', `${D} note = "a\\"b"`, { canonical: `${D} note = 'a"b'` }],
  ['raw string keeps its backslash (P: identifier r, then a string)', `${D} note = r'\\'`, { canonical: `${D} note = '\\\\'` }],
  ['raw string ends at the first quote', `${D} note = r'a\\' OR 1 = 1 --'`, { canonical: `${D} note = 'a\\\\' OR 1 = 1` }],
  ['upper-case raw prefix with double quotes', `${D} note = R"a'b"`, { canonical: `${D} note = 'a\\'b'` }],
  ['raw string joined with an ordinary one', `${D} note = r'\\n' '\\n'`, { canonical: `${D} note = '\\\\n\\n'` }],
  ['r after a name character is part of the name', `${D} note = xr'a'`, { canonical: `${D} note = xr'a'` }],
  ['\\n is a newline', `${D} note = 'a\\nb'`, { canonical: `${D} note = 'a\\nb'` }],
  ['\\u escape', `${D} note = '\\u0041'`, { canonical: `${D} note = 'A'` }],
  ['octal escape', `${D} note = '\\101'`, { canonical: `${D} note = 'A'` }],
  ['\\% keeps its backslash (for LIKE)', `${D} note LIKE '50\\%'`, { canonical: `${D} note LIKE '50\\\\%'` }],
  ['unknown escape drops the backslash', `${D} note = '\\q'`, { canonical: `${D} note = 'q'` }],
  ['a trailing escaped backslash', `${D} note = 'a\\\\'`, { canonical: `${D} note = 'a\\\\'` }],
  ['a string ending in an escaped quote is unterminated (P: ends there)', `${D} note = 'a\\'`, { refused: /unterminated string/ }],
  ['a Postgres E-string is a name then a string', `${D} note = E'a'`, { canonical: `${D} note = E'a'` }],
  ['control characters in a string are written as escapes', `${D} note = 'a\u0001b'`, { canonical: `${D} note = 'a\\u0001b'` }],
  ['Unicode text in a string is kept', `${D} note = 'Zoë — 東京'`, { canonical: `${D} note = 'Zoë — 東京'` }],
  // whitespace
  ['NBSP is whitespace', `DELETE\u00a0FROM ${T}\u00a0WHERE id = 1`, { canonical: `${D} id = 1` }],
  ['ideographic space is whitespace', `DELETE\u3000FROM ${T} WHERE id = 1`, { canonical: `${D} id = 1` }],
  ['U+2028 is a line break', `${D} id = 1\u2028AND id = 2`, { canonical: `${D} id = 1\nAND id = 2` }],
  ['form feed and vertical tab are whitespace', `${D}\fid = 1\u000bAND id = 2`, { canonical: `${D} id = 1 AND id = 2` }],
  ['U+2029 is not Spark whitespace', `${D} id = 1\u2029AND id = 2`, { refused: /U\+2029/ }],
  ['a byte-order mark is refused', `\ufeff${D} id = 1`, { refused: /U\+FEFF/ }],
  ['a Cyrillic look-alike letter is refused', `${D} \u0456d = 1`, { refused: /U\+0456/ }],
  ['a fullwidth semicolon is refused', `${D} id = 1\uff1b DROP TABLE x`, { refused: /U\+FF1B/ }],
  // things Spark reads before or around lexing
  ['${…} is refused (variable substitution happens before lexing)', `${D} note = '\${hivevar:x}'`, { refused: /\$\{/ }],
  ['a dollar-quoted string is refused (Spark has none)', `${D} note = $$ OR 1 = 1 $$`, { refused: /\$/ }],
  ['a name starting with a digit is refused', `${D} 1abc = 1`, { refused: /neither a number nor a plain name/ }],
  ['numbers in Spark forms are kept', `${D} amount > 1e5 AND amount < 2.5E+6 AND id <> 10L AND x = .5`, { canonical: `${D} amount > 1e5 AND amount < 2.5E+6 AND id <> 10L AND x = .5` }],
  ['a URI-style name is refused', `DELETE FROM s3://bucket/t WHERE id = 1`, { refused: /path/ }],
  ['a back-quoted name with an escaped back quote', `${D} \`a\`\`b\` = 1`, { canonical: `${D} \`a\`\`b\` = 1` }],
  ['keywords and names keep their case; spaces collapse', `delete   from ${T}\n\n  where   id = 1`, { canonical: `delete from ${T}\nwhere id = 1` }],
  ['a trailing semicolon and comment are dropped', `${D} id = 1; -- done`, { canonical: `${D} id = 1` }],
];

describe('the guard reads SQL as Spark does and runs only its canonical text', () => {
  it('has at least 40 statements where the readings differ', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES)('%s', (_name, sql, expected) => {
    const analysis = analyzeSql(sql);
    if ('refused' in expected) {
      expect(analysis.classification.kind).toBe('refused');
      if (analysis.classification.kind === 'refused') expect(analysis.classification.reason).toMatch(expected.refused);
      expect(analysis.canonical).toBeUndefined();
      return;
    }
    expect(analysis.classification.kind).toBe('write');
    expect(analysis.canonical).toBe(expected.canonical);
    // The canonical text is a fixed point: reading it again gives itself.
    expect(analyzeSql(analysis.canonical as string).canonical).toBe(expected.canonical);
  });
});

describe('targets the warehouse resolves itself are refused', () => {
  it.each([
    ["DELETE FROM IDENTIFIER('main.retail.orders') WHERE id = 1", /IDENTIFIER/],
    ["INSERT INTO IDENTIFIER('main.retail.orders') VALUES (1)", /IDENTIFIER/],
    ["UPDATE IDENTIFIER(:t) SET status = 'x' WHERE id = 1", /IDENTIFIER/],
    ["MERGE INTO IDENTIFIER('t') USING s ON t.id = s.id WHEN MATCHED THEN DELETE", /IDENTIFIER/],
    ['DELETE FROM delta.`/mnt/data/orders` WHERE id = 1', /path-based/],
    ['UPDATE parquet.`abfss://c@a.dfs.core.windows.net/t` SET a = 1 WHERE id = 1', /path-based/],
    ['INSERT INTO `main`.`/tmp/x` VALUES (1)', /path-based/],
  ])('%s', (sql, reason) => {
    const c = analyzeSql(sql).classification;
    expect(c.kind).toBe('refused');
    if (c.kind === 'refused') expect(c.reason).toMatch(reason);
  });
});
