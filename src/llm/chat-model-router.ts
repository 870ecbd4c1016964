/**
 * Routing and SQL drafting with a chat model (Azure OpenAI or any OpenAI-compatible endpoint).
 * Explicit commands are handled without the model, a request that reads as a change is never sent
 * to Genie whatever the model says (nor a question the model rewrote into one), and any model
 * failure falls back to the deterministic router. The model sees the user's message, the user's
 * memories and the tables of the user's own catalog view (`routing-prompt.ts`), nothing else.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { createDeterministicRouter, explicitIntent, isChangeRequest } from './deterministic-router';
import { applyMemories } from './memory-context';
import type { UserCatalog } from '../catalog';
import { NO_TABLES_HINT, catalogOfNlSchema, isAuthError } from './catalog-schema';
import { SQL_HINT, DEMO_NL_SCHEMA, type NlTable } from './nl-to-dml';
import { buildRoutingSystemPrompt } from './routing-prompt';
import type { Intent, IntentRouter, RouteContext } from './types';

const replySchema = z.object({
  intent: z.enum(['question', 'change', 'help', 'remember', 'recall', 'forget']),
  question: z.string().optional(),
  sql: z.string().optional(),
  text: z.string().optional(),
});

/** A question the model wrote that holds a change in any of its clauses ("…; DROP TABLE x"). */
function readsAsChange(question: string): boolean {
  return question.split(/[;\n\r]+/).some((clause) => isChangeRequest(clause));
}

function parseReply(content: unknown): z.infer<typeof replySchema> | undefined {
  const text = typeof content === 'string' ? content : Array.isArray(content) ? content.map((c) => (typeof c === 'object' && c !== null && 'text' in c ? String((c as { text: unknown }).text) : '')).join('') : '';
  const body = text.replace(/^\s*```(?:json)?\s*/i, '').replace(/```\s*$/, '').trim();
  try {
    const parsed = replySchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function toIntent(reply: z.infer<typeof replySchema>, resolved: string): Intent {
  switch (reply.intent) {
    case 'help':
      return { kind: 'help' };
    case 'recall':
      return { kind: 'recall' };
    case 'remember':
      return { kind: 'remember', text: reply.text?.trim() || resolved };
    case 'forget':
      return { kind: 'forget', what: reply.text?.trim() === 'all' ? 'all' : reply.text?.trim() || resolved };
    case 'change':
      return reply.sql?.trim() ? { kind: 'change', sql: reply.sql.trim(), source: 'llm' } : { kind: 'change-without-sql', request: resolved, hint: SQL_HINT };
    case 'question':
      return { kind: 'question', question: reply.question?.trim() || resolved };
  }
}

export interface ChatModelRouterOptions {
  /** Tables when the turn has no catalog loader (the local demo); null: none (the Azure profile). */
  fallback?: readonly NlTable[] | null;
  /** NL→DML vocabulary for catalog tables in the deterministic fallback (local demo hints). */
  hints?: readonly NlTable[];
}

export function createChatModelRouter(model: BaseChatModel, options: ChatModelRouterOptions = {}): IntentRouter {
  const schema = options.fallback === undefined ? DEMO_NL_SCHEMA : options.fallback;
  const fallback = createDeterministicRouter(schema, { hints: options.hints ?? [] });
  const fallbackTables = schema ? catalogOfNlSchema(schema) : [];
  return {
    async route(text: string, context: RouteContext): Promise<Intent> {
      const explicit = explicitIntent(text);
      if (explicit) return explicit;
      const resolved = applyMemories(text.trim(), context.memories);
      let view: UserCatalog | undefined;
      try {
        view = context.catalog ? await context.catalog() : undefined;
      } catch (error) {
        // Without the user's tables no SQL is drafted: a change request shows the catalog error, a question still goes to Genie.
        if (isAuthError(error) || isChangeRequest(resolved)) throw error;
        context.logger?.warn({ err: error }, 'could not read the user catalog; sending the message to Genie as a question');
        return { kind: 'question', question: resolved };
      }
      const tables = view ? view.tables : fallbackTables;
      const loaded = view;
      const cached: RouteContext = loaded ? { ...context, catalog: async () => loaded } : context;
      let reply: z.infer<typeof replySchema> | undefined;
      try {
        const response = await model.invoke([new SystemMessage(buildRoutingSystemPrompt(tables, context.memories)), new HumanMessage(text.trim())]);
        reply = parseReply(response.content);
      } catch (error) {
        context.logger?.warn({ err: error }, 'chat model failed; using the deterministic router');
        return fallback.route(text, cached);
      }
      if (!reply) {
        context.logger?.warn('chat model reply was not valid routing JSON; using the deterministic router');
        return fallback.route(text, cached);
      }
      const intent = toIntent(reply, resolved);
      if (intent.kind === 'question' && (isChangeRequest(resolved) || readsAsChange(intent.question))) return fallback.route(text, cached);
      if ((intent.kind === 'change' || intent.kind === 'change-without-sql') && tables.length === 0) {
        return { kind: 'change-without-sql', request: resolved, hint: NO_TABLES_HINT };
      }
      return intent;
    },
  };
}
