import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { TurnDeps } from './deps';

/** `sync` durability: a checkpoint is stored before the next step starts, so the ledger and the thread agree. */
export function runConfig(threadId: string, turn: TurnDeps): LangGraphRunnableConfig & { durability: 'sync' } {
  return { configurable: { thread_id: threadId, turn }, durability: 'sync', recursionLimit: 25 };
}
