import { hasCode, isAppError } from '../../../src/errors';
import { createSqlClient, type SqlClientOptions } from '../../../src/databricks/sql-client';
import type { SqlClient } from '../../../src/databricks/types';
import { silentLogger } from '../../../src/logging';
import { startPrivateDatabricks, type PrivateDatabricks } from './emulator-support';

/** A private emulator: these tests stop the warehouse, inject 5xx and latency, and change data. */
let db: PrivateDatabricks;
const clients: SqlClient[] = [];

beforeAll(async () => {
  db = await startPrivateDatabricks();
}, 60_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await db?.stop();
});
afterEach(async () => {
  await db.control('/reset', { data: false });
});

function clientFor(user: string, extra: Partial<SqlClientOptions> = {}): SqlClient {
  const { port, httpPath } = db.info;
  const client = createSqlClient({ host: 'localhost', port, httpPath, getToken: () => db.token(user), logger: silentLogger(), ...extra });
  clients.push(client);
  return client;
}

describe('SQL client failure mapping (private emulator)', () => {
  test('when the warehouse is stopped, then DATABRICKS.WAREHOUSE_UNAVAILABLE', async () => {
    await db.control('/warehouse', { state: 'STOPPED' });
    const error = await clientFor('alice').query('SELECT 1 AS one').catch((e: unknown) => e);
    expect(hasCode(error, 'DATABRICKS.WAREHOUSE_UNAVAILABLE')).toBe(true);
  });

  test('when the warehouse stops after the session opened, then the next statement fails with WAREHOUSE_UNAVAILABLE', async () => {
    const client = clientFor('alice');
    await expect(client.query('SELECT 1 AS one')).resolves.toMatchObject({ rows: [['1']] });
    await db.control('/warehouse', { state: 'STOPPED' });
    const error = await client.query('SELECT 2 AS two').catch((e: unknown) => e);
    expect(hasCode(error, 'DATABRICKS.WAREHOUSE_UNAVAILABLE')).toBe(true);
  });

  test('when the warehouse answers 5xx, then DATABRICKS.UNAVAILABLE with the HTTP status', async () => {
    await db.control('/fail', { count: 5, status: 502, scope: 'thrift' });
    const error = await clientFor('alice').query('SELECT 1 AS one').catch((e: unknown) => e);
    expect(hasCode(error, 'DATABRICKS.UNAVAILABLE')).toBe(true);
    expect(isAppError(error) && error.details.httpStatus).toBe(502);
  });

  test('when one 503 is aimed at ExecuteStatement, then the session opens, the statement fails UNAVAILABLE once and the next one runs; a malformed aim is refused with 400', async () => {
    expect(await db.control('/fail', { count: 1, status: 503, scope: 'thrift', method: 'Execute Statement!' })).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect(await db.control('/fail', { count: 1, status: 503, scope: 'rest', method: 'ExecuteStatement' })).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    await db.control('/fail', { count: 1, status: 503, scope: 'thrift', method: 'ExecuteStatement' });
    const client = clientFor('alice');
    const error = await client.query('SELECT 1 AS one').catch((e: unknown) => e);
    expect(hasCode(error, 'DATABRICKS.UNAVAILABLE')).toBe(true);
    expect((await client.query('SELECT 2 AS two')).rows).toEqual([['2']]);
    const { counters } = (await db.control('/state')) as { counters: Record<string, number> };
    expect(counters['injected.ExecuteStatement']).toBe(1);
  });

  test('when a statement outlives queryTimeoutMs, then DATABRICKS.TIMEOUT', async () => {
    await db.control('/latency', { operation: 'execute', ms: 3000 });
    const started = Date.now();
    const error = await clientFor('alice', { queryTimeoutMs: 800 }).query('SELECT 1 AS one').catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(hasCode(error, 'DATABRICKS.TIMEOUT')).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(750);
    expect(elapsed).toBeLessThan(2000);
  });

  test('when a statement runs longer than the direct-results wait, then the client polls and still gets rows', async () => {
    await db.control('/latency', { operation: 'execute', ms: 2500 });
    const result = await clientFor('bob').query("SELECT count(*) AS n FROM main.retail.orders WHERE region = 'East'");
    expect(Number(result.rows[0]![0])).toBeGreaterThan(0);
    const state = (await db.control('/state')) as { counters: Record<string, number> };
    expect(state.counters['thrift.GetOperationStatus']).toBeGreaterThan(0);
    expect(state.counters['thrift.FetchResults']).toBeGreaterThan(0);
  });

  test('when dave (no grants) queries, then PERMISSION_DENIED names the schema', async () => {
    const error = await clientFor('dave').query('SELECT * FROM main.retail.orders').catch((e: unknown) => e);
    expect(hasCode(error, 'DATABRICKS.PERMISSION_DENIED')).toBe(true);
    expect(isAppError(error) && error.details.object).toBe('main.retail');
  });

  test('when alice cancels an East order her row filter hides, then 0 rows change and the order keeps its status (item 22)', async () => {
    const carol = clientFor('carol');
    const east = await carol.query("SELECT order_id, status FROM main.retail.orders WHERE region = 'East' AND status <> 'cancelled' ORDER BY order_id LIMIT 1");
    const [orderId, status] = east.rows[0]!;
    const result = await clientFor('alice').execute("UPDATE main.retail.orders SET status = 'cancelled' WHERE order_id = :id", { id: Number(orderId) });
    expect(result.rowsAffected).toBe(0);
    const after = await carol.query('SELECT status FROM main.retail.orders WHERE order_id = :id', { id: Number(orderId) });
    expect(after.rows).toEqual([[status]]);
  });

  test('when alice tries to move a West order into East, then the row filter refuses it with 42501', async () => {
    const error = await clientFor('alice')
      .execute("UPDATE main.retail.orders SET region = 'East' WHERE order_id = (SELECT min(order_id) FROM main.retail.orders)")
      .catch((e: unknown) => e);
    expect(hasCode(error, 'DATABRICKS.PERMISSION_DENIED')).toBe(true);
  });

  test('when carol cancels pending orders, then the rows change, the history records who ran it, and statementStatus agrees', async () => {
    const carol = clientFor('carol');
    const before = await carol.query("SELECT count(*) FROM main.retail.orders WHERE status = 'pending' AND region = :r", { r: 'South' });
    const pending = Number(before.rows[0]![0]);
    const result = await carol.execute("UPDATE main.retail.orders SET status = 'cancelled' WHERE status = 'pending' AND region = :r", { r: 'South' });
    expect(result.rowsAffected).toBe(pending);
    const after = await carol.query("SELECT count(*) FROM main.retail.orders WHERE status = 'pending' AND region = 'South'");
    expect(after.rows[0]![0]).toBe('0');
    const history = (await db.control('/history?upn=carol@contoso.example')) as { queries: { statementId: string; rowsAffected: number | null; status: string }[] };
    expect(history.queries.find((q) => q.statementId === result.statementId)).toMatchObject({ rowsAffected: pending, status: 'FINISHED' });
    await expect(carol.statementStatus(result.statementId)).resolves.toEqual({ state: 'SUCCEEDED', rowsAffected: pending });
    await db.control('/reset', {});
    const restored = await clientFor('carol').query("SELECT count(*) FROM main.retail.orders WHERE status = 'pending' AND region = 'South'");
    expect(Number(restored.rows[0]![0])).toBe(pending);
  });

  test('when a load user queries, then only their customer_id % 50 slice comes back', async () => {
    const result = await clientFor('load07').query('SELECT DISTINCT customer_id % 50 AS slice FROM main.retail.orders');
    expect(result.rows).toEqual([['6']]);
  });
});

describe('SQL dialect and DML over the real driver (private emulator)', () => {
  test('when results hold NULLs and several types, then cells decode through the nulls bitmap', async () => {
    const result = await clientFor('carol').query(
      "SELECT CAST(NULL AS INT) AS missing, 42 AS answer, 'x' AS s, CAST(1.5 AS DOUBLE) AS d, true AS flag, DATE '2024-03-01' AS day",
    );
    expect(result.rows).toEqual([[null, '42', 'x', '1.5', 'true', '2024-03-01']]);
    expect(result.columns.map((c) => c.type)).toEqual(['INT', 'INT', 'STRING', 'DOUBLE', 'BOOLEAN', 'DATE']);
  });

  test('when SHOW TABLES and DESCRIBE run, then they list main.retail and its columns', async () => {
    const client = clientFor('alice');
    const tables = await client.query('SHOW TABLES IN main.retail');
    expect(tables.rows.map((r) => r[1]).sort()).toEqual(['customers', 'orders', 'products', 'regions']);
    const described = await client.query('DESCRIBE TABLE `main`.`retail`.`orders`');
    expect(described.rows.map((r) => r[0])).toEqual(['order_id', 'order_date', 'region', 'customer_id', 'product_id', 'quantity', 'amount', 'status']);
  });

  test('when carol runs INSERT, MERGE and DELETE, then each reports its affected rows', async () => {
    const carol = clientFor('carol');
    const inserted = await carol.execute(
      'INSERT INTO main.retail.orders (order_id, order_date, region, customer_id, product_id, quantity, amount, status) VALUES (:id, DATE \'2025-06-01\', :region, 1, 1, 2, 10.00, \'pending\')',
      { id: 999001, region: 'West' },
    );
    expect(inserted.rowsAffected).toBe(1);
    const merged = await carol.execute(
      "MERGE INTO main.retail.orders AS t USING (SELECT 999001 AS order_id, 'shipped' AS status UNION ALL SELECT 999002, 'pending') AS s ON t.order_id = s.order_id " +
        "WHEN MATCHED THEN UPDATE SET status = s.status WHEN NOT MATCHED THEN INSERT (order_id, order_date, region, customer_id, product_id, quantity, amount, status) VALUES (s.order_id, DATE '2025-06-02', 'East', 2, 2, 1, 5.00, s.status)",
    );
    expect(merged.rowsAffected).toBe(2);
    const alice = await clientFor('alice').query('SELECT order_id, status FROM main.retail.orders WHERE order_id >= 999001 ORDER BY order_id');
    expect(alice.rows).toEqual([['999001', 'shipped']]);
    const deleted = await carol.execute('DELETE FROM main.retail.orders WHERE order_id >= :from', { from: 999001 });
    expect(deleted.rowsAffected).toBe(2);
  });

  test('when a statement tries to leave the caller role, then Postgres refuses it', async () => {
    const alice = clientFor('alice');
    const reset = await alice.query('RESET ROLE').catch((e: unknown) => e);
    expect(hasCode(reset, 'DATABRICKS.SYNTAX')).toBe(true);
    const setConfig = await alice.query("SELECT set_config('role', 'none', true)").catch((e: unknown) => e);
    expect(hasCode(setConfig, 'DATABRICKS.PERMISSION_DENIED')).toBe(true);
    const base = await alice.query('SELECT email FROM uc_base.customers').catch((e: unknown) => e);
    expect(hasCode(base, 'DATABRICKS.PERMISSION_DENIED')).toBe(true);
    const twoStatements = await alice.query('SELECT 1; SELECT 2').catch((e: unknown) => e);
    expect(hasCode(twoStatements, 'DATABRICKS.SYNTAX')).toBe(true);
  });
});
