import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { getTurnDeps, type AgentGraphShared, type WithStore } from '../deps';
import { listMemoryItems } from '../memory/memory-items';
import { catalogLoaderFor } from './catalog-loader';
import type { AgentStateUpdate, AgentStateValue } from '../state';

export type SupervisorRoute = 'genie_agent' | 'request_approval' | 'memory_agent' | 'help';

/** Routes the message; the user's memories resolve "my …"; the user's catalog view is loaded only if the router needs it. */
export function createSupervisorNode(shared: AgentGraphShared & WithStore) {
  return async function supervisor(state: AgentStateValue, config: LangGraphRunnableConfig): Promise<AgentStateUpdate> {
    const { ctx, databricks, memories: prefetched } = getTurnDeps(config);
    const memories = await (prefetched ?? listMemoryItems(shared.store, ctx.user));
    const catalog = shared.catalog ? catalogLoaderFor(shared.catalog, ctx.user, databricks) : undefined;
    const intent = await shared.router.route(state.input ?? '', { memories: memories.map((m) => m.text), logger: ctx.logger, ...(catalog ? { catalog } : {}) });
    return { intent };
  };
}

export function routeIntent(state: AgentStateValue): SupervisorRoute {
  switch (state.intent?.kind) {
    case 'question':
      return 'genie_agent';
    case 'change':
    case 'change-without-sql':
      return 'request_approval';
    case 'remember':
    case 'recall':
    case 'forget':
      return 'memory_agent';
    default:
      return 'help';
  }
}
