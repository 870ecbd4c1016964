/**
 * A private emulator (its own signing key) for a user the Entra emulator never issues a Databricks
 * token to: dave has no consent, no group, no grant and no CAN EDIT on the space. Through the real
 * clients: reading the space's tables is refused (CATALOG.SPACE_FORBIDDEN) and the information schema
 * shows him nothing, as Unity Catalog's would. A CAN RUN user (load01) may not read the space's
 * definition either, but with CATALOG_FALLBACK_TABLES the operator's tables are described as them.
 */
import { describeTables, loadUserCatalog, readSpaceTables } from '../../../src/catalog';
import { createSqlClient } from '../../../src/databricks/sql-client';
import type { SqlClient } from '../../../src/databricks/types';
import { silentLogger } from '../../../src/logging';
import { startPrivateDatabricks, type PrivateDatabricks } from '../databricks/emulator-support';

jest.setTimeout(60_000);

let emulator: PrivateDatabricks;
const clients: SqlClient[] = [];
const SPACE_TABLES = ['main.retail.customers', 'main.retail.orders', 'main.retail.products', 'main.retail.region_targets', 'main.retail.regions'];

beforeAll(async () => {
  emulator = await startPrivateDatabricks();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await emulator?.stop();
});

function sqlFor(user: string): SqlClient {
  const client = createSqlClient({ host: emulator.info.host, port: emulator.info.port, httpPath: emulator.info.httpPath, getToken: () => emulator.token(user), logger: silentLogger() });
  clients.push(client);
  return client;
}

const spaceTablesFor = (user: string) => readSpaceTables({ host: emulator.info.baseUrl, spaceId: emulator.info.genieSpaceId, getToken: () => emulator.token(user) });

describe('catalog reads for a user without rights on the space or its tables', () => {
  test('when dave (no permission: 404) or a CAN RUN user (403) reads the space tables, then CATALOG.SPACE_FORBIDDEN; carol (admins) reads them', async () => {
    await expect(spaceTablesFor('dave')).rejects.toMatchObject({ code: 'CATALOG.SPACE_FORBIDDEN' });
    await expect(spaceTablesFor('load01')).rejects.toMatchObject({ code: 'CATALOG.SPACE_FORBIDDEN' });
    expect((await spaceTablesFor('carol')).sort()).toEqual(SPACE_TABLES);
  });

  test('when dave (no grant) queries information_schema.columns, then no table of the space is described; carol sees all five', async () => {
    expect(await describeTables(sqlFor('dave'), SPACE_TABLES)).toEqual([]);
    expect((await describeTables(sqlFor('carol'), SPACE_TABLES)).map((t) => t.name)).toEqual(SPACE_TABLES);
  });

  test('when information_schema is named without the catalog, then it is the same privilege-filtered view', async () => {
    const alice = await sqlFor('alice').query("SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = 'retail' ORDER BY table_name");
    expect(alice.rows.map((r) => r[0])).toEqual(['customers', 'orders', 'products', 'regions']);
  });

  test('when CATALOG_FALLBACK_TABLES is set, then a CAN RUN user gets those tables described as them (only those granted); dave (no access to the space) is still refused', async () => {
    const fallbackTables = ['main.retail.orders', 'main.retail.region_targets', 'main.hr.employees'];
    const source = (user: string) => ({ spaceTables: () => spaceTablesFor(user), sql: () => sqlFor(user), fallbackTables });
    const load01 = await loadUserCatalog(emulator.info.genieSpaceId, source('load01'));
    expect({ from: load01.from, tables: load01.tables.map((t) => t.name) }).toEqual({ from: 'fallback', tables: ['main.retail.orders'] });
    expect(load01.tables[0]!.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['order_id', 'status', 'region']));
    await expect(loadUserCatalog(emulator.info.genieSpaceId, source('dave'))).rejects.toMatchObject({ code: 'CATALOG.SPACE_FORBIDDEN', details: { access: 'none' } });
    const carol = await loadUserCatalog(emulator.info.genieSpaceId, source('carol'));
    expect({ from: carol.from, tables: carol.tables.map((t) => t.name).sort() }).toEqual({ from: 'space', tables: SPACE_TABLES });
  });
});
