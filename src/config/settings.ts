/**
 * Every environment setting the bot reads, in one table: the loader, the redactor, the README table
 * and the deployment cross-check all come from here.
 */
export type SettingGroup = 'common' | 'azure' | 'llm' | 'local';

export interface SettingSpec {
  name: string;
  group: SettingGroup;
  secret?: boolean;
  /** Default when unset; `undefined` means required in its group (optional for `common`/`llm`). */
  default?: string;
  description: string;
}

export const SETTINGS: readonly SettingSpec[] = [
  { name: 'PORT', group: 'common', default: '3978', description: 'HTTP port of the bot (`/api/messages`, `/healthz`, `/readyz`).' },
  { name: 'BOT_HOST', group: 'common', default: 'teams-ai', description: 'Which SDK hosts the bot: `teams-ai` (botbuilder + Teams AI library v1, the default) or `agents` (Microsoft 365 Agents SDK); the handlers, cards and sign-in are the same (docs/deploy.md).' },
  { name: 'LOG_LEVEL', group: 'common', default: 'info', description: 'fatal, error, warn, info, debug, trace or silent.' },
  { name: 'APPROVAL_TTL_MINUTES', group: 'common', default: '60', description: 'How long an approval card stays valid.' },
  { name: 'FOUR_EYES_ROW_THRESHOLD', group: 'common', default: '1000', description: 'Changes touching more rows need an approver other than the requester.' },
  { name: 'APPROVERS_GROUP_ID', group: 'common', description: 'Entra group whose members may approve large changes (local: the demo `approvers` group).' },
  { name: 'APPROVERS_MEMBERSHIP_TOKEN', group: 'common', default: 'delegated', description: 'Whose Microsoft Graph token checks approvers-group membership at each four-eyes decision: `delegated` (the approver\'s own, GroupMember.Read.All) or `application` (the bot app\'s, needs application permissions).' },
  { name: 'APPROVERS_CHANNEL_ID', group: 'common', description: 'Optional Teams channel (`19:…@thread.tacv2`) where four-eyes requests are posted for the approvers; they also go to each approver\'s 1:1 chat with the bot.' },
  { name: 'GENIE_POLL_INITIAL_MS', group: 'common', default: '100', description: 'Shortest Genie poll delay; each later delay is a tenth of the time waited so far, up to the cap, so a finished answer is seen within max(this, 10 % of its time).' },
  { name: 'GENIE_POLL_MAX_MS', group: 'common', default: '2000', description: 'Longest Genie poll delay (Databricks asks for polls every 1–5 s; polls are GETs, which the workspace limit does not count).' },
  { name: 'GENIE_POSTS_PER_MINUTE', group: 'common', default: '5', description: 'Workspace-wide budget of Genie questions (POSTs) per minute; the bot queues beyond it (Databricks documents 5).' },
  { name: 'GENIE_BUDGET_WINDOW_MS', group: 'common', default: '60000', description: 'Window of the Genie budget (`GENIE_POSTS_PER_MINUTE` POSTs per window, shared by every instance through Cosmos); one minute, shorter only in tests.' },
  { name: 'GENIE_MAX_QUEUED_PER_USER', group: 'common', default: '3', description: 'Questions one person may have waiting for the Genie budget; one more is refused with "you have N questions waiting".' },
  { name: 'GENIE_MAX_QUEUE_WAIT_MS', group: 'common', default: '120000', description: 'Longest wait for the Genie budget; a question predicted to wait longer is refused with "Databricks is busy".' },
  { name: 'USER_MESSAGES_PER_MINUTE', group: 'common', default: '20', description: 'Messages one person may send per minute (per bot instance); more are refused with the seconds to wait, and nothing of theirs changes.' },
  { name: 'READYZ_CACHE_MS', group: 'common', default: '5000', description: '`/readyz` reuses one dependency check for this long (concurrent requests share it); 0 checks on every request.' },
  { name: 'GENIE_TIMEOUT_MS', group: 'common', default: '600000', description: 'Give up on a Genie message after this long.' },
  { name: 'DATABRICKS_GENIE_SPACE_IDS', group: 'common', default: '', description: 'Comma-separated Genie space ids (32 hex characters each) users may pick with `space`, besides the default space; empty: the default space only. Local mode: the demo stack\'s spaces.' },
  { name: 'CATALOG_FALLBACK_TABLES', group: 'common', default: '', description: 'Comma-separated three-part table names (at most 30) that changes in words may use for people who can run a Genie space but not read its definition (CAN RUN, the usual level; reading it needs CAN EDIT). Each is described as the person asking, so tables they have no grant on are left out. Empty: such people are asked for exact SQL (`run:`).' },
  { name: 'RESULT_ROW_CAP', group: 'common', default: '20', description: 'Rows shown in a result card (the CSV export has all).' },
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', group: 'common', description: 'Application Insights connection string; when set, spans and metrics of every turn are exported there (OpenTelemetry, `src/telemetry`). Unset: no exporter. Redacted in logs.' },
  { name: 'COSMOS_DATABASE', group: 'common', default: 'teams-data-agent', description: 'Cosmos DB database name.' },
  { name: 'BOT_ID', group: 'azure', description: 'Azure Bot (Entra app) client id.' },
  { name: 'BOT_PASSWORD', group: 'azure', secret: true, description: 'Client secret of the bot app (prefer a Key Vault reference).' },
  { name: 'BOT_TENANT_ID', group: 'azure', description: 'Tenant of the bot app.' },
  { name: 'BOT_TYPE', group: 'azure', default: 'SingleTenant', description: 'SingleTenant, MultiTenant or UserAssignedMSI.' },
  { name: 'AAD_APP_CLIENT_ID', group: 'azure', description: 'Client id of the SSO app (usually the same as BOT_ID).' },
  { name: 'AAD_APP_CLIENT_SECRET', group: 'azure', secret: true, description: 'Client secret used for the on-behalf-of exchange.' },
  { name: 'AAD_APP_TENANT_ID', group: 'azure', description: 'Home tenant of the SSO app.' },
  { name: 'AAD_APP_OAUTH_AUTHORITY_HOST', group: 'azure', default: 'https://login.microsoftonline.com', description: 'Entra ID authority host.' },
  { name: 'SSO_APP_ID_URI', group: 'azure', description: 'Application ID URI Teams requests SSO tokens for (`api://<domain>/botid-<client id>`).' },
  { name: 'ALLOWED_TENANT_IDS', group: 'azure', default: '', description: 'Comma-separated tenants whose users may sign in (default: the app tenant only).' },
  { name: 'GRAPH_BASE_URL', group: 'azure', default: 'https://graph.microsoft.com', description: 'Microsoft Graph endpoint for the approvers-group check (national clouds differ).' },
  { name: 'BOT_DOMAIN', group: 'azure', description: 'Public host name of the bot (sign-in pages).' },
  { name: 'DATABRICKS_HOST', group: 'azure', description: 'Workspace host, e.g. adb-123.4.azuredatabricks.net.' },
  { name: 'DATABRICKS_WAREHOUSE_ID', group: 'azure', description: 'SQL warehouse id used for changes and dry runs.' },
  { name: 'DATABRICKS_GENIE_SPACE_ID', group: 'azure', description: 'Genie space answering questions.' },
  { name: 'COSMOS_ENDPOINT', group: 'azure', description: 'Cosmos DB account endpoint.' },
  { name: 'COSMOS_KEY', group: 'azure', secret: true, description: 'Cosmos DB account key (Key Vault reference).' },
  { name: 'TOKEN_CACHE_KEY', group: 'azure', secret: true, description: 'Base64 of 32 random bytes: AES-256-GCM key of the token cache.' },
  { name: 'AZURE_OPENAI_ENDPOINT', group: 'llm', description: 'Azure OpenAI endpoint (optional; with none a deterministic router is used).' },
  { name: 'AZURE_OPENAI_API_KEY', group: 'llm', secret: true, description: 'Azure OpenAI key.' },
  { name: 'AZURE_OPENAI_DEPLOYMENT', group: 'llm', description: 'Azure OpenAI chat deployment.' },
  { name: 'AZURE_OPENAI_API_VERSION', group: 'llm', default: '2024-10-21', description: 'Azure OpenAI API version.' },
  { name: 'OPENAI_BASE_URL', group: 'llm', description: 'Any OpenAI-compatible endpoint, instead of Azure OpenAI.' },
  { name: 'OPENAI_API_KEY', group: 'llm', secret: true, description: 'Key of the OpenAI-compatible endpoint.' },
  { name: 'OPENAI_MODEL', group: 'llm', description: 'Model of the OpenAI-compatible endpoint.' },
  { name: 'LLM_TIMEOUT_MS', group: 'llm', default: '15000', description: 'Longest wait for one language-model request; the client retries twice (honouring `retry-after`), then the deterministic router answers.' },
  { name: 'LOCAL_STACK_FILE', group: 'local', default: '.local/stack.json', description: 'Local mode: the emulator stack file.' },
  { name: 'LOCAL_TEAMS_STREAM_LIMIT_MS', group: 'local', default: '120000', description: 'Local mode only: Teams\' 2-minute limit on a streamed 1:1 answer, which tests shorten together with the connector emulator\'s.' },
  { name: 'LOCAL_PLAYGROUND_SSO', group: 'local', default: 'false', description: 'Local mode only: sign Playground users in through the Entra emulator (no SSO in the Playground).' },
];

export const SECRET_SETTINGS = new Set(SETTINGS.filter((s) => s.secret).map((s) => s.name));
export const AZURE_SETTINGS = SETTINGS.filter((s) => s.group === 'azure');
