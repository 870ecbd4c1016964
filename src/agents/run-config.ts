import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { TurnDeps } from './deps';

/**
 * `sync` (the default, and what resumes use): a checkpoint is stored before the next step starts, so
 * the write ledger and the thread agree. `exit`: one checkpoint when the run ends or interrupts, for
 * new messages, whose steps leave nothing a crash mid-run must find (an approval record from a run
 * that never reached its interrupt was never shown to anyone, and it expires).
 */
export type RunDurability = 'sync' | 'exit';

export function runConfig(threadId: string, turn: TurnDeps, durability: RunDurability = 'sync'): LangGraphRunnableConfig & { durability: RunDurability } {
  return { configurable: { thread_id: threadId, turn }, durability, recursionLimit: 25 };
}
