import { EngineError } from '../../../emulators/databricks/engine-types';
import { isHidden, lexSpark } from '../../../emulators/databricks/spark-lexer';
import { postgresLiteral, unescapeSparkString } from '../../../emulators/databricks/spark-literals';
import { translate } from '../../../emulators/databricks/spark-sql';
import { CONTROLS, DISAGREE, type Runs } from './spark-lexer-cases';

/** The visible tokens as Spark's parser receives them; string tokens decoded. */
function reading(sql: string): string {
  const shown = lexSpark(sql).filter((t) => !isHidden(t) || t.kind === 'unclosed_comment');
  return shown
    .map((t) => {
      switch (t.kind) {
        case 'string':
        case 'dq_string':
          return `str(${unescapeSparkString(t.text)})`;
        case 'unclosed_comment':
          return 'UNCLOSED';
        case 'unrecognized':
          return `?${t.text}`;
        case 'hint_start':
          return 'HINT<';
        case 'hint_end':
          return '>HINT';
        case 'backquoted':
          return `id(${t.text.slice(1, -1).replace(/``/g, '`')})`;
        case 'uri_identifier':
          return `uri(${t.text})`;
        default:
          return t.text;
      }
    })
    .join(' ');
}

function runs(sql: string): Runs {
  try {
    return translate(sql).sql;
  } catch (error) {
    if (error instanceof EngineError) return { error: error.errorClass };
    throw error;
  }
}

describe('Spark lexer in the Databricks emulator (SqlBaseLexer.g4)', () => {
  test('the table holds at least 40 statements where the readings disagree', () => {
    expect(DISAGREE.length).toBeGreaterThanOrEqual(40);
  });

  test.each([...DISAGREE, ...CONTROLS])('%j: Spark reads %j, the emulator runs %j (other reading: %s)', (sql, spark, expected) => {
    expect(reading(sql)).toBe(spark);
    expect(runs(sql)).toEqual(expected);
  });

  test('when tokens are lexed, then their offsets cover the text exactly, in order', () => {
    for (const [sql] of [...DISAGREE, ...CONTROLS]) {
      const tokens = lexSpark(sql);
      expect(tokens.map((t) => t.text).join('')).toBe(sql);
      tokens.forEach((t, i) => expect(t.start).toBe(i === 0 ? 0 : tokens[i - 1]!.end));
    }
  });

  test('when numbers and identifiers touch, then the longest match wins and a number wins a tie', () => {
    const kinds = (sql: string): string[] => lexSpark(sql).filter((t) => !isHidden(t)).map((t) => `${t.kind}:${t.text}`);
    expect(kinds("1r'\\n'")).toEqual(['identifier:1r', "string:'\\n'"]);
    expect(kinds('12L 1.5e3 .5 1.5BD 3d')).toEqual(['number:12L', 'number:1.5e3', 'number:.5', 'number:1.5BD', 'number:3d']);
    expect(kinds('1e--5')).toEqual(['identifier:1e']);
    expect(kinds('s3://b')).toEqual(['identifier:s3', 'operator::', 'operator:/', 'operator:/', 'identifier:b']);
  });

  test('when a \\U escape is outside Unicode or a \\u escape is a lone surrogate, then the value is refused, not changed', () => {
    expect(() => postgresLiteral(unescapeSparkString("'\\uD800'"))).toThrow(EngineError);
    expect(unescapeSparkString("'\\uD83D\\uDE00'")).toBe('😀');
    expect(unescapeSparkString("'\\u12'")).toBe('u12');
  });
});
