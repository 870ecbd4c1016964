import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { getStoreOrThrow, getTurnDeps, type AgentGraphShared } from '../deps';
import { listMemoryItems } from '../memory/memory-items';
import type { AgentStateUpdate, AgentStateValue } from '../state';

export type SupervisorRoute = 'genie_agent' | 'request_approval' | 'memory_agent' | 'help';

/** Routes the message; the user's memories resolve "my …" and are given to the LLM as context. */
export function createSupervisorNode(shared: AgentGraphShared) {
  return async function supervisor(state: AgentStateValue, config: LangGraphRunnableConfig): Promise<AgentStateUpdate> {
    const { ctx } = getTurnDeps(config);
    const memories = await listMemoryItems(getStoreOrThrow(config), ctx.user);
    const intent = await shared.router.route(state.input ?? '', { memories: memories.map((m) => m.text), logger: ctx.logger });
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
