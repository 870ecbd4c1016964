// The Web App's complete app settings: every setting in src/config/settings.ts the bot reads in
// Azure (PORT is set by App Service itself). Secrets are Key Vault references only.
// tests/unit/deploy/bicep-app-settings.test.ts checks this list against the settings table.

param webAppName string
param botDomain string
param appInsightsConnectionString string

param aadAppClientId string
param aadAppTenantId string
param aadAppOauthAuthorityHost string
param allowedTenantIds string

param databricksHost string
param databricksWarehouseId string
param databricksGenieSpaceId string
param databricksGenieSpaceIds string
param catalogFallbackTables string

param cosmosEndpoint string
param cosmosDatabaseName string

param approversGroupId string
param approversChannelId string
param logLevel string
@description('BOT_HOST: teams-ai (botbuilder + Teams AI v1, default) or agents (Microsoft 365 Agents SDK); docs/deploy.md says which to choose.')
param botHost string
param approvalTtlMinutes string
param fourEyesRowThreshold string
param approversMembershipToken string
param geniePollInitialMs string
param geniePollMaxMs string
param genieTimeoutMs string
param geniePostsPerMinute string
param genieBudgetWindowMs string
param genieMaxQueuedPerUser string
param genieMaxQueueWaitMs string
param userMessagesPerMinute string
param readyzCacheMs string
param resultRowCap string

param azureOpenAiEndpoint string
param azureOpenAiDeployment string
param azureOpenAiApiVersion string

param botClientSecretUri string
param tokenCacheKeyUri string
param cosmosKeyUri string
param azureOpenAiApiKeyUri string

resource site 'Microsoft.Web/sites@2022-09-01' existing = {
  name: webAppName
}

var platformSettings = {
  NODE_ENV: 'production'
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
  WEBSITE_RUN_FROM_PACKAGE: '1'
  // The bot exports its own OpenTelemetry (src/telemetry, filtered before export); App Service's
  // codeless agent would attach a second, unfiltered one (the distro asks for 'disabled').
  ApplicationInsightsAgent_EXTENSION_VERSION: 'disabled'
}

var botSettings = {
  LOG_LEVEL: logLevel
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  BOT_HOST: botHost
  APPROVAL_TTL_MINUTES: approvalTtlMinutes
  FOUR_EYES_ROW_THRESHOLD: fourEyesRowThreshold
  APPROVERS_GROUP_ID: approversGroupId
  APPROVERS_CHANNEL_ID: approversChannelId
  APPROVERS_MEMBERSHIP_TOKEN: approversMembershipToken
  GENIE_POLL_INITIAL_MS: geniePollInitialMs
  GENIE_POLL_MAX_MS: geniePollMaxMs
  GENIE_TIMEOUT_MS: genieTimeoutMs
  GENIE_POSTS_PER_MINUTE: geniePostsPerMinute
  GENIE_BUDGET_WINDOW_MS: genieBudgetWindowMs
  GENIE_MAX_QUEUED_PER_USER: genieMaxQueuedPerUser
  GENIE_MAX_QUEUE_WAIT_MS: genieMaxQueueWaitMs
  USER_MESSAGES_PER_MINUTE: userMessagesPerMinute
  READYZ_CACHE_MS: readyzCacheMs
  RESULT_ROW_CAP: resultRowCap
  COSMOS_DATABASE: cosmosDatabaseName
  BOT_ID: aadAppClientId
  BOT_PASSWORD: '@Microsoft.KeyVault(SecretUri=${botClientSecretUri})'
  BOT_TENANT_ID: aadAppTenantId
  BOT_TYPE: 'SingleTenant'
  AAD_APP_CLIENT_ID: aadAppClientId
  AAD_APP_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${botClientSecretUri})'
  AAD_APP_TENANT_ID: aadAppTenantId
  AAD_APP_OAUTH_AUTHORITY_HOST: aadAppOauthAuthorityHost
  SSO_APP_ID_URI: 'api://${botDomain}/botid-${aadAppClientId}'
  ALLOWED_TENANT_IDS: allowedTenantIds
  BOT_DOMAIN: botDomain
  GRAPH_BASE_URL: environment().graph
  DATABRICKS_HOST: databricksHost
  DATABRICKS_WAREHOUSE_ID: databricksWarehouseId
  DATABRICKS_GENIE_SPACE_ID: databricksGenieSpaceId
  DATABRICKS_GENIE_SPACE_IDS: databricksGenieSpaceIds
  CATALOG_FALLBACK_TABLES: catalogFallbackTables
  COSMOS_ENDPOINT: cosmosEndpoint
  COSMOS_KEY: '@Microsoft.KeyVault(SecretUri=${cosmosKeyUri})'
  TOKEN_CACHE_KEY: '@Microsoft.KeyVault(SecretUri=${tokenCacheKeyUri})'
  AZURE_OPENAI_ENDPOINT: azureOpenAiEndpoint
  AZURE_OPENAI_DEPLOYMENT: azureOpenAiDeployment
  AZURE_OPENAI_API_VERSION: azureOpenAiApiVersion
}

var llmKeySetting = empty(azureOpenAiApiKeyUri) ? {} : {
  AZURE_OPENAI_API_KEY: '@Microsoft.KeyVault(SecretUri=${azureOpenAiApiKeyUri})'
}

resource appSettings 'Microsoft.Web/sites/config@2022-09-01' = {
  parent: site
  name: 'appsettings'
  properties: union(platformSettings, botSettings, llmKeySetting)
}
