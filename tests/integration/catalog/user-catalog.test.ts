/**
 * The catalog view against the emulators through the production clients: the Genie space GET
 * (serialized_space) over HTTPS and `information_schema.columns` over the Thrift warehouse with
 * @databricks/sql, with real OBO tokens. `main.retail.region_targets` is in the space, granted to
 * region_east (bob) and admins only: alice has no grant on it.
 */
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { UserCatalogCache, loadUserCatalog, readSpaceTables, type UserCatalog } from '../../../src/catalog';
import { createSqlClient } from '../../../src/databricks/sql-client';
import type { SqlClient } from '../../../src/databricks/types';
import { hasCode } from '../../../src/errors';
import { createChatModelRouter } from '../../../src/llm';
import { silentLogger } from '../../../src/logging';
import { DEMO_DIRECTORY, findUser } from '../../../emulators/shared/directory';
import { testStack } from '../../support/stack';
import { databricksToken } from '../databricks/sql-tokens';

const stack = testStack();
const clients: SqlClient[] = [];
const RESTRICTED = 'main.retail.region_targets';

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

function sourceFor(user: string) {
  const getToken = () => databricksToken(stack, user);
  return {
    spaceTables: () => readSpaceTables({ host: `https://${stack.databricks.host}:${stack.databricks.port}`, spaceId: stack.databricks.genieSpaceId, getToken }),
    sql: () => {
      const client = createSqlClient({ host: stack.databricks.host, port: stack.databricks.port, httpPath: stack.databricks.httpPath, getToken, logger: silentLogger() });
      clients.push(client);
      return client;
    },
  };
}

const viewOf = (user: string): Promise<UserCatalog> => loadUserCatalog(stack.databricks.genieSpaceId, sourceFor(user));
const names = (view: UserCatalog): string[] => view.tables.map((t) => t.name).sort();

describe('user catalog view against the Databricks emulator (real clients, real tokens)', () => {
  test('when alice and bob read the space, then it lists region_targets for both (the space is not per user)', async () => {
    for (const user of ['alice', 'bob']) expect(await sourceFor(user).spaceTables()).toContain(RESTRICTED);
  });

  test("when alice's view is read, then region_targets is absent (no grant) and her tables carry their columns and types", async () => {
    const alice = await viewOf('alice');
    expect(names(alice)).toEqual(['main.retail.customers', 'main.retail.orders', 'main.retail.products', 'main.retail.regions']);
    const orders = alice.tables.find((t) => t.name === 'main.retail.orders');
    expect(orders?.columns).toEqual([
      { name: 'order_id', type: 'BIGINT' }, { name: 'order_date', type: 'DATE' }, { name: 'region', type: 'STRING' }, { name: 'customer_id', type: 'INT' },
      { name: 'product_id', type: 'INT' }, { name: 'quantity', type: 'INT' }, { name: 'amount', type: 'DECIMAL' }, { name: 'status', type: 'STRING' },
    ]);
    const denied = await sourceFor('alice').sql().query(`SELECT * FROM ${RESTRICTED}`).catch((e: unknown) => e);
    expect(hasCode(denied, 'DATABRICKS.PERMISSION_DENIED')).toBe(true);
  });

  test("when bob's view is read, then it includes region_targets (granted to region_east) with its columns", async () => {
    const bob = await viewOf('bob');
    expect(names(bob)).toContain(RESTRICTED);
    expect(bob.tables.find((t) => t.name === RESTRICTED)?.columns).toEqual([
      { name: 'region', type: 'STRING' }, { name: 'year', type: 'INT' }, { name: 'target_amount', type: 'DECIMAL' },
    ]);
  });

  test('when one cache serves alice then bob, then bob gets his own view, never the one cached for alice', async () => {
    const cache = new UserCatalogCache({ spaceId: stack.databricks.genieSpaceId });
    const as = (short: string) => {
      const person = findUser(DEMO_DIRECTORY, short)!;
      return { tenantId: DEMO_DIRECTORY.tenantId, objectId: person.objectId };
    };
    const alice = await cache.get(as('alice'), () => viewOf('alice'));
    const bob = await cache.get(as('bob'), () => viewOf('bob'));
    expect(names(alice)).not.toContain(RESTRICTED);
    expect(names(bob)).toContain(RESTRICTED);
    expect(names(await cache.get(as('alice'), () => viewOf('bob')))).not.toContain(RESTRICTED);
  });

  test("when the model router routes alice's and bob's messages with their views, then alice's prompt never names region_targets and bob's does", async () => {
    const prompts: string[] = [];
    for (const user of ['alice', 'bob']) {
      const model = new FakeListChatModel({ responses: ['{"intent":"question","question":"targets"}'] });
      const spy = jest.spyOn(model, 'invoke');
      const view = await viewOf(user);
      await createChatModelRouter(model, { fallback: null }).route('what are the sales targets?', { memories: [], catalog: async () => view });
      prompts.push(String((spy.mock.calls[0]?.[0] as { content: unknown }[])[0]?.content));
    }
    expect(prompts[0]).toContain('main.retail.orders');
    expect(prompts[0]).not.toContain('region_targets');
    expect(prompts[1]).toContain(`${RESTRICTED}: region STRING, year INT, target_amount DECIMAL`);
  });
});
