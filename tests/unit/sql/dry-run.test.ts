import { classifySql, planDryRun } from '../../../src/sql';

describe('classifySql details', () => {
  it('when a DELETE has a WHERE, then the target and the exact where clause are returned', () => {
    expect(classifySql("DELETE FROM Main.Retail.Orders WHERE status = 'cancelled' AND region = 'East';")).toEqual({
      kind: 'write',
      operation: 'DELETE',
      targetTables: ['main.retail.orders'],
      hasWhere: true,
      whereClause: "status = 'cancelled' AND region = 'East'",
    });
  });

  it('when an UPDATE has no WHERE, then hasWhere is false', () => {
    expect(classifySql("UPDATE main.retail.orders SET status = 'x'")).toMatchObject({ kind: 'write', operation: 'UPDATE', hasWhere: false });
  });

  it('when a statement is refused, then the reason names the problem', () => {
    const c = classifySql('GRANT SELECT ON TABLE t TO `x`');
    expect(c).toEqual({ kind: 'refused', reason: 'GRANT statements are not allowed' });
  });
});

describe('planDryRun', () => {
  it('when a DELETE has a WHERE, then the dry run counts the rows matching the same WHERE', () => {
    expect(planDryRun("DELETE FROM main.retail.orders WHERE status = 'cancelled'")).toEqual({
      kind: 'count',
      sql: "SELECT COUNT(*) FROM main.retail.orders WHERE status = 'cancelled'",
      description: 'rows of main.retail.orders would be deleted',
      unboundedBecause: [],
    });
  });

  it('when an UPDATE uses an alias, then the count keeps the alias', () => {
    const plan = planDryRun("UPDATE main.retail.orders o SET o.status = 'x' WHERE o.id = 1");
    expect(plan).toMatchObject({ kind: 'count', sql: 'SELECT COUNT(*) FROM main.retail.orders o WHERE o.id = 1' });
  });

  it('when a DELETE has no WHERE, then the dry run counts the whole table', () => {
    expect(planDryRun('DELETE FROM main.retail.orders')).toMatchObject({ kind: 'count', sql: 'SELECT COUNT(*) FROM main.retail.orders' });
  });

  it('when an INSERT has VALUES, then the row count is known without a query', () => {
    expect(planDryRun("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, 'z')")).toMatchObject({ kind: 'known', rows: 3 });
  });

  it('when an INSERT has a query, then the dry run counts the query rows', () => {
    expect(planDryRun("INSERT INTO t SELECT * FROM s WHERE region = 'West'")).toMatchObject({
      kind: 'count',
      sql: "SELECT COUNT(*) FROM (SELECT * FROM s WHERE region = 'West') AS dry_run",
    });
  });

  it('when a MERGE is planned, then matched rows are counted with the same ON condition', () => {
    expect(planDryRun('MERGE INTO t AS x USING s ON x.id = s.id WHEN MATCHED THEN DELETE')).toMatchObject({
      kind: 'count',
      sql: 'SELECT COUNT(*) FROM t x JOIN s ON x.id = s.id',
    });
  });

  it('when the statement is refused, then there is no dry run', () => {
    expect(planDryRun('DROP TABLE t').kind).toBe('unknown');
  });

  it('when every derived count is classified, then it is a read', () => {
    const writes = [
      "DELETE FROM t WHERE note = 'a; b'",
      'UPDATE t SET a = 1 WHERE id IN (SELECT id FROM u)',
      'INSERT INTO t WITH x AS (SELECT 1 AS a) SELECT a FROM x',
    ];
    for (const sql of writes) {
      const plan = planDryRun(sql);
      expect(plan.kind).toBe('count');
      if (plan.kind === 'count') expect(classifySql(plan.sql).kind).toBe('read');
    }
  });
});
