import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AzureChatOpenAI, ChatOpenAI } from '@langchain/openai';
import type { LlmConfig, Profile } from '../config';
import { createChatModelRouter } from './chat-model-router';
import { createDeterministicRouter } from './deterministic-router';
import { DEMO_NL_SCHEMA } from './nl-to-dml';
import type { IntentRouter } from './types';

/**
 * The shared chat model for the configured endpoint; undefined when none is configured. Each request
 * is bounded by `timeoutMs`; LangChain's caller retries a failed one twice (5xx, timeouts, and 429s
 * whose `retry-after` it waits out, up to 60 s), so a model call ends within 3 × timeoutMs plus
 * backoff, after which the router answers deterministically.
 */
export function createChatModel(config: LlmConfig): BaseChatModel | undefined {
  switch (config.kind) {
    case 'none':
      return undefined;
    case 'azure-openai':
      return new AzureChatOpenAI({
        azureOpenAIEndpoint: config.endpoint,
        azureOpenAIApiKey: config.apiKey,
        azureOpenAIApiDeploymentName: config.deployment,
        azureOpenAIApiVersion: config.apiVersion,
        temperature: 0,
        maxRetries: 2,
        timeout: config.timeoutMs,
      });
    case 'openai-compatible':
      return new ChatOpenAI({ model: config.model, apiKey: config.apiKey, configuration: { baseURL: config.baseUrl }, temperature: 0, maxRetries: 2, timeout: config.timeoutMs });
  }
}

/**
 * The intent router for the configuration: a chat model when configured, else the deterministic one.
 * Both use each turn's catalog view of the user; the demo schema is only the local profile's fallback
 * (turns without a catalog loader) and vocabulary. In the Azure profile there is no demo at all.
 */
export function createIntentRouter(config: LlmConfig, profile: Profile = 'local'): IntentRouter {
  const model = createChatModel(config);
  const fallback = profile === 'local' ? DEMO_NL_SCHEMA : null;
  const hints = profile === 'local' ? DEMO_NL_SCHEMA : [];
  return model ? createChatModelRouter(model, { fallback, hints }) : createDeterministicRouter(fallback, { hints });
}
