import { hasCode, isAppError } from '../../../src/errors';
import { createSqlClient } from '../../../src/databricks/sql-client';
import type { SqlClient } from '../../../src/databricks/types';
import { silentLogger } from '../../../src/logging';
import { testStack } from '../../support/stack';
import { databricksToken } from './sql-tokens';

/** Against the shared stack: real Entra OBO tokens, the real driver over HTTPS. Writes here never change data. */
const stack = testStack();
const clients: SqlClient[] = [];

function clientFor(user: string): SqlClient {
  const client = createSqlClient({
    host: stack.databricks.host,
    port: stack.databricks.port,
    httpPath: stack.databricks.httpPath,
    getToken: () => databricksToken(stack, user),
    logger: silentLogger(),
  });
  clients.push(client);
  return client;
}

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

const REGION_QUERY = 'SELECT region, count(*) AS orders FROM main.retail.orders GROUP BY region ORDER BY region';

describe('SQL client against the warehouse emulator (shared stack)', () => {
  test('when alice, bob and carol run the same query, then each sees only the regions their row filter allows', async () => {
    const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((u) => clientFor(u).query(REGION_QUERY)));
    expect(alice!.rows.map((r) => r[0])).toEqual(['West']);
    expect(bob!.rows.map((r) => r[0])).toEqual(['East']);
    expect(carol!.rows.map((r) => r[0])).toEqual(['Central', 'East', 'North', 'South', 'West']);
    expect(carol!.columns).toEqual([{ name: 'region', type: 'STRING' }, { name: 'orders', type: 'BIGINT' }]);
    const total = carol!.rows.reduce((sum, r) => sum + Number(r[1]), 0);
    expect(total).toBeGreaterThanOrEqual(1000);
    expect(alice!.statementId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  test('when a user outside pii_readers reads customers, then email is masked; carol sees it in clear', async () => {
    const sql = 'SELECT customer_id, email FROM `main`.`retail`.`customers` ORDER BY customer_id LIMIT 5';
    const alice = await clientFor('alice').query(sql);
    const carol = await clientFor('carol').query(sql);
    expect(alice.rows.length).toBe(5);
    for (const row of alice.rows) expect(row[1]).toMatch(/^\*\*\*\*@/);
    for (const row of carol.rows) expect(row[1]).toMatch(/^[a-z]+\.[a-z]+\.\d+@example\.com$/);
  });

  test('when named parameters are passed, then the warehouse binds them (a dropped parameter would change the count)', async () => {
    const client = clientFor('carol');
    const all = await client.query("SELECT count(*) AS n FROM main.retail.orders WHERE region = 'East' AND quantity >= 1");
    const filtered = await client.query('SELECT count(*) AS n FROM main.retail.orders WHERE region = :region AND quantity >= :min_qty', {
      region: 'East',
      min_qty: 9,
    });
    const n = Number(filtered.rows[0]![0]);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(Number(all.rows[0]![0]));
  });

  test('when bob (read-only) tries to update orders, then it fails with 42501 and DATABRICKS.PERMISSION_DENIED naming the table', async () => {
    const error = await clientFor('bob')
      .execute('UPDATE main.retail.orders SET status = status WHERE order_id = :id', { id: 100001 })
      .catch((e: unknown) => e);
    expect(hasCode(error, 'DATABRICKS.PERMISSION_DENIED')).toBe(true);
    expect(isAppError(error) && error.details).toMatchObject({ sqlState: '42501', errorClass: 'INSUFFICIENT_PERMISSIONS', object: 'main.retail.orders' });
  });

  test('when alice updates an East order hidden by her row filter, then 0 rows change (item 22), and her own West rows do change', async () => {
    const carol = clientFor('carol');
    const east = await carol.query("SELECT min(order_id) FROM main.retail.orders WHERE region = 'East'");
    const west = await carol.query("SELECT min(order_id) FROM main.retail.orders WHERE region = 'West'");
    const alice = clientFor('alice');
    const hidden = await alice.execute('UPDATE main.retail.orders SET status = status WHERE order_id = :id', { id: Number(east.rows[0]![0]) });
    expect(hidden.rowsAffected).toBe(0);
    const own = await alice.execute('UPDATE main.retail.orders SET status = status WHERE order_id = :id', { id: Number(west.rows[0]![0]) });
    expect(own.rowsAffected).toBe(1);
  });

  test('when a DML statement is submitted, then onSubmitted receives its id before the result, and statementStatus reports the outcome', async () => {
    const client = clientFor('carol');
    const seen: string[] = [];
    const result = await client.execute(
      "UPDATE main.retail.orders SET status = status WHERE region = 'North' AND order_date < DATE '2024-02-01'",
      undefined,
      { onSubmitted: async (id) => void seen.push(id) },
    );
    expect(seen).toEqual([result.statementId]);
    expect(result.rowsAffected).toBeGreaterThan(0);
    await expect(client.statementStatus(result.statementId)).resolves.toEqual({ state: 'SUCCEEDED', rowsAffected: result.rowsAffected });
    await expect(clientFor('bob').statementStatus(result.statementId)).resolves.toEqual({ state: 'UNKNOWN', rowsAffected: undefined });
  });

  test('when the table does not exist or the SQL does not parse, then TABLE_NOT_FOUND and SYNTAX', async () => {
    const client = clientFor('alice');
    const missing = await client.query('SELECT * FROM main.retail.nope').catch((e: unknown) => e);
    expect(hasCode(missing, 'DATABRICKS.TABLE_NOT_FOUND')).toBe(true);
    const syntax = await client.query('SELEC region FROM main.retail.orders').catch((e: unknown) => e);
    expect(hasCode(syntax, 'DATABRICKS.SYNTAX')).toBe(true);
  });

  test('when the bearer token is not a JWT, then the emulator refuses it and the client maps it to UNAUTHENTICATED', async () => {
    const client = createSqlClient({
      host: stack.databricks.host, port: stack.databricks.port, httpPath: stack.databricks.httpPath,
      getToken: async () => 'not-a-jwt', logger: silentLogger(),
    });
    clients.push(client);
    const error = await client.query('SELECT 1').catch((e: unknown) => e);
    expect(hasCode(error, 'DATABRICKS.UNAUTHENTICATED')).toBe(true);
  });

  test('when a client is created, then it connects lazily with its own token, and refuses use after close()', async () => {
    const calls: string[] = [];
    const client = createSqlClient({
      host: stack.databricks.host, port: stack.databricks.port, httpPath: stack.databricks.httpPath,
      getToken: async () => {
        calls.push('token');
        return databricksToken(stack, 'alice');
      },
      logger: silentLogger(),
    });
    expect(calls).toEqual([]);
    await client.query('SELECT 1 AS one');
    await client.query('SELECT 2 AS two');
    expect(calls).toEqual(['token']);
    await client.close();
    const after = await client.query('SELECT 3').catch((e: unknown) => e);
    expect(hasCode(after, 'INTERNAL.UNEXPECTED')).toBe(true);
    await client.close();
  });

  test('when maxRows caps a large result, then rows are capped and totalRowCount is not', async () => {
    const result = await clientFor('carol').query('SELECT order_id, amount FROM main.retail.orders ORDER BY order_id', undefined, { maxRows: 25 });
    expect(result.rows.length).toBe(25);
    expect(result.truncated).toBe(true);
    expect(result.totalRowCount).toBeGreaterThanOrEqual(1000);
    expect(result.rows[0]![0]).toBe('100001');
  });
});
