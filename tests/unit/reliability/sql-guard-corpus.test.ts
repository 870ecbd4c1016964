/**
 * More statements for the SQL guard, beyond tests/unit/sql/guard-table.test.ts (86 statements):
 * datasette's and Superset's mutating/non-mutating cases, functions and clauses that write or reach
 * outside, comment and string tricks, Unicode look-alikes and odd whitespace. Rule under test
 * (reliability-security.md §1 finding 7): a statement is a read only if it is exactly one query; a
 * write is one of INSERT/UPDATE/DELETE/MERGE; everything else, and anything unparseable, is refused.
 */
import { classifySql } from '../../../src/sql';

const T = 'main.retail.orders';

/** Reads that must stay reads (so the guard is not simply refusing everything). */
const READS: string[] = [
  `SELECT region, SUM(amount) AS total FROM ${T} GROUP BY region ORDER BY total DESC LIMIT 5`,
  `SELECT * FROM ${T} WHERE status IN ('pending', 'shipped') AND order_date >= DATE '2024-01-01'`,
  `SELECT o.order_id, c.name FROM ${T} o JOIN main.retail.customers c ON c.customer_id = o.customer_id`,
  `SELECT * FROM ${T} WHERE note LIKE '%delete from%'`,
  `SELECT "update" AS word FROM ${T}`,
  `SELECT \`drop\` FROM ${T}`,
  `SELECT 1 AS ";"`,
  `WITH a AS (SELECT 1 AS x), b AS (SELECT x + 1 AS y FROM a) SELECT * FROM b`,
  `SELECT CASE WHEN amount > 100 THEN 'big' ELSE 'small' END FROM ${T}`,
  `SELECT * FROM ${T} ORDER BY order_id LIMIT 10 OFFSET 20`,
  `SELECT region FROM ${T} UNION ALL SELECT region FROM main.retail.customers`,
  `SELECT COUNT(*) FILTER (WHERE status = 'pending') FROM ${T}`,
];

/** Statements that must never be classified as a read. */
const NOT_READS: string[] = [
  // datasette / Superset style mutating statements
  `insert into ${T} (order_id) values (1)`,
  `update ${T} set status = 'x' where order_id = 1`,
  `DELETE FROM ${T} WHERE order_id = 1 RETURNING *`,
  `REPLACE INTO ${T} (order_id) VALUES (1)`,
  `UPSERT INTO ${T} VALUES (1)`,
  `ATTACH DATABASE '/tmp/x.db' AS x`,
  `PRAGMA writable_schema = 1`,
  `CREATE VIEW main.retail.v AS SELECT * FROM ${T}`,
  `CREATE FUNCTION main.retail.f() RETURNS INT RETURN 1`,
  `CREATE SCHEMA main.evil`,
  `CREATE CATALOG evil`,
  `DROP VIEW IF EXISTS main.retail.v`,
  `DROP SCHEMA main.retail CASCADE`,
  `ALTER TABLE ${T} RENAME TO main.retail.orders_old`,
  `ALTER TABLE ${T} SET ROW FILTER main.retail.f ON (region)`,
  `ALTER TABLE ${T} DROP ROW FILTER`,
  `ALTER TABLE ${T} ALTER COLUMN amount DROP MASK`,
  `ALTER TABLE ${T} OWNER TO \`carol@contoso.example\``,
  `COMMENT ON TABLE ${T} IS 'x'`,
  `DELETE FROM ${T} WHERE 1 = 1`,
  `TRUNCATE ${T}`,
  `GRANT ALL PRIVILEGES ON CATALOG main TO \`account users\``,
  `GRANT MODIFY ON TABLE ${T} TO \`alice@contoso.example\``,
  `DENY SELECT ON TABLE ${T} TO \`bob@contoso.example\``,
  `FSCK REPAIR TABLE ${T}`,
  `CONVERT TO DELTA parquet.\`/mnt/x\``,
  `CLONE ${T}`,
  `SYNC TABLE main.retail.x FROM hive_metastore.db.x`,
  `PUT '/tmp/x' INTO '/Volumes/main/retail/v/x'`,
  `REMOVE '/Volumes/main/retail/v/x'`,
  `LIST '/Volumes/main/retail/v'`,
  `RESET`,
  `SET TIME ZONE 'UTC'`,
  `SET VARIABLE v = 1`,
  `USE SCHEMA retail`,
  `BEGIN; DELETE FROM ${T}; COMMIT`,
  `START TRANSACTION`,
  `COMMIT`,
  `ROLLBACK`,
  // Queries that write, reach outside, or are not one plain query
  `SELECT * FROM ${T}; `.repeat(2),
  `SELECT * FROM ${T};\nDROP TABLE ${T}`,
  `SELECT * FROM ${T} WHERE 1 = 1; UPDATE ${T} SET status = 'x'`,
  `SELECT * FROM ${T} INTO OUTFILE '/tmp/x'`,
  `INSERT OVERWRITE DIRECTORY '/mnt/out' SELECT * FROM ${T}`,
  `CREATE TABLE main.retail.y USING DELTA LOCATION '/mnt/y' AS SELECT * FROM ${T}`,
  `WITH d AS (DELETE FROM ${T} RETURNING *) SELECT * FROM d`,
  `EXPLAIN ANALYZE DELETE FROM ${T}`,
  // Comment, quoting and encoding tricks
  `/*! DELETE FROM ${T} */ SELECT 1; DELETE FROM ${T}`,
  `SELECT 1 --\r\n; DROP TABLE ${T}`,
  `SELECT 1 /**/;/**/ DROP TABLE ${T}`,
  `SELECT $$; DROP TABLE ${T}; $$`,
  `SELECT 1;\u00a0DROP TABLE ${T}`,
  `SELECT 1\u2028; DROP TABLE ${T}`,
  `SELECT * FROM ${T}\uFEFF; DELETE FROM ${T}`,
  `SEL\u0000ECT * FROM ${T}`,
  `\u0405ELECT * FROM ${T}`,
  `SELECT * FROM ${T} \u037E DROP TABLE x`,
  `ＳＥＬＥＣＴ * FROM ${T}`,
  `DRO\u200BP TABLE ${T}`,
  `${'('.repeat(200)}SELECT 1${')'.repeat(200)}; DROP TABLE ${T}`,
];

const outcome = (sql: string): string => {
  const c = classifySql(sql);
  return c.kind === 'write' ? c.operation : c.kind;
};

describe('SQL guard corpus, extended', () => {
  it('when the extended corpus is counted, then it adds at least 60 statements to the 86 of the guard table', () => {
    expect(READS.length + NOT_READS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(READS)('when classifying the plain query %j, then it is a read', (sql) => {
    expect(outcome(sql)).toBe('read');
  });

  it.each(NOT_READS)('when classifying %j, then it is never called a read', (sql) => {
    expect(outcome(sql)).not.toBe('read');
  });

  it('when every non-read is classified, then 0 are called read and none is a write other than INSERT/UPDATE/DELETE/MERGE', () => {
    const results = NOT_READS.map((sql) => ({ sql, outcome: outcome(sql) }));
    expect(results.filter((r) => r.outcome === 'read')).toEqual([]);
    expect(results.every((r) => ['refused', 'INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(r.outcome))).toBe(true);
  });

  it('when a statement is huge (1 MB of nested parentheses or text), then the guard answers without throwing', () => {
    expect(() => classifySql(`SELECT ${'('.repeat(50_000)}1${')'.repeat(50_000)}`)).not.toThrow();
    expect(outcome(`SELECT '${'x'.repeat(1_000_000)}'`)).toBe('read');
  });
});
