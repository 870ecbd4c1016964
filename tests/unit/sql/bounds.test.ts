import { planDryRun } from '../../../src/sql';

const T = 'main.retail.orders';

/** Changes whose dry-run count is not a bound on what they change: each must carry a reason. */
const UNBOUNDED: [string, RegExp][] = [
  [`DELETE FROM ${T}`, /no WHERE clause/],
  [`UPDATE ${T} SET status = 'x'`, /no WHERE clause/],
  [`MERGE INTO ${T} t USING (SELECT 1 AS id) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET status = 'x' WHEN NOT MATCHED BY SOURCE THEN DELETE`, /NOT MATCHED BY SOURCE/],
  [`MERGE INTO ${T} t USING (SELECT 1 AS id) s ON t.id = s.id WHEN NOT MATCHED BY SOURCE AND t.status = 'x' THEN UPDATE SET status = 'y'`, /NOT MATCHED BY SOURCE/],
  [`DELETE FROM ${T} WHERE order_date < current_timestamp()`, /current_timestamp/],
  [`DELETE FROM ${T} WHERE order_date < current_date`, /current_date/],
  [`DELETE FROM ${T} WHERE order_date < now()`, /now\(\)/],
  [`UPDATE ${T} SET status = 'x' WHERE rand() < 0.01`, /rand\(\)/],
  [`DELETE FROM ${T} WHERE uuid() = 'x'`, /uuid\(\)/],
  [`DELETE FROM ${T} WHERE main.retail.my_udf(id)`, /my_udf\(\)/],
  [`DELETE FROM ${T} WHERE id IN (SELECT id FROM ${T} TABLESAMPLE (10 PERCENT))`, /tablesample/],
  [`DELETE FROM ${T} WHERE customer_id IN (SELECT customer_id FROM main.retail.customers WHERE region = 'West')`, /reads main\.retail\.customers/],
  [`UPDATE ${T} SET status = 'x' WHERE EXISTS (SELECT 1 FROM main.retail.returns r WHERE r.id = id)`, /reads main\.retail\.returns/],
  [`DELETE FROM ${T} WHERE id IN (SELECT a.id FROM ${T} a JOIN main.retail.flags f ON a.id = f.id)`, /reads main\.retail\.flags/],
  [`DELETE FROM ${T} WHERE id IN (SELECT id FROM ${T}, main.retail.flags)`, /reads main\.retail\.flags/],
  [`DELETE FROM ${T} WHERE id IN (SELECT id FROM orders)`, /reads orders/],
  [`DELETE FROM ${T} WHERE id IN (SELECT id FROM range(10))`, /reads range\(…\)/],
  [`INSERT INTO ${T} SELECT * FROM main.retail.staging`, /reads main\.retail\.staging/],
  [`INSERT INTO ${T} TABLE main.retail.staging`, /reads main\.retail\.staging/],
  [`MERGE INTO ${T} t USING main.retail.staging s ON t.id = s.id WHEN MATCHED THEN DELETE`, /reads main\.retail\.staging/],
];

/** Changes whose count is a bound: deterministic, over the target alone. */
const BOUNDED = [
  `DELETE FROM ${T} WHERE status = 'cancelled' AND region = 'East'`,
  `UPDATE ${T} SET status = upper('x'), amount = round(amount, 2) WHERE id IN (1, 2, 3)`,
  `DELETE FROM ${T} WHERE order_date < DATE '2020-01-01' AND coalesce(note, '') = ''`,
  `DELETE FROM ${T} WHERE id IN (SELECT id FROM ${T} WHERE amount < 0)`,
  `INSERT INTO ${T} (id, status) VALUES (1, 'new'), (2, now())`,
  `MERGE INTO ${T} t USING (SELECT 1 AS id) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET status = 'x' WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id)`,
];

describe('impact that cannot lie', () => {
  it.each(UNBOUNDED)('%s → unbounded', (sql, reason) => {
    const plan = planDryRun(sql);
    expect(plan.unboundedBecause.join('; ')).toMatch(reason);
  });

  it.each(BOUNDED)('%s → bounded', (sql) => {
    expect(planDryRun(sql).unboundedBecause).toEqual([]);
  });

  it('when a MERGE inserts, then the count adds the source rows that match no target row', () => {
    const plan = planDryRun(`MERGE INTO ${T} t USING (SELECT 1 AS id) s ON t.id = s.id WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id)`);
    expect(plan).toMatchObject({
      kind: 'count',
      sql: `SELECT (SELECT COUNT(*) FROM ${T} t JOIN (SELECT 1 AS id) s ON t.id = s.id) + (SELECT COUNT(*) FROM (SELECT 1 AS id) s WHERE NOT EXISTS (SELECT 1 FROM ${T} t WHERE t.id = s.id))`,
    });
  });
});
