import { classifySql } from '../../../src/sql';

type Expected = 'read' | 'refused' | 'INSERT' | 'UPDATE' | 'DELETE' | 'MERGE';

const T = 'main.retail.orders';

/** The guard corpus: [statement, expected]. Databricks-specific statements included. */
const CORPUS: [string, Expected][] = [
  // Reads
  [`SELECT * FROM ${T} WHERE region = 'West'`, 'read'],
  [`select count(*) from ${T}`, 'read'],
  [`WITH w AS (SELECT * FROM ${T} WHERE region = 'West') SELECT status, COUNT(*) FROM w GROUP BY status`, 'read'],
  [`SELECT ';' AS semi, 'DROP TABLE x' AS text FROM ${T}`, 'read'],
  [`SELECT * FROM ${T} -- DELETE FROM ${T}\n WHERE id = 1`, 'read'],
  [`SELECT * FROM ${T} /* ; DROP TABLE x */ WHERE id = 1;`, 'read'],
  [`(SELECT id FROM ${T}) UNION (SELECT id FROM main.retail.customers)`, 'read'],
  [`SELECT 'it''s' AS q`, 'read'],
  [`SELECT 'Zoë' AS name`, 'read'],
  ['SHOW TABLES IN main.retail', 'read'],
  ['SHOW GRANTS ON TABLE main.retail.orders', 'read'],
  [`DESCRIBE TABLE ${T}`, 'read'],
  [`DESCRIBE HISTORY ${T}`, 'read'],
  [`DESC ${T}`, 'read'],
  // Allowed writes
  [`DELETE FROM ${T} WHERE status = 'cancelled' AND region = 'East'`, 'DELETE'],
  [`delete from ${T}`, 'DELETE'],
  [`DELETE FROM \`main\`.\`retail\`.\`orders\` WHERE id IN (SELECT id FROM main.retail.returns)`, 'DELETE'],
  [`DELETE FROM ${T} o WHERE o.amount < 0`, 'DELETE'],
  [`UPDATE ${T} SET status = 'shipped' WHERE id = 42`, 'UPDATE'],
  [`UPDATE ${T} SET status = 'x'`, 'UPDATE'],
  [`UPDATE ${T} SET note = 'a; b' WHERE id = 1;`, 'UPDATE'],
  [`INSERT INTO ${T} (id, region, status) VALUES (1, 'West', 'open'), (2, 'East', 'open')`, 'INSERT'],
  [`INSERT INTO ${T} SELECT * FROM main.staging.orders`, 'INSERT'],
  [`INSERT INTO TABLE ${T} VALUES (3, 'North', 'open')`, 'INSERT'],
  [`MERGE INTO ${T} t USING main.staging.orders s ON t.id = s.id WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *`, 'MERGE'],
  [`MERGE INTO ${T} AS t USING (SELECT * FROM main.staging.orders) s ON t.id = s.id WHEN MATCHED THEN DELETE`, 'MERGE'],
  // Writes hidden or disguised as reads
  [`SELECT * FROM ${T}; DELETE FROM ${T}`, 'refused'],
  [`SELECT 1; SELECT 2`, 'refused'],
  [`SELECT * FROM ${T} WHERE note = 'a\\'; DROP TABLE ${T}; --'`, 'read'],
  [`SELECT 'a\\\\'; DROP TABLE ${T}`, 'refused'],
  [`SELECT r'\\'; DROP TABLE ${T}; --'`, 'refused'],
  [`DELETE FROM ${T} WHERE note = r'\\'; DROP TABLE x; --'`, 'refused'],
  [`SELECT * INTO main.retail.copy FROM ${T}`, 'refused'],
  [`SELECT * FROM ${T} FOR UPDATE`, 'refused'],
  [`WITH x AS (SELECT 1) DELETE FROM ${T} WHERE id IN (SELECT * FROM x)`, 'refused'],
  [`WITH x AS (SELECT 1 AS id) INSERT INTO ${T} SELECT * FROM x`, 'refused'],
  [`/* SELECT */ DELETE FROM ${T}`, 'DELETE'],
  [`-- SELECT\nUPDATE ${T} SET status = 'x'`, 'UPDATE'],
  [`SЕLECT * FROM ${T}`, 'refused'],
  [`SELECT * FROM ${T}；DROP TABLE ${T}`, 'refused'],
  [`ＤＥＬＥＴＥ FROM ${T}`, 'refused'],
  [`SELECT * FROM ${T}\u200B; DROP TABLE x`, 'refused'],
  [`SELECT * FROM ${T} /* unterminated`, 'refused'],
  [`SELECT 'unterminated FROM ${T}`, 'refused'],
  [`SELECT * FROM ${T} /* a /* nested */ ; DROP TABLE x; /* */`, 'refused'],
  [`SELECT (1`, 'refused'],
  ['', 'refused'],
  [' ;; ', 'refused'],
  // Refused outright (DDL, DCL, Databricks utility statements)
  [`DROP TABLE ${T}`, 'refused'],
  [`TRUNCATE TABLE ${T}`, 'refused'],
  [`CREATE TABLE main.retail.x AS SELECT * FROM ${T}`, 'refused'],
  [`CREATE OR REPLACE TABLE ${T} AS SELECT * FROM ${T} WHERE 1 = 0`, 'refused'],
  [`CREATE TEMPORARY VIEW v AS SELECT * FROM ${T}`, 'refused'],
  [`ALTER TABLE ${T} ADD COLUMN x INT`, 'refused'],
  [`GRANT SELECT ON TABLE ${T} TO \`bob@contoso.example\``, 'refused'],
  [`REVOKE SELECT ON TABLE ${T} FROM \`bob@contoso.example\``, 'refused'],
  [`COPY INTO ${T} FROM '/mnt/raw/orders' FILEFORMAT = CSV`, 'refused'],
  [`OPTIMIZE ${T} ZORDER BY (region)`, 'refused'],
  [`VACUUM ${T} RETAIN 0 HOURS`, 'refused'],
  ['SET spark.databricks.delta.retentionDurationCheck.enabled = false', 'refused'],
  ['USE CATALOG main', 'refused'],
  ['USE main.retail', 'refused'],
  ['CALL main.admin.purge()', 'refused'],
  [`RESTORE TABLE ${T} TO VERSION AS OF 1`, 'refused'],
  [`REFRESH TABLE ${T}`, 'refused'],
  [`INSERT OVERWRITE ${T} SELECT * FROM main.staging.orders`, 'refused'],
  [`INSERT OVERWRITE TABLE ${T} SELECT * FROM main.staging.orders`, 'refused'],
  [`INSERT INTO ${T} REPLACE WHERE region = 'West' SELECT * FROM main.staging.orders`, 'refused'],
  [`INSERT INTO ${T} PARTITION (region = 'West') SELECT * FROM main.staging.orders`, 'refused'],
  [`MERGE WITH SCHEMA EVOLUTION INTO ${T} USING s ON ${T}.id = s.id WHEN MATCHED THEN UPDATE SET *`, 'refused'],
  [`UPDATE ${T} SET status = 'x' FROM main.staging.orders s WHERE s.id = ${T}.id`, 'refused'],
  [`DELETE ${T} WHERE id = 1`, 'refused'],
  [`DELETE FROM ${T} WHERE`, 'refused'],
  [`UNDROP TABLE ${T}`, 'refused'],
  [`MSCK REPAIR TABLE ${T}`, 'refused'],
  [`CACHE SELECT * FROM ${T}`, 'refused'],
  [`ANALYZE TABLE ${T} COMPUTE STATISTICS`, 'refused'],
  [`CREATE TABLE main.retail.c SHALLOW CLONE ${T}`, 'refused'],
  [`EXPLAIN DELETE FROM ${T}`, 'refused'],
  [`EXECUTE IMMEDIATE 'DROP TABLE ${T}'`, 'refused'],
  [`DECLARE VARIABLE v INT`, 'refused'],
  [`VALUES (1), (2)`, 'refused'],
  [`TABLE ${T}`, 'refused'],
  [`FROM ${T} SELECT *`, 'refused'],
  [`LOAD DATA INPATH '/x' INTO TABLE ${T}`, 'refused'],
  [`ALTER TABLE ${T} SET TBLPROPERTIES ('delta.appendOnly' = 'false')`, 'refused'],
];

function outcome(sql: string): Expected {
  const c = classifySql(sql);
  return c.kind === 'write' ? c.operation : c.kind;
}

describe('SQL guard table', () => {
  it('when the corpus is classified, then it has at least 60 statements', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CORPUS)('when classifying %j, then it is %s', (sql, expected) => {
    expect(outcome(sql)).toBe(expected);
  });

  it('when every non-read statement is classified, then none is called a read (0 false reads)', () => {
    const falseReads = CORPUS.filter(([, expected]) => expected !== 'read').filter(([sql]) => classifySql(sql).kind === 'read');
    expect(falseReads).toEqual([]);
  });
});
