import { describeTables, readSpaceTables, tableIdentifier, tablesOfSerializedSpace } from '../../../src/catalog';
import { AppError, hasCode } from '../../../src/errors';
import { recordingSql } from './recording-sql';

describe('Genie space tables from serialized_space', () => {
  it('when the space lists tables, then their three-part names come back lower case, once each', () => {
    const serialized = JSON.stringify({
      version: 2,
      data_sources: { tables: [{ identifier: 'Main.Retail.Orders' }, { identifier: 'main.hr.salaries' }, { identifier: 'main.retail.orders' }], metric_views: [{ identifier: 'main.x.m' }] },
    });
    expect(tablesOfSerializedSpace(serialized, 's')).toEqual(['main.retail.orders', 'main.hr.salaries']);
  });

  it.each([
    ['two parts', 'retail.orders'],
    ['four parts', 'a.b.c.d'],
    ['a statement tail', 'main.retail.orders; DROP TABLE x'],
    ['a space', 'main.retail.my orders'],
    ['a quote', "main.retail.o'rders"],
    ['not a string', 42],
  ])('when an identifier has %s, then it is not a table name', (_label, value) => {
    expect(tableIdentifier(value)).toBeUndefined();
  });

  it('when identifiers are back-quoted, then the quotes go', () => {
    expect(tableIdentifier('`main`.`retail`.`orders`')).toBe('main.retail.orders');
  });

  it.each([
    ['not JSON', '{not json'],
    ['missing', undefined],
    ['without data_sources.tables', JSON.stringify({ version: 2 })],
    ['with tables not a list', JSON.stringify({ data_sources: { tables: 'main.retail.orders' } })],
  ])('when serialized_space is %s, then CATALOG.SPACE_UNREADABLE', (_label, value) => {
    let error: unknown;
    try {
      tablesOfSerializedSpace(value, 's');
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'CATALOG.SPACE_UNREADABLE')).toBe(true);
  });

  it('when the space lists no table, then the list is empty (not an error)', () => {
    expect(tablesOfSerializedSpace(JSON.stringify({ data_sources: { tables: [] } }), 's')).toEqual([]);
  });
});

describe('describeTables over information_schema.columns', () => {
  it('when information_schema returns rows for some tables, then only those tables are in the view, in the space order', async () => {
    const sql = recordingSql([
      ['retail', 'orders', 'order_id', 'BIGINT'],
      ['retail', 'orders', 'status', 'string'],
      ['retail', 'products', 'product_id', 'INT'],
    ]);
    const tables = await describeTables(sql, ['main.retail.products', 'main.retail.region_targets', 'main.retail.orders']);
    expect(tables).toEqual([
      { name: 'main.retail.products', columns: [{ name: 'product_id', type: 'INT' }] },
      { name: 'main.retail.orders', columns: [{ name: 'order_id', type: 'BIGINT' }, { name: 'status', type: 'STRING' }] },
    ]);
    expect(sql.calls).toHaveLength(1);
    expect(sql.calls[0]!.sql).toContain('FROM `main`.information_schema.columns');
    expect(sql.calls[0]!.params).toEqual({ s0: 'retail', t0: 'products', t1: 'region_targets', t2: 'orders' });
  });

  it('when a row names a table the space does not list, then it is ignored', async () => {
    const sql = recordingSql([['retail', 'secret', 'x', 'INT']]);
    expect(await describeTables(sql, ['main.retail.orders'])).toEqual([]);
  });

  it('when tables are in two catalogs, then each catalog is asked once', async () => {
    const sql = recordingSql([]);
    await describeTables(sql, ['main.retail.orders', 'finance.ledger.entries']);
    expect(sql.calls.map((c) => c.sql.match(/FROM `(\w+)`/)?.[1])).toEqual(['main', 'finance']);
  });

  it('when the warehouse fails, then CATALOG.UNAVAILABLE; a sign-in failure passes through unchanged', async () => {
    await expect(describeTables(recordingSql([], new AppError('DATABRICKS.WAREHOUSE_UNAVAILABLE')), ['main.retail.orders'])).rejects.toMatchObject({ code: 'CATALOG.UNAVAILABLE' });
    await expect(describeTables(recordingSql([], new AppError('AUTH.SIGN_IN_REQUIRED')), ['main.retail.orders'])).rejects.toMatchObject({ code: 'AUTH.SIGN_IN_REQUIRED' });
  });
});

describe('readSpaceTables error mapping (HTTP answers as Databricks gives them)', () => {
  const answer = (status: number, body: unknown): typeof fetch => (async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })) as typeof fetch;
  const read = (fetchImpl: typeof fetch) => readSpaceTables({ host: 'https://adb.example', spaceId: 's1', getToken: async () => 'token', fetchImpl });

  it('when the user lacks CAN EDIT (403), then CATALOG.SPACE_FORBIDDEN, marked as below CAN EDIT', async () => {
    await expect(read(answer(403, { error_code: 'PERMISSION_DENIED', message: 'no' }))).rejects.toMatchObject({ code: 'CATALOG.SPACE_FORBIDDEN', details: { access: 'below-can-edit' } });
  });

  it('when the space is missing or hidden from the user (404), then CATALOG.SPACE_FORBIDDEN (not transient); when Databricks fails (503), then CATALOG.UNAVAILABLE', async () => {
    await expect(read(answer(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'gone' }))).rejects.toMatchObject({ code: 'CATALOG.SPACE_FORBIDDEN', details: { access: 'none' } });
    await expect(read(answer(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'later' }))).rejects.toMatchObject({ code: 'CATALOG.UNAVAILABLE' });
  });

  it('when the token is refused (401), then the sign-in error passes through', async () => {
    await expect(read(answer(401, { error_code: 'UNAUTHENTICATED', message: 'who' }))).rejects.toMatchObject({ code: 'DATABRICKS.UNAUTHENTICATED' });
  });

  it('when the answer has no serialized_space, then CATALOG.SPACE_UNREADABLE', async () => {
    await expect(read(answer(200, { space_id: 's1', title: 't' }))).rejects.toMatchObject({ code: 'CATALOG.SPACE_UNREADABLE' });
  });

  it('when the request is made, then it asks for the serialized space of the configured space with the bearer token', async () => {
    const seen: { url: string; auth: string | null }[] = [];
    const fetchImpl = (async (url: string, init: RequestInit) => {
      seen.push({ url, auth: new Headers(init.headers).get('authorization') });
      return new Response(JSON.stringify({ serialized_space: JSON.stringify({ data_sources: { tables: [{ identifier: 'main.retail.orders' }] } }) }), { status: 200 });
    }) as unknown as typeof fetch;
    expect(await read(fetchImpl)).toEqual(['main.retail.orders']);
    expect(seen).toEqual([{ url: 'https://adb.example/api/2.0/genie/spaces/s1?include_serialized_space=true', auth: 'Bearer token' }]);
  });
});
