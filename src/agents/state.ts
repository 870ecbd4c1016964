/**
 * The persisted state of one thread (tenant + conversation + user). It is checkpointed, so it holds
 * no token, no client and no large result: Genie rows are capped before they get here.
 */
import { Annotation } from '@langchain/langgraph';
import type { GenieAnswer } from '../databricks/types';
import type { ErrorCode } from '../errors';
import type { Intent } from '../llm';
import type { ApprovalDecision, ApprovalRequest } from './hitl';
import type { MemoryItem } from './ports';

/** What the last run produced; the service maps it to a `TurnResult` or `DecisionResult`. */
export type TurnOutput =
  | { kind: 'text'; text: string }
  | { kind: 'help'; text: string }
  | { kind: 'genie'; answer: GenieAnswer }
  | { kind: 'approval-requested'; approvalId: string }
  | { kind: 'write-refused'; sql: string; reason: string }
  | { kind: 'memories'; items: MemoryItem[] }
  | { kind: 'decision'; outcome: 'executed' | 'rejected' | 'failed' | 'refused'; approvalId: string; code?: ErrorCode; message?: string };

/** SQL hashes of the approvals this thread requested, newest last (kept to a few). */
export type RequestedWrites = Record<string, string>;

export const MAX_REQUESTED_WRITES = 20;

const lastValue = <T>(initial: () => T) => Annotation<T>({ reducer: (_previous: T, next: T) => next, default: initial });

export const AgentState = Annotation.Root({
  input: lastValue<string | null>(() => null),
  intent: lastValue<Intent | null>(() => null),
  genieConversationId: lastValue<string | null>(() => null),
  /** The space `genieConversationId` lives in (null in threads from before spaces could be chosen). */
  genieSpaceId: lastValue<string | null>(() => null),
  awaiting: lastValue<ApprovalRequest | null>(() => null),
  decision: lastValue<ApprovalDecision | null>(() => null),
  requestedWrites: Annotation<RequestedWrites>({
    reducer: (previous, next) => {
      const merged = Object.entries({ ...previous, ...next });
      return Object.fromEntries(merged.slice(Math.max(0, merged.length - MAX_REQUESTED_WRITES)));
    },
    default: () => ({}),
  }),
  result: lastValue<TurnOutput | null>(() => null),
});

export type AgentStateValue = typeof AgentState.State;
export type AgentStateUpdate = typeof AgentState.Update;
