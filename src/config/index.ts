export { loadConfig, ConfigError, type LoadConfigOptions } from './load';
export { redactConfig } from './redact';
export { type Config, type LlmConfig, type Profile, type BotHost, BOT_HOSTS, type GraphMembershipToken, AZURE_DATABRICKS_RESOURCE_ID, DATABRICKS_SCOPE, GRAPH_MEMBERSHIP_SCOPE } from './schema';
export { SETTINGS, SECRET_SETTINGS, type SettingSpec } from './settings';
export { localStackSchema, type LocalStack, DEFAULT_STACK_FILE } from './local-stack';
