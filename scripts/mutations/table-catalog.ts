/** Issue 16: production prompts name the user's own tables. Each row removes one protection of the catalog view. */
import type { Mutation } from './types';

const CACHE_TEST = 'tests/unit/catalog/user-catalog-cache.test.ts';
const CATALOG_INT = 'tests/integration/catalog/user-catalog.test.ts';

export const CATALOG_MUTATIONS: readonly Mutation[] = [
  {
    case: 'catalog cache per user',
    protection: 'the catalog cache key holds tenant and object id (src/catalog/catalog-cache.ts)',
    patches: [{ file: 'src/catalog/catalog-cache.ts', search: 'JSON.stringify([user.tenantId, user.objectId, spaceId])', replace: 'JSON.stringify([spaceId])' }],
    test: { file: CACHE_TEST, name: 'bob never gets alice' },
    tier: 'unit',
    quick: true,
  },
  {
    case: 'catalog cache per user (integration)',
    protection: 'the catalog cache key holds tenant and object id (src/catalog/catalog-cache.ts)',
    patches: [{ file: 'src/catalog/catalog-cache.ts', search: 'JSON.stringify([user.tenantId, user.objectId, spaceId])', replace: 'JSON.stringify([spaceId])' }],
    test: { file: CATALOG_INT, name: 'never the one cached for alice' },
    tier: 'integration',
  },
  {
    case: 'catalog view only tables the user can see',
    protection: 'a table without information_schema rows is left out (src/catalog/describe-tables.ts)',
    patches: [{
      file: 'src/catalog/describe-tables.ts',
      search: '  return names.filter((n) => columns.has(n)).map((name) => ({ name, columns: columns.get(name)! }));',
      replace: '  return names.map((name) => ({ name, columns: columns.get(name) ?? [] }));',
    }],
    test: { file: CATALOG_INT, name: 'region_targets is absent' },
    tier: 'integration',
  },
  {
    case: 'emulator information_schema per user',
    protection: 'the emulator information_schema keeps only tables the role holds a privilege on (emulators/databricks/workspace/information-schema.ts)',
    patches: [{
      file: 'emulators/databricks/workspace/information-schema.ts',
      search: "\n        AND has_table_privilege(current_user, ${lit(pgSchema)} || '.' || quote_ident(d.table_name), 'SELECT, INSERT, UPDATE, DELETE')`;",
      replace: '`;',
    }],
    test: { file: CATALOG_INT, name: 'region_targets is absent' },
    tier: 'integration',
  },
  {
    case: 'model prompt from the user catalog',
    protection: 'the chat-model prompt lists the turn catalog, not the demo (src/llm/chat-model-router.ts)',
    patches: [{ file: 'src/llm/chat-model-router.ts', search: '      const tables = view ? view.tables : fallbackTables;', replace: '      const tables = catalogOfNlSchema(DEMO_NL_SCHEMA);' }],
    test: { file: 'tests/unit/llm/catalog-prompt.test.ts', name: 'names only her tables' },
    tier: 'unit',
    quick: true,
  },
  {
    case: 'emulator serialized_space needs CAN EDIT',
    protection: 'the emulator serves serialized_space only to CAN EDIT principals (emulators/databricks/genie/space-routes.ts)',
    patches: [{ file: 'emulators/databricks/genie/space-routes.ts', search: "serialized ? 'CAN_EDIT' : 'CAN_VIEW'", replace: "'CAN_VIEW'" }],
    test: { file: 'tests/integration/catalog/space-permissions.test.ts', name: 'or a CAN RUN user' },
    tier: 'integration',
  },
  {
    case: 'catalog loader per turn',
    protection: "the supervisor hands the router the asking user's catalog (src/agents/supervisor/supervisor-node.ts)",
    patches: [{
      file: 'src/agents/supervisor/supervisor-node.ts',
      search: '    const catalog = shared.catalog ? catalogLoaderFor(shared.catalog, ctx.user, databricks) : undefined;',
      replace: '    const catalog = undefined as ReturnType<typeof catalogLoaderFor> | undefined;\n    void databricks;',
    }],
    test: { file: 'tests/integration/agents/catalog-routing.test.ts' },
    tier: 'integration',
  },
];
