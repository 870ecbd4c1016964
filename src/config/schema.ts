import type { LogLevel } from '../logging';

export type Profile = 'local' | 'azure';

/** The SDK that hosts the bot (`BOT_HOST`): the same handlers run on either. */
export const BOT_HOSTS = ['teams-ai', 'agents'] as const;
export type BotHost = (typeof BOT_HOSTS)[number];

export const GRAPH_MEMBERSHIP_TOKENS = ['delegated', 'application'] as const;
export type GraphMembershipToken = (typeof GRAPH_MEMBERSHIP_TOKENS)[number];

export type LlmConfig =
  | { kind: 'none' }
  | { kind: 'azure-openai'; endpoint: string; apiKey: string; deployment: string; apiVersion: string; timeoutMs: number }
  | { kind: 'openai-compatible'; baseUrl: string; apiKey: string; model: string; timeoutMs: number };

/** The validated, frozen configuration. Built once by `loadConfig`; log it only via `redactConfig`. */
export interface Config {
  profile: Profile;
  /** `BOT_HOST`: botbuilder + teams-ai (default) or the Microsoft 365 Agents SDK; the composition root picks the host. */
  host: BotHost;
  logLevel: LogLevel;
  server: { port: number };
  bot: {
    appId: string;
    appPassword: string | undefined;
    tenantId: string;
    appType: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
    /** False only in local mode: activities are accepted without Bot Framework credentials. */
    authenticateInbound: boolean;
  };
  identity: {
    tenantId: string;
    /** e.g. https://login.microsoftonline.com/<tenant> */
    authority: string;
    /** Hosts MSAL may trust without instance discovery (the emulator's host:port locally). */
    knownAuthorities: string[];
    clientId: string;
    clientSecret: string;
    appIdUri: string;
    allowedTenantIds: string[];
    /** Delegated scope for Azure Databricks. */
    databricksScope: string;
    /** Delegated Microsoft Graph scope for the approver's membership check (`GroupMember.Read.All`). */
    graphScope: string;
    /** Page Teams opens for consent when SSO fails (412). */
    signInLink: string;
  };
  databricks: { host: string; port: number; httpPath: string; warehouseId: string; genieSpaceId: string };
  cosmos: { endpoint: string; key: string; databaseId: string; endpointDiscovery: boolean };
  tokenCache: { encryptionKey: string };
  approvals: {
    ttlMinutes: number;
    fourEyesRowThreshold: number;
    approversGroupId: string | undefined;
    /** Teams channel the four-eyes requests are posted to (`approvers-channel.ts`), besides each approver's 1:1 chat. */
    approversChannelId?: string;
  };
  /** Microsoft Graph, asked at each four-eyes decision whether the approver is in the approvers group. */
  graph: {
    /** `https://graph.microsoft.com` in Azure (sovereign clouds differ); the local Graph emulator in local mode. */
    baseUrl: string;
    /** `delegated`: the approver's own token (`/me/checkMemberGroups`); `application`: the bot app's token (`/users/{id}/checkMemberGroups`). */
    membershipToken: GraphMembershipToken;
  };
  genie: {
    pollInitialMs: number;
    pollMaxMs: number;
    timeoutMs: number;
    postsPerMinute: number;
    /** The shared budget (`genie-budget.ts`): `postsPerMinute` POSTs per `budgetWindowMs`, across instances. */
    budgetWindowMs: number;
    maxQueuedPerUser: number;
    maxQueueWaitMs: number;
    /** Allow-list of spaces users may pick besides `databricks.genieSpaceId` (validated; no duplicates). */
    spaceIds: string[];
  };
  /** Three-part table names (validated, lower case) described as the user when they cannot read the space's definition (CAN RUN). */
  catalog: { fallbackTables: string[] };
  results: { rowCap: number };
  /** Per-user message rate (per instance) and the `/readyz` check cache. */
  limits: { userMessagesPerMinute: number; readyzCacheMs: number };
  llm: LlmConfig;
  /** OpenTelemetry export to Application Insights (`src/telemetry`); none when the connection string is unset. */
  telemetry: { connectionString: string | undefined };
  local: { stackFile: string; caCertPath: string; ssoTokenUrl: string; playgroundSso: boolean; streamLimitMs?: number } | undefined;
}

/** Azure Databricks' well-known application id; the OBO scope is `<id>/user_impersonation`. */
export const AZURE_DATABRICKS_RESOURCE_ID = '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d';
export const DATABRICKS_SCOPE = `${AZURE_DATABRICKS_RESOURCE_ID}/user_impersonation`;

/**
 * Microsoft Graph's resource identifier (its app id is 00000003-0000-0000-c000-000000000000). Token
 * scopes name this identifier whatever the API host is, so the local emulator gets the same scopes.
 */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_MEMBERSHIP_SCOPE = `${GRAPH_RESOURCE}/GroupMember.Read.All`;
export const GRAPH_APP_SCOPE = `${GRAPH_RESOURCE}/.default`;
