/**
 * The whole agent graph over real collaborators: a private Entra + Databricks emulator pair (the
 * production Genie REST client and SQL client over HTTPS, real OBO tokens) and a private Cosmos
 * emulator (Cosmos checkpointer, store, ledger, audit, leases). `newInstance()` builds a fresh
 * service over a fresh Cosmos client on the same database, as a restarted process would.
 */
import { unusedGenieExtras } from '../../fakes/unused-genie-extras';
import type { CosmosClient } from '@azure/cosmos';
import type { RunningEmulator } from '../../../emulators/shared/types';
import type { CosmosEmulatorInfo } from '../../../emulators/cosmos/server';
import { DEMO_DIRECTORY, findUser } from '../../../emulators/shared/directory';
import { createAgentService, type AgentServiceWithGraph, type UserDatabricksFactory } from '../../../src/agents';
import { createSqlClient } from '../../../src/databricks/sql-client';
import { readSpaceTables, type UserCatalogCache } from '../../../src/catalog';
import { createDeterministicRouter, type IntentRouter } from '../../../src/llm';
import { silentLogger } from '../../../src/logging';
import { createCosmosClient } from '../../../src/persistence/cosmos-client';
import { createPersistence, type Persistence } from '../../../src/persistence/persistence';
import type { Principal } from '../../../src/persistence/ports';
import { cosmosConfigFor, startPrivateCosmos, uniqueDatabaseId } from '../../support/cosmos-emulator';
import { generousLimiter, startGenieHarness, type GenieHarness } from '../databricks/genie-harness';

export interface AgentStack {
  genie: GenieHarness;
  databricks: UserDatabricksFactory;
  /** A fresh service; `cosmosEndpoint` routes its Cosmos traffic elsewhere (e.g. a throttling proxy). */
  newInstance(options?: { fourEyesRowThreshold?: number; cosmosEndpoint?: string; router?: IntentRouter; catalog?: UserCatalogCache }): Promise<{ service: AgentServiceWithGraph; persistence: Persistence }>;
  /** The private Cosmos emulator's endpoint. */
  cosmosEndpoint: string;
  stop(): Promise<void>;
}

function shortNameOf(objectId: string): string {
  const user = findUser(DEMO_DIRECTORY, objectId);
  if (!user) throw new Error(`no demo user ${objectId}`);
  return user.shortName;
}

async function isApprover(user: Principal): Promise<boolean> {
  return findUser(DEMO_DIRECTORY, user.objectId)?.groups.includes('approvers') ?? false;
}

export async function startAgentStack(): Promise<AgentStack> {
  const [genie, cosmos] = await Promise.all([
    startGenieHarness({ latency: { submittedMs: 5, askingAiMs: 10, executingQueryMs: 5 } }),
    startPrivateCosmos(),
  ]);
  const databaseId = uniqueDatabaseId('agents');
  const limiter = generousLimiter();
  const cosmosClients: CosmosClient[] = [];
  const databricks: UserDatabricksFactory = (user) => {
    const shortName = shortNameOf(user.objectId);
    const sql = createSqlClient({
      host: genie.databricks.host, port: genie.databricks.port, httpPath: genie.databricks.httpPath,
      getToken: () => genie.tokenFor(shortName), logger: silentLogger(),
    });
    return {
      ...unusedGenieExtras(), genie: () => genie.client(shortName, limiter), sql: () => sql, ensureToken: async () => void (await genie.tokenFor(shortName)), close: () => sql.close(),
      spaceTables: () => readSpaceTables({ host: genie.baseUrl, spaceId: genie.spaceId, getToken: () => genie.tokenFor(shortName) }),
    };
  };
  return {
    genie,
    databricks,
    cosmosEndpoint: (cosmos as RunningEmulator<CosmosEmulatorInfo>).info.endpoint,
    async newInstance(options = {}) {
      const config = cosmosConfigFor((cosmos as RunningEmulator<CosmosEmulatorInfo>).info, databaseId);
      const client = createCosmosClient(options.cosmosEndpoint ? { ...config, endpoint: options.cosmosEndpoint } : config);
      cosmosClients.push(client);
      const persistence = await createPersistence(client, databaseId);
      const service = createAgentService({
        checkpointer: persistence.checkpointer,
        store: persistence.store,
        approvals: persistence.approvals,
        audit: persistence.audit,
        leases: persistence.leases,
        router: options.router ?? createDeterministicRouter(),
        ...(options.catalog ? { catalog: options.catalog } : {}),
        isApprover,
        settings: { approvals: { ttlMinutes: 60, fourEyesRowThreshold: options.fourEyesRowThreshold ?? 1000, approversGroupId: undefined }, results: { rowCap: 20 } },
      });
      return { service, persistence };
    },
    async stop() {
      for (const client of cosmosClients) client.dispose();
      await Promise.allSettled([genie.stop(), cosmos.stop()]);
    },
  };
}
