import { hasCode, isAppError } from '../../../src/errors';
import { createSqlClient } from '../../../src/databricks/sql-client';
import type { SqlClient } from '../../../src/databricks/types';
import { silentLogger } from '../../../src/logging';
import { quote } from '../../../emulators/databricks/genie/sql-builder';
import { startPrivateDatabricks, type PrivateDatabricks } from './emulator-support';

/**
 * Spark's documented reading of SQL text, end to end: the real `@databricks/sql` driver, as carol, against
 * a private emulator (the DML cases change rows; the seed is restored afterwards). Expected values come
 * from SqlBaseLexer.g4, SparkParserUtils.unescapeSQLString and the Databricks "STRING type" page
 * (`SELECT 'O\'Connell'` → O'Connell, `SELECT r'Some\nText'` → Some\nText).
 */
let db: PrivateDatabricks;
let carol: SqlClient;

beforeAll(async () => {
  db = await startPrivateDatabricks();
  const { port, httpPath } = db.info;
  carol = createSqlClient({ host: 'localhost', port, httpPath, getToken: () => db.token('carol'), logger: silentLogger() });
}, 60_000);
afterAll(async () => {
  await carol?.close();
  await db?.control('/reset', {});
  await db?.stop();
});

/** [statement, expected columns, expected single row] */
const QUERIES: [string, string[], (string | null)[]][] = [
  ["SELECT 'a' 'b' AS v", ['v'], ['ab']],
  ["SELECT 'a''b' AS v", ['v'], ['ab']],
  ["SELECT 'it\\'s' AS v", ['v'], ["it's"]],
  ["SELECT 'O\\'Connell' AS v", ['v'], ["O'Connell"]],
  ["SELECT r'\\n' AS v, length(r'\\n') AS n", ['v', 'n'], ['\\n', '2']],
  ['SELECT R"Some\\nText" AS v', ['v'], ['Some\\nText']],
  ["SELECT 'Some\\nText' AS v", ['v'], ['Some\nText']],
  ["SELECT '\\\\' AS v, r'\\\\' AS w", ['v', 'w'], ['\\', '\\\\']],
  ["SELECT '\\u00e9\\101\\x' AS v", ['v'], ['éAx']],
  ['SELECT "x" AS v', ['v'], ['x']],
  ['SELECT "a\\"b" AS v', ['v'], ['a"b']],
  ["SELECT 'a' /* c */ \"b\" -- d\n 'c' AS v", ['v'], ['abc']],
  ['SELECT 1 AS a --c\r, 2 AS b', ['a', 'b'], ['1', '2']],
  ['SELECT 1 AS a --c\\\n, 2 AS b', ['a'], ['1']],
  ['SELECT 1 AS a --c\\\r\n, 2 AS b', ['a', 'b'], ['1', '2']],
  ['SELECT /* /* */ */ 1 AS v', ['v'], ['1']],
  ['SELECT /* /*+ */ 1 AS v', ['v'], ['1']],
  ['SELECT /*+ REPARTITION(2) */ 1 AS v', ['v'], ['1']],
  ['SELECT\u00a01\u3000AS\u2028v', ['v'], ['1']],
  ["SELECT 'a%' LIKE 'a\\%' AS v, 'ab' LIKE 'a\\%' AS w", ['v', 'w'], ['true', 'false']],
  ['SELECT 7 / 2 = 3.5 AS v, 6 ^ 3 AS w', ['v', 'w'], ['true', '5']],
];

describe('Spark SQL fidelity of the Databricks emulator (@databricks/sql, carol)', () => {
  test.each(QUERIES)('%j returns Spark’s values', async (sql, columns, row) => {
    const result = await carol.query(sql);
    expect(result.columns.map((c) => c.name)).toEqual(columns);
    expect(result.rows).toEqual([row]);
  });

  test.each([
    ['SELECT 1 AS v /* not closed', 'UNCLOSED_BRACKETED_COMMENT'],
    ['SELECT /* /* */ 1 AS v', 'UNCLOSED_BRACKETED_COMMENT'],
    ["SELECT 'not closed", 'PARSE_SYNTAX_ERROR'],
    ['SELECT 2*/*c*/3 AS v', 'PARSE_SYNTAX_ERROR'],
    ['SELECT 1 AS v /*+ x */', 'PARSE_SYNTAX_ERROR'],
    ['SELECT $$a$$ AS v', 'PARSE_SYNTAX_ERROR'],
    ['SELECT 1 AS v; SELECT 2 AS w', 'PARSE_SYNTAX_ERROR'],
  ])('%j is a syntax error (%s, SQLSTATE 42601)', async (sql, errorClass) => {
    const error = await carol.query(sql).catch((e: unknown) => e);
    expect(hasCode(error, 'DATABRICKS.SYNTAX')).toBe(true);
    expect(isAppError(error) && error.details).toMatchObject({ sqlState: '42601', errorClass });
  });

  test('when Genie quotes a value with a quote and a backslash, then the warehouse reads back the same value', async () => {
    const value = "O'Hare \\ it''s";
    const result = await carol.query(`SELECT ${quote(value)} AS v`);
    expect(result.rows).toEqual([[value]]);
  });

  test('when a WHERE clause is hidden or unhidden by Spark’s rules, then exactly the rows Spark would change change', async () => {
    const count = async (where: string): Promise<number> => Number((await carol.query(`SELECT count(*) FROM main.retail.orders WHERE ${where}`)).rows[0]![0]);
    const ids = await carol.query("SELECT order_id FROM main.retail.orders WHERE status <> 'cancelled' ORDER BY order_id LIMIT 2");
    const [x, y] = ids.rows.map((r) => Number(r[0]));
    const total = await count('true');
    expect(total).toBeGreaterThan(1000);

    // backslash-LF continues a -- comment: the OR is commented out (Postgres would run it: every row)
    const a = await carol.execute(`UPDATE main.retail.orders SET status = 'fid1' WHERE order_id = ${x} --c\\\nOR true`);
    expect(a.rowsAffected).toBe(1);
    expect(await count("status = 'fid1'")).toBe(1);

    // a lone CR ends a -- comment: the OR runs (a reader ending comments only at LF: one row)
    const b = await carol.execute(`UPDATE main.retail.orders SET status = 'fid2' WHERE order_id = ${x} --c\rOR order_id = ${y}`);
    expect(b.rowsAffected).toBe(2);
    expect(await count("status = 'fid2'")).toBe(2);

    // \' is a quote inside the string: no row matches (Postgres: the string ends at \', OR true runs)
    const c = await carol.execute("DELETE FROM main.retail.orders WHERE status = 'fid2\\' OR true --'");
    expect(c.rowsAffected).toBe(0);
    expect(await count('true')).toBe(total);

    // a raw string ends at its first quote: the OR runs (a reader without raw strings: inside the string)
    const d = await carol.execute(`UPDATE main.retail.orders SET status = 'fid4' WHERE status = r'fid2\\' OR order_id = ${x} --'`);
    expect(d.rowsAffected).toBe(1);
    expect(await count("status = 'fid4'")).toBe(1);

    // "…" is a string and adjacent literals concatenate: "fid" '2' is 'fid2' (one row left with it)
    const e = await carol.execute(`UPDATE main.retail.orders SET status = 'fid5' WHERE status = "fid" '2'`);
    expect(e.rowsAffected).toBe(1);
    expect(await count("status = 'fid5'")).toBe(1);

    // '' is not an escape: 'fid''5' is 'fid5'; 'fid''4' /* c */ '' is 'fid4'
    const f = await carol.execute("DELETE FROM main.retail.orders WHERE status = 'fid''5' OR status = 'fid''4' /* c */ ''");
    expect(f.rowsAffected).toBe(2);
    expect(await count('true')).toBe(total - 2);
    expect(await count(`order_id IN (${x}, ${y})`)).toBe(0);
  });
});
