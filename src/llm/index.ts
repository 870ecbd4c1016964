export type { Intent, IntentRouter, RouteContext } from './types';
export { createDeterministicRouter, explicitIntent, isChangeRequest } from './deterministic-router';
export { createChatModelRouter } from './chat-model-router';
export { createChatModel, createIntentRouter } from './create-chat-model';
export { nlToDml, DEMO_NL_SCHEMA, SQL_HINT, type NlTable } from './nl-to-dml';
export { applyMemories, factsFrom } from './memory-context';
