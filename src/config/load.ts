import { approversChannelProblem } from './approvers-channel';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { AppError } from '../errors';
import { LOG_LEVELS, type LogLevel } from '../logging';
import { localStackSchema, type LocalStack } from './local-stack';
import { parseSpaceIds } from './space-ids';
import { parseFallbackTables } from './catalog-tables';
import { type BotHost, type Config, type LlmConfig, BOT_HOSTS, DATABRICKS_SCOPE, GRAPH_MEMBERSHIP_SCOPE, GRAPH_MEMBERSHIP_TOKENS } from './schema';
import { AZURE_SETTINGS } from './settings';
import { EnvReader, present, type Env } from './env-reader';
import { readTelemetry } from './telemetry';


export interface LoadConfigOptions {
  env: Env;
  cwd?: string;
  /** `.env` files read under the environment (the environment wins). Missing files are skipped. */
  envFiles?: string[];
}

/** Thrown once with every problem found, so an operator fixes them all in one go. */
export class ConfigError extends AppError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super('CONFIG.INVALID', `Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}

/** Reads and validates everything once. Azure settings switch the profile; a partial set is an error. */
export function loadConfig(options: LoadConfigOptions): Readonly<Config> {
  const cwd = options.cwd ?? process.cwd();
  const env = mergeEnv(options.env, options.envFiles ?? [], cwd);
  const reader = new EnvReader(env);

  const azureKeysSet = AZURE_SETTINGS.filter((s) => present(env[s.name])).map((s) => s.name);
  const profile = azureKeysSet.length > 0 ? 'azure' : 'local';

  const port = reader.int('PORT', 1, 65535);
  const logLevel = reader.oneOf('LOG_LEVEL', LOG_LEVELS) as LogLevel;
  const host: BotHost = reader.oneOf('BOT_HOST', BOT_HOSTS);
  const common = {
    approvals: {
      ttlMinutes: reader.int('APPROVAL_TTL_MINUTES', 1, 7 * 24 * 60),
      fourEyesRowThreshold: reader.int('FOUR_EYES_ROW_THRESHOLD', 1, Number.MAX_SAFE_INTEGER),
      approversGroupId: reader.guid('APPROVERS_GROUP_ID'),
      ...approversChannel(reader),
    },
    genie: {
      pollInitialMs: reader.int('GENIE_POLL_INITIAL_MS', 1, 60_000),
      pollMaxMs: reader.int('GENIE_POLL_MAX_MS', 1, 600_000),
      timeoutMs: reader.int('GENIE_TIMEOUT_MS', 1, 3_600_000),
      postsPerMinute: reader.int('GENIE_POSTS_PER_MINUTE', 1, 10_000),
      budgetWindowMs: reader.int('GENIE_BUDGET_WINDOW_MS', 1000, 3_600_000),
      maxQueuedPerUser: reader.int('GENIE_MAX_QUEUED_PER_USER', 1, 100),
      maxQueueWaitMs: reader.int('GENIE_MAX_QUEUE_WAIT_MS', 1000, 3_600_000),
      spaceIds: parseSpaceIds('DATABRICKS_GENIE_SPACE_IDS', reader.string('DATABRICKS_GENIE_SPACE_IDS'), (p) => reader.problem(p)),
    },
    catalog: { fallbackTables: parseFallbackTables('CATALOG_FALLBACK_TABLES', reader.string('CATALOG_FALLBACK_TABLES'), (p) => reader.problem(p)) },
    results: { rowCap: reader.int('RESULT_ROW_CAP', 1, 500) },
    limits: { userMessagesPerMinute: reader.int('USER_MESSAGES_PER_MINUTE', 1, 10_000), readyzCacheMs: reader.int('READYZ_CACHE_MS', 0, 600_000) },
    llm: readLlm(reader),
    telemetry: readTelemetry(reader),
    membershipToken: reader.oneOf('APPROVERS_MEMBERSHIP_TOKEN', GRAPH_MEMBERSHIP_TOKENS),
  };
  const playgroundSso = reader.bool('LOCAL_PLAYGROUND_SSO');
  const databaseId = reader.string('COSMOS_DATABASE');

  let config: Config | undefined;
  if (profile === 'azure') {
    if (playgroundSso) reader.problem('LOCAL_PLAYGROUND_SSO: refused, because Azure settings are present (local-only shortcut)');
    if (present(env.LOCAL_TEAMS_STREAM_LIMIT_MS)) reader.problem('LOCAL_TEAMS_STREAM_LIMIT_MS: refused, because Azure settings are present (Teams sets the limit)');
    config = buildAzure(reader, { port, logLevel, host, databaseId, ...common });
  } else {
    const stackFile = resolve(cwd, reader.string('LOCAL_STACK_FILE'));
    const stack = readStack(stackFile, reader);
    const streamLimitMs = reader.int('LOCAL_TEAMS_STREAM_LIMIT_MS', 1000, 120_000);
    if (stack) config = buildLocal(stack, stackFile, { port, logLevel, host, databaseId, playgroundSso, streamLimitMs, ...common });
  }
  if (reader.problems.length > 0 || !config) throw new ConfigError(reader.problems);
  return deepFreeze(config);
}

type Common = Pick<Config, 'approvals' | 'genie' | 'catalog' | 'results' | 'limits' | 'llm' | 'telemetry'> & { port: number; logLevel: LogLevel; host: BotHost; databaseId: string; membershipToken: Config['graph']['membershipToken'] };

function buildAzure(r: EnvReader, c: Common): Config {
  const tenantId = r.required('AAD_APP_TENANT_ID');
  const authorityHost = r.url('AAD_APP_OAUTH_AUTHORITY_HOST', true);
  const allowed = r.csv('ALLOWED_TENANT_IDS');
  const botType = r.oneOf('BOT_TYPE', ['SingleTenant', 'MultiTenant', 'UserAssignedMSI'] as const);
  const domain = r.required('BOT_DOMAIN');
  const warehouseId = r.required('DATABRICKS_WAREHOUSE_ID');
  return {
    profile: 'azure',
    host: c.host,
    logLevel: c.logLevel,
    server: { port: c.port },
    bot: {
      appId: r.required('BOT_ID'),
      appPassword: r.required('BOT_PASSWORD'),
      tenantId: r.required('BOT_TENANT_ID'),
      appType: botType as Config['bot']['appType'],
      authenticateInbound: true,
    },
    identity: {
      tenantId,
      authority: `${authorityHost.replace(/\/$/, '')}/${tenantId}`,
      knownAuthorities: [],
      clientId: r.required('AAD_APP_CLIENT_ID'),
      clientSecret: r.required('AAD_APP_CLIENT_SECRET'),
      appIdUri: r.required('SSO_APP_ID_URI'),
      allowedTenantIds: allowed.length > 0 ? allowed : [tenantId],
      databricksScope: DATABRICKS_SCOPE,
      graphScope: GRAPH_MEMBERSHIP_SCOPE,
      signInLink: `https://${domain}/auth-start.html`,
    },
    databricks: {
      host: r.required('DATABRICKS_HOST').replace(/^https:\/\//, '').replace(/\/$/, ''),
      port: 443,
      httpPath: `/sql/1.0/warehouses/${warehouseId}`,
      warehouseId,
      genieSpaceId: r.required('DATABRICKS_GENIE_SPACE_ID'),
    },
    cosmos: { endpoint: r.url('COSMOS_ENDPOINT', true), key: r.required('COSMOS_KEY'), databaseId: c.databaseId, endpointDiscovery: true },
    tokenCache: { encryptionKey: r.aesKey('TOKEN_CACHE_KEY') },
    approvals: c.approvals,
    graph: { baseUrl: r.url('GRAPH_BASE_URL', true).replace(/\/+$/, ''), membershipToken: c.membershipToken },
    genie: c.genie,
    catalog: c.catalog,
    results: c.results,
    limits: c.limits,
    llm: c.llm,
    telemetry: c.telemetry,
    local: undefined,
  };
}

function buildLocal(s: LocalStack, stackFile: string, c: Common & { playgroundSso: boolean; streamLimitMs: number }): Config {
  return {
    profile: 'local',
    host: c.host,
    logLevel: c.logLevel,
    server: { port: c.port },
    bot: { appId: s.botAppId, appPassword: undefined, tenantId: s.tenantId, appType: 'SingleTenant', authenticateInbound: false },
    identity: {
      tenantId: s.tenantId,
      authority: s.authority,
      knownAuthorities: [new URL(s.authority).host],
      clientId: s.botAppId,
      clientSecret: s.clientSecret,
      appIdUri: s.appIdUri,
      allowedTenantIds: [s.tenantId],
      databricksScope: DATABRICKS_SCOPE,
      graphScope: GRAPH_MEMBERSHIP_SCOPE,
      signInLink: `http://localhost:${c.port}/auth-start.html`,
    },
    databricks: { host: s.databricks.host, port: s.databricks.port, httpPath: s.databricks.httpPath, warehouseId: s.databricks.warehouseId, genieSpaceId: s.databricks.genieSpaceId },
    cosmos: { endpoint: s.cosmos.endpoint, key: s.cosmos.key, databaseId: c.databaseId, endpointDiscovery: false },
    tokenCache: { encryptionKey: s.tokenCacheKey },
    approvals: { ...c.approvals, approversGroupId: c.approvals.approversGroupId ?? s.approversGroupId },
    graph: { baseUrl: s.graph.baseUrl.replace(/\/+$/, ''), membershipToken: c.membershipToken },
    genie: { ...c.genie, spaceIds: c.genie.spaceIds.length > 0 ? c.genie.spaceIds : (s.databricks.genieSpaceIds ?? []) },
    catalog: c.catalog,
    results: c.results,
    limits: c.limits,
    llm: c.llm,
    telemetry: c.telemetry,
    local: { stackFile, caCertPath: s.caCertPath, ssoTokenUrl: s.ssoTokenUrl, playgroundSso: c.playgroundSso, streamLimitMs: c.streamLimitMs },
  };
}

function readLlm(r: EnvReader): LlmConfig {
  const azure = ['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_DEPLOYMENT'];
  const compatible = ['OPENAI_BASE_URL', 'OPENAI_API_KEY', 'OPENAI_MODEL'];
  const azureSet = azure.filter((k) => present(r.env[k]));
  const compatibleSet = compatible.filter((k) => present(r.env[k]));
  if (azureSet.length > 0 && compatibleSet.length > 0) {
    r.problem('AZURE_OPENAI_* and OPENAI_*: configure one language model endpoint, not both');
    return { kind: 'none' };
  }
  if (azureSet.length > 0) {
    azure.forEach((k) => r.required(k));
    return {
      kind: 'azure-openai',
      endpoint: r.url('AZURE_OPENAI_ENDPOINT', true),
      apiKey: r.string('AZURE_OPENAI_API_KEY'),
      deployment: r.string('AZURE_OPENAI_DEPLOYMENT'),
      apiVersion: r.string('AZURE_OPENAI_API_VERSION'),
      timeoutMs: r.int('LLM_TIMEOUT_MS', 100, 600_000),
    };
  }
  if (compatibleSet.length > 0) {
    compatible.forEach((k) => r.required(k));
    return { kind: 'openai-compatible', baseUrl: r.url('OPENAI_BASE_URL', false), apiKey: r.string('OPENAI_API_KEY'), model: r.string('OPENAI_MODEL'), timeoutMs: r.int('LLM_TIMEOUT_MS', 100, 600_000) };
  }
  return { kind: 'none' };
}

function approversChannel(r: EnvReader): { approversChannelId?: string } {
  const value = r.optional('APPROVERS_CHANNEL_ID');
  if (value === undefined) return {};
  const problem = approversChannelProblem(value);
  if (problem) r.problem(`APPROVERS_CHANNEL_ID: ${problem}`);
  return { approversChannelId: value };
}

function readStack(path: string, r: EnvReader): LocalStack | undefined {
  if (!existsSync(path)) {
    r.problem(`LOCAL_STACK_FILE: ${path} does not exist; start the emulators first (npm run emulators, or npm start)`);
    return undefined;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    r.problem(`LOCAL_STACK_FILE: ${path} is not valid JSON (${(error as Error).message})`);
    return undefined;
  }
  const parsed = localStackSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) r.problem(`LOCAL_STACK_FILE: ${issue.path.join('.') || '(root)'} ${issue.message}`);
    return undefined;
  }
  return parsed.data;
}

function mergeEnv(env: Env, files: string[], cwd: string): Env {
  const fromFiles: Env = {};
  for (const file of files) {
    const path = resolve(cwd, file);
    if (existsSync(path)) Object.assign(fromFiles, parseDotenv(readFileSync(path)));
  }
  return { ...fromFiles, ...env };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
