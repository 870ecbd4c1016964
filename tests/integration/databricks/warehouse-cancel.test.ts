/**
 * CancelOperation on the emulated SQL warehouse, as on a real one: a statement cancelled before it
 * commits is rolled back and ends CANCELED (Thrift status, query history and the Statement
 * Execution API agree); a cancel after it finished changes nothing. Driven by the real
 * `@databricks/sql` driver, and by a bare Thrift client where the driver stops looking.
 */
import { DBSQLClient } from '@databricks/sql';
import type IDBSQLSession from '@databricks/sql/dist/contracts/IDBSQLSession';
import { TOperationState, TStatusCode } from '@databricks/sql/thrift/TCLIService_types';
import type { QueryHistoryEntry } from '../../../emulators/databricks/engine-types';
import { createSqlClient } from '../../../src/databricks/sql-client';
import type { SqlClient } from '../../../src/databricks/types';
import { silentLogger } from '../../../src/logging';
import { startPrivateDatabricks, type PrivateDatabricks } from './emulator-support';
import { rawWarehouse } from './raw-thrift';

jest.setTimeout(60_000);

let db: PrivateDatabricks;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  db = await startPrivateDatabricks();
}, 60_000);
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await db?.stop();
});
afterEach(async () => {
  await db.control('/reset', { data: false });
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Alice's own West orders in a range no other test touches: running it adds 1 per row. */
function bump(from: number): { sql: string; sumSql: string } {
  const where = `region = 'West' AND order_id BETWEEN ${from} AND ${from + 49}`;
  return { sql: `UPDATE main.retail.orders SET quantity = quantity + 1 WHERE ${where}`, sumSql: `SELECT coalesce(sum(quantity), 0), count(*) FROM main.retail.orders WHERE ${where}` };
}

function productClient(user: string): SqlClient {
  const client = createSqlClient({ host: 'localhost', port: db.info.port, httpPath: db.info.httpPath, getToken: () => db.token(user), logger: silentLogger() });
  closers.push(() => client.close());
  return client;
}

async function sumAndCount(sql: string): Promise<{ sum: number; count: number }> {
  const row = (await productClient('carol').query(sql)).rows[0] ?? [];
  return { sum: Number(row[0]), count: Number(row[1]) };
}

async function driverSession(user: string): Promise<IDBSQLSession> {
  const client = new DBSQLClient({ logger: { log: () => undefined } });
  await client.connect({ host: 'localhost', port: db.info.port, path: db.info.httpPath, token: await db.token(user), telemetryEnabled: false });
  closers.push(() => client.close());
  const session = await client.openSession({ initialCatalog: 'main', initialSchema: 'retail' });
  closers.push(() => session.close());
  return session;
}

async function historyOf(statementId: string): Promise<QueryHistoryEntry | undefined> {
  const { queries } = (await db.control('/history')) as { queries: QueryHistoryEntry[] };
  return queries.find((q) => q.statementId === statementId);
}

async function counter(name: string): Promise<number> {
  return ((await db.control('/state')) as { counters: Record<string, number> }).counters[name] ?? 0;
}

describe('CancelOperation on the SQL warehouse', () => {
  test('when a slow UPDATE is cancelled while it runs, then the driver sees CANCELED, the rows are unchanged, and history and the statements API say CANCELED', async () => {
    const change = bump(101_001);
    const before = await sumAndCount(change.sumSql);
    expect(before.count).toBeGreaterThan(0);
    await db.control('/latency', { operation: 'execute', ms: 4000 });
    const session = await driverSession('alice');
    const started = Date.now();

    const operation = await session.executeStatement(change.sql);
    const waiting = operation.fetchAll().then(
      () => 'finished' as const,
      (error: unknown) => error as { errorCode?: string; response?: { operationState?: number } },
    );
    await operation.cancel();
    const outcome = await waiting;
    await sleep(Math.max(0, 4500 - (Date.now() - started)));

    expect(outcome).toMatchObject({ errorCode: 'CANCELED', response: { operationState: TOperationState.CANCELED_STATE } });
    expect(await counter('thrift.CancelOperation')).toBe(1);
    expect(await sumAndCount(change.sumSql)).toEqual(before);
    expect(await historyOf(operation.id)).toMatchObject({ status: 'CANCELED', rowsAffected: null });
    await expect(productClient('alice').statementStatus(operation.id)).resolves.toEqual({ state: 'CANCELED', rowsAffected: undefined });
  });

  test('when the UPDATE finished before the cancel, then the cancel is accepted but changes nothing: rows changed once, state FINISHED', async () => {
    const change = bump(101_101);
    const before = await sumAndCount(change.sumSql);
    await db.control('/latency', { operation: 'execute', ms: 2500 });
    const session = await driverSession('alice');

    const operation = await session.executeStatement(change.sql);
    await operation.fetchAll();
    const status = await operation.status();
    await operation.cancel();

    expect(status.operationState).toBe(TOperationState.FINISHED_STATE);
    expect(await counter('thrift.CancelOperation')).toBe(1);
    expect(await sumAndCount(change.sumSql)).toEqual({ sum: before.sum + before.count, count: before.count });
    expect(await historyOf(operation.id)).toMatchObject({ status: 'FINISHED', rowsAffected: before.count });
    await expect(productClient('alice').statementStatus(operation.id)).resolves.toEqual({ state: 'SUCCEEDED', rowsAffected: before.count });
  });

  test('when GetOperationStatus is asked after each cancel, then a running statement reads CANCELED_STATE at once and a finished one still reads FINISHED_STATE', async () => {
    const running = bump(101_201);
    const finished = bump(101_301);
    const runningBefore = await sumAndCount(running.sumSql);
    const finishedBefore = await sumAndCount(finished.sumSql);
    const thrift = rawWarehouse(db.info.port, db.info.httpPath, await db.token('alice'));
    const session = await thrift.openSession();
    closers.push(() => thrift.closeSession(session));

    await db.control('/latency', { operation: 'execute', ms: 5000 });
    const slow = await thrift.execute(session, running.sql);
    expect((await thrift.status(slow)).operationState).toBe(TOperationState.RUNNING_STATE);
    expect((await thrift.cancel(slow)).status.statusCode).toBe(TStatusCode.SUCCESS_STATUS);
    expect((await thrift.status(slow)).operationState).toBe(TOperationState.CANCELED_STATE);

    await db.control('/latency', { operation: 'execute', ms: 0 });
    const quick = await thrift.execute(session, finished.sql);
    const done = await thrift.status(quick);
    expect((await thrift.cancel(quick)).status.statusCode).toBe(TStatusCode.SUCCESS_STATUS);
    const after = await thrift.status(quick);

    expect(done.operationState).toBe(TOperationState.FINISHED_STATE);
    expect(after.operationState).toBe(TOperationState.FINISHED_STATE);
    expect(after.numModifiedRows?.toNumber()).toBe(finishedBefore.count);
    await sleep(5500);
    expect((await thrift.status(slow)).operationState).toBe(TOperationState.CANCELED_STATE);
    expect(await sumAndCount(running.sumSql)).toEqual(runningBefore);
    expect((await sumAndCount(finished.sumSql)).sum).toBe(finishedBefore.sum + finishedBefore.count);
  });

  test("when another user cancels alice's running statement, then the handle is invalid for them and her statement commits", async () => {
    const change = bump(101_401);
    const before = await sumAndCount(change.sumSql);
    const alice = rawWarehouse(db.info.port, db.info.httpPath, await db.token('alice'));
    const bob = rawWarehouse(db.info.port, db.info.httpPath, await db.token('bob'));
    const session = await alice.openSession();
    closers.push(() => alice.closeSession(session));
    await db.control('/latency', { operation: 'execute', ms: 2500 });

    const operation = await alice.execute(session, change.sql);
    const refused = await bob.cancel(operation);
    let state = (await alice.status(operation)).operationState;
    while (state === TOperationState.RUNNING_STATE) {
      await sleep(100);
      state = (await alice.status(operation)).operationState;
    }

    expect(refused.status.statusCode).toBe(TStatusCode.INVALID_HANDLE_STATUS);
    expect(state).toBe(TOperationState.FINISHED_STATE);
    expect((await sumAndCount(change.sumSql)).sum).toBe(before.sum + before.count);
  });
});
