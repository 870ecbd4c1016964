/**
 * The catalog view follows the turn's Genie space (issue 17 item 1 with issue 16): when the
 * conversation switched to People (HR), the turn's clients name that space (`UserDatabricks.spaceId`,
 * as `inSpace` in bot/routes/background-turn.ts sets it) and the catalog reads that space's tables,
 * cached per user AND per space. Real clients over the emulators with real OBO tokens.
 */
import { FakeListChatModel } from '@langchain/core/utils/testing';
import type { UserDatabricksFactory } from '../../../src/agents/ports';
import { catalogLoaderFor } from '../../../src/agents/supervisor/catalog-loader';
import { UserCatalogCache, readSpaceTables, type UserCatalog } from '../../../src/catalog';
import { createSqlClient } from '../../../src/databricks/sql-client';
import type { GenieClient, SqlClient } from '../../../src/databricks/types';
import { AppError } from '../../../src/errors';
import { createChatModelRouter } from '../../../src/llm';
import { silentLogger } from '../../../src/logging';
import { DEMO_DIRECTORY, findUser } from '../../../emulators/shared/directory';
import { HR_SPACE_ID } from '../../../emulators/databricks/genie/demo-spaces';
import { testStack } from '../../support/stack';
import { databricksToken } from '../databricks/sql-tokens';

const stack = testStack();
const host = `https://${stack.databricks.host}:${stack.databricks.port}`;

const notUsed = (what: string) => (): never => {
  throw new AppError('INTERNAL.UNEXPECTED', `${what} is not used by the catalog`);
};

/** The turn's clients for `user`, as the bot builds them: real space GET and SQL as that user; `spaceId` only after a switch. */
function turnClients(user: string, spaceId: string | undefined, reads: string[]): UserDatabricksFactory {
  return () => {
    const getToken = () => databricksToken(stack, user);
    let sql: SqlClient | undefined;
    return {
      ...(spaceId ? { spaceId } : {}),
      genie: notUsed('genie') as () => GenieClient,
      genieResults: notUsed('genieResults'),
      genieFeedback: notUsed('genieFeedback'),
      ensureToken: async () => void (await getToken()),
      sql: () => (sql ??= createSqlClient({ host: stack.databricks.host, port: stack.databricks.port, httpPath: stack.databricks.httpPath, getToken, logger: silentLogger() })),
      spaceTables: (id = stack.databricks.genieSpaceId) => {
        reads.push(id);
        return readSpaceTables({ host, spaceId: id, getToken });
      },
      close: async () => void (await sql?.close()),
    };
  };
}

const carol = (() => {
  const person = findUser(DEMO_DIRECTORY, 'carol')!;
  return { tenantId: DEMO_DIRECTORY.tenantId, objectId: person.objectId };
})();
const names = (view: UserCatalog): string[] => view.tables.map((t) => t.name).sort();

describe('catalog view of the turn’s Genie space (real clients, real tokens)', () => {
  test('when carol switched to People (HR), then her catalog lists main.hr tables and no main.retail table; the default space still lists retail; entries are cached per space', async () => {
    const cache = new UserCatalogCache({ spaceId: stack.databricks.genieSpaceId });
    const reads: string[] = [];
    const hr = await catalogLoaderFor(cache, carol, turnClients('carol', HR_SPACE_ID, reads))();
    expect(hr.spaceId).toBe(HR_SPACE_ID);
    expect(names(hr)).toEqual(['main.hr.employees']);
    expect(hr.tables[0]?.columns.map((c) => c.name)).toEqual(['employee_id', 'name', 'department', 'title', 'hire_date']);

    const retail = await catalogLoaderFor(cache, carol, turnClients('carol', undefined, reads))();
    expect(retail.spaceId).toBe(stack.databricks.genieSpaceId);
    expect(names(retail)).toContain('main.retail.orders');
    expect(names(retail).filter((n) => n.startsWith('main.hr.'))).toEqual([]);

    expect(names(await catalogLoaderFor(cache, carol, turnClients('carol', HR_SPACE_ID, reads))())).toEqual(['main.hr.employees']);
    expect(reads).toEqual([HR_SPACE_ID, stack.databricks.genieSpaceId]);
    expect(cache.keyOf(carol, HR_SPACE_ID)).not.toBe(cache.keyOf(carol));
  });

  test("when the model router routes carol's change request in People (HR), then its prompt names main.hr.employees and no retail table", async () => {
    const model = new FakeListChatModel({ responses: ['{"intent":"question","question":"employees"}'] });
    const spy = jest.spyOn(model, 'invoke');
    const cache = new UserCatalogCache({ spaceId: stack.databricks.genieSpaceId });
    await cache.get(carol, async () => ({ spaceId: stack.databricks.genieSpaceId, tables: [{ name: 'main.retail.orders', columns: [] }] }));
    const catalog = catalogLoaderFor(cache, carol, turnClients('carol', HR_SPACE_ID, []));
    await createChatModelRouter(model, { fallback: null }).route('set the title of employee 3 to Lead', { memories: [], catalog });
    const prompt = String((spy.mock.calls[0]?.[0] as { content: unknown }[])[0]?.content);
    expect(prompt).toContain('main.hr.employees');
    expect(prompt).not.toContain('main.retail.');
  });
});
