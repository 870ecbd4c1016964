export type { Intent, IntentRouter, RouteContext } from './types';
export { createDeterministicRouter, explicitIntent, isChangeRequest } from './deterministic-router';
export { createChatModelRouter, type ChatModelRouterOptions } from './chat-model-router';
export { buildRoutingSystemPrompt } from './routing-prompt';
export { NO_TABLES_HINT, catalogOfNlSchema, nlTablesOfCatalog } from './catalog-schema';
export { createChatModel, createIntentRouter } from './create-chat-model';
export { nlToDml, DEMO_NL_SCHEMA, SQL_HINT, type NlTable } from './nl-to-dml';
export { applyMemories, factsFrom } from './memory-context';
