import type { BaseStore } from '@langchain/langgraph-checkpoint';
import type { AgentService } from '../src/agents/ports';
import { createGenieConversationsClient } from '../src/databricks/genie-conversations';
import { createGenieSpacesClient } from '../src/databricks/genie-spaces';
import { createSpaceChoiceStore } from '../src/spaces/space-choice-store';
import { createSpaceService, type SpaceService } from '../src/spaces/space-service';
import type { Container, CosmosClient } from '@azure/cosmos';
import { createAgentService, createApproverCheck, type IsApprover } from '../src/agents';
import { UserCatalogCache, readSpaceTables } from '../src/catalog';
import { type Config, ConfigError, loadConfig, redactConfig } from '../src/config';
import { createGenieClient } from '../src/databricks/genie-client';
import { createGenieFeedback } from '../src/databricks/genie-feedback';
import { createGenieResults } from '../src/databricks/genie-results';
import { type SharedGenieBudget, budgetUserKey, createSharedGenieBudget } from '../src/databricks/genie-budget';
import { createCosmosBudgetStore } from '../src/persistence/genie-budget-store';
import { createUserMessageRate } from '../src/limits/user-message-rate';
import { cachedProbes } from './http/cached-probes';
import { createSqlClient } from '../src/databricks/sql-client';
import type { GenieClient, SqlClient } from '../src/databricks/types';
import { createGraphClient, createGraphMembershipCheck } from '../src/directory';
import { createIdentityService } from '../src/identity';
import type { IdentityService } from '../src/identity/ports';
import { createIntentRouter } from '../src/llm';
import { type Logger, createLogger } from '../src/logging';
import { createCosmosClient, createPersistence } from '../src/persistence';
import { createAgentsHost } from './adapters/agents/agents-host';
import { createTeamsAiHost } from './adapters/teams-ai/teams-ai-host';
import { withPlaygroundSignIn } from './sign-in/local-sign-in';
import { createReferenceCapture } from './delivery/capture-references';
import { BackgroundTurns } from './turns/background';
import type { BotDeps } from './turns/deps';
import { ResultCache } from './turns/result-cache';
import { createServer, type ReadinessProbe } from './http/server';
import { localMetricsRoutes } from './http/local-metrics';
import { boundaryRefusal } from './turns/trust-boundary';
import { handleSignals, type Stoppable } from './http/shutdown';
import type { DestinationStream } from 'pino';
import { traceAgentService } from '../src/telemetry/approvals';
import { traceGenieClient, traceLimiter } from '../src/telemetry/genie';
import { traceIdentity } from '../src/telemetry/identity';
import { traceSqlClient } from '../src/telemetry/sql';
import { type Telemetry, startTelemetry } from '../src/telemetry/start';
import { reuseTokenWithinTurn } from './turns/turn-token';
import { ChatStreams } from './turns/chat-streams';
import type { UserDatabricksBuilder } from './turns/turn-context';
import { prepareCardTemplates } from './present/templates';

const SHUTDOWN_GRACE_MS = 25_000;

export type RunningBot = Stoppable & { port: number; telemetry: Telemetry };
/** How long one turn reuses the Databricks token it fetched (MSAL only hands out tokens with > 5 min left). */
const TOKEN_REUSE_MS = 60_000;

/**
 * The composition root: reads the config once, builds the shared singletons in dependency order
 * (logger, Cosmos, identity, Databricks factories, agents, adapter, app, server) and owns the
 * process lifecycle. Nothing built here carries a user's identity.
 */
export async function main(): Promise<void> {
  const running = await startBot(readConfigOrExit());
  handleSignals(running, { graceMs: SHUTDOWN_GRACE_MS });
}

/** Builds the singletons and starts serving; in-process tests call it with their own config and log stream. */
export async function startBot(config: Readonly<Config>, options: { logDestination?: DestinationStream } = {}): Promise<RunningBot> {
  const logger = createLogger({ level: config.logLevel, destination: options.logDestination });
  logger.info({ config: redactConfig(config) }, 'starting');
  const telemetry = await startTelemetry(config.telemetry, logger);
  const cosmos = createCosmosClient(config.cosmos);
  const persistence = await createPersistence(cosmos, config.cosmos.databaseId);
  const identity = traceIdentity(withPlaygroundSignIn(
    createIdentityService({ config: config.identity, cacheStore: persistence.tokenCache, encryptionKey: config.tokenCache.encryptionKey, logger }),
    config,
    logger,
  ));
  const isApprover = approversFromGraph(config, identity);
  const agents = traceAgentService(createAgentService({
    checkpointer: persistence.checkpointer,
    store: persistence.store,
    approvals: persistence.approvals,
    audit: persistence.audit,
    leases: persistence.leases,
    router: createIntentRouter(config.llm, config.profile),
    catalog: new UserCatalogCache({ spaceId: config.databricks.genieSpaceId, fallbackTables: config.catalog.fallbackTables }),
    isApprover,
    settings: { approvals: config.approvals, results: config.results },
  }));
  const host = config.host === 'agents' ? createAgentsHost(config.bot, logger) : createTeamsAiHost(config.bot, logger);
  const background = new BackgroundTurns(logger);
  const deps: BotDeps = {
    config,
    logger,
    agents,
    identity,
    dedupe: persistence.dedupe,
    buildDatabricks: databricksBuilder(config, genieBudget(config, persistence.containers.leases), logger),
    messageRate: createUserMessageRate({ perWindow: config.limits.userMessagesPerMinute }),
    background,
    chatStreams: new ChatStreams(),
    results: new ResultCache(),
    approvalReach: {
      approvals: persistence.approvals,
      index: persistence.approvalIndex,
      references: persistence.references,
      isApprover,
      audit: persistence.audit,
      approversChannelId: config.approvals.approversChannelId,
      botId: `28:${config.bot.appId}`,
      now: () => new Date(),
    },
    captureReference: createReferenceCapture(persistence.references, logger),
    spaces: spaceServiceOf(config, identity, persistence.store, agents),
    continueConversation: host.continueConversation,
    continuePersonalChat: host.continuePersonalChat,
  };
  const server = createServer({
    logger,
    authority: config.identity.authority,
    probes: cachedProbes(readinessProbes(config, cosmos), config.limits.readyzCacheMs),
    admit: (activity) => boundaryRefusal(activity, config.identity.allowedTenantIds)?.detail,
    processActivity: host.serve(deps),
    getRoutes: localMetricsRoutes(config.profile),
  });
  prepareCardTemplates(); // before the first activity: no one waits for a template's first parse
  const port = await server.listen(config.server.port);
  logger.info({ port, profile: config.profile, host: config.host }, 'listening on /api/messages');
  return { server, background, cosmos, logger, telemetry, port };
}

/** Four-eyes membership: a fresh Microsoft Graph `checkMemberGroups` at every decision, failing closed. */
function approversFromGraph(config: Readonly<Config>, identity: IdentityService): IsApprover {
  const membership = createGraphMembershipCheck(
    createGraphClient({ baseUrl: config.graph.baseUrl }),
    { userToken: (user) => identity.tokenProviderFor(user).getGraphToken(), appToken: () => identity.getAppGraphToken() },
    config.graph.membershipToken,
  );
  return createApproverCheck(config.approvals.approversGroupId, membership);
}

/** The space choice and history use cases; REST clients are built per call over that user's token provider. */
function spaceServiceOf(config: Readonly<Config>, identity: IdentityService, store: BaseStore, agents: AgentService): SpaceService {
  const host = `https://${config.databricks.host}:${config.databricks.port}`;
  return createSpaceService({
    settings: { defaultSpaceId: config.databricks.genieSpaceId, allowList: config.genie.spaceIds },
    choices: createSpaceChoiceStore(store),
    rest: (user) => {
      const tokens = identity.tokenProviderFor(user);
      const options = { host, getToken: () => tokens.getDatabricksToken() };
      return { spaces: createGenieSpacesClient(options), conversations: createGenieConversationsClient(options) };
    },
    continueConversation: (ctx, spaceId, conversationId) => agents.continueGenieConversation(ctx, spaceId, conversationId),
  });
}

function readConfigOrExit(): Readonly<Config> {
  try {
    return loadConfig({ env: process.env, envFiles: ['.env'] });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/** Per-user Databricks clients: one Genie client and at most one SQL session per turn, closed at its end. */
function databricksBuilder(config: Readonly<Config>, budget: SharedGenieBudget, logger: Logger): UserDatabricksBuilder {
  const { databricks } = config;
  return (tokens) => {
    const limiter = traceLimiter(budget.forUser(budgetUserKey(tokens.user)));
    const getToken = reuseTokenWithinTurn(() => tokens.getDatabricksToken(), TOKEN_REUSE_MS);
    let sql: SqlClient | undefined;
    const genies = new Map<string, GenieClient>();
    const genieFor = (spaceId: string): GenieClient => {
      const existing = genies.get(spaceId);
      if (existing) return existing;
      const created = traceGenieClient(createGenieClient({
        host: `https://${databricks.host}:${databricks.port}`,
        spaceId,
        getToken,
        limiter,
        poll: { initialMs: config.genie.pollInitialMs, maxMs: config.genie.pollMaxMs, timeoutMs: config.genie.timeoutMs },
        logger,
      }));
      genies.set(spaceId, created);
      return created;
    };
    const calls = { host: `https://${databricks.host}:${databricks.port}`, spaceId: databricks.genieSpaceId, getToken, limiter, logger };
    const poll = { initialMs: config.genie.pollInitialMs, maxMs: config.genie.pollMaxMs, timeoutMs: config.genie.timeoutMs };
    return {
      genie: (spaceId = databricks.genieSpaceId) => genieFor(spaceId),
      genieResults: (spaceId = databricks.genieSpaceId) => createGenieResults({ ...calls, spaceId, poll }),
      genieFeedback: (spaceId = databricks.genieSpaceId) => createGenieFeedback({ ...calls, spaceId }),
      ensureToken: async () => void (await getToken()),
      sql: () => (sql ??= traceSqlClient(createSqlClient({ host: databricks.host, port: databricks.port, httpPath: databricks.httpPath, getToken, logger }))),
      spaceTables: (spaceId = databricks.genieSpaceId) => readSpaceTables({ host: `https://${databricks.host}:${databricks.port}`, spaceId, getToken }),
      close: async () => {
        await sql?.close();
      },
    };
  };
}

/** One Genie budget per workspace for every instance, kept in the `leases` container (`genie-budget.ts`). */
function genieBudget(config: Readonly<Config>, leases: Container): SharedGenieBudget {
  const { genie, databricks } = config;
  return createSharedGenieBudget({
    store: createCosmosBudgetStore(leases, `${databricks.host}:${databricks.port}`),
    postsPerWindow: genie.postsPerMinute,
    windowMs: genie.budgetWindowMs,
    maxQueuedPerUser: genie.maxQueuedPerUser,
    maxQueueWaitMs: genie.maxQueueWaitMs,
  });
}

function readinessProbes(config: Readonly<Config>, cosmos: CosmosClient): ReadinessProbe[] {
  return [
    { name: 'cosmos', check: async () => void (await cosmos.database(config.cosmos.databaseId).read()) },
    {
      name: 'identity-provider',
      check: async () => {
        const res = await fetch(`${config.identity.authority.replace(/\/$/, '')}/v2.0/.well-known/openid-configuration`, { signal: AbortSignal.timeout(2500) });
        if (!res.ok) throw new Error(`OpenID configuration answered ${res.status}`);
      },
    },
  ];
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`The bot could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
