import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { forgotText } from '../../commands';
import { recordAudit } from '../audit';
import { getThreadId, getTurnDeps, type AgentGraphShared, type WithStore } from '../deps';
import type { AgentStateUpdate, AgentStateValue } from '../state';
import { forgetItems, listMemoryItems, rememberItem } from './memory-items';

const MAX_MEMORY_CHARS = 500;

export function createMemoryNode(shared: AgentGraphShared & WithStore) {
  return async function memory_agent(state: AgentStateValue, config: LangGraphRunnableConfig): Promise<AgentStateUpdate> {
    const { ctx } = getTurnDeps(config);
    const store = shared.store;
    const intent = state.intent;
    const threadId = getThreadId(config);
    if (intent?.kind === 'recall') {
      return { result: { kind: 'memories', items: await listMemoryItems(store, ctx.user) } };
    }
    if (intent?.kind === 'remember') {
      const text = intent.text.slice(0, MAX_MEMORY_CHARS);
      await rememberItem(store, ctx.user, text, shared.now());
      await recordAudit(shared.audit, ctx, 'memory.changed', { outcome: 'ok', threadId, detail: 'remembered' }, shared.now());
      return { result: { kind: 'text', text: `Got it. I will remember: "${text}".` } };
    }
    if (intent?.kind === 'forget') {
      const count = await forgetItems(store, ctx.user, intent.what === 'all' ? { all: true } : { phrase: intent.what });
      await recordAudit(shared.audit, ctx, 'memory.changed', { outcome: 'ok', threadId, detail: `forgot ${count}` }, shared.now());
      return { result: { kind: 'text', text: forgotText(count) } };
    }
    return { result: { kind: 'text', text: 'I did not understand what to remember or forget.' } };
  };
}
