/**
 * The Genie space chosen for one Teams conversation, kept in the shared LangGraph store (Cosmos
 * container `memory`) so it survives restarts and is the same on every instance. The namespace is
 * (tenant, "conversation-<sha256 of the conversation id>", "settings"): Teams conversation ids hold
 * dots, which store labels may not, and the partition is that one conversation.
 */
import { createHash } from 'node:crypto';
import type { BaseStore } from '@langchain/langgraph-checkpoint';

export interface SpaceChoice {
  spaceId: string;
  /** Object id of who picked it, and when (for the card and the logs; never used for access). */
  chosenBy: string;
  chosenAt: string;
}

export interface SpaceChoiceStore {
  get(tenantId: string, conversationId: string): Promise<SpaceChoice | undefined>;
  set(tenantId: string, conversationId: string, choice: SpaceChoice): Promise<void>;
}

const KEY = 'genie-space';

export function conversationNamespace(tenantId: string, conversationId: string): string[] {
  return [tenantId, `conversation-${createHash('sha256').update(conversationId).digest('hex')}`, 'settings'];
}

export function createSpaceChoiceStore(store: BaseStore): SpaceChoiceStore {
  return {
    async get(tenantId, conversationId) {
      const item = await store.get(conversationNamespace(tenantId, conversationId), KEY);
      const value = item?.value as Partial<SpaceChoice> | undefined;
      if (typeof value?.spaceId !== 'string') return undefined;
      return { spaceId: value.spaceId, chosenBy: String(value.chosenBy ?? ''), chosenAt: String(value.chosenAt ?? '') };
    },
    async set(tenantId, conversationId, choice) {
      await store.put(conversationNamespace(tenantId, conversationId), KEY, { ...choice });
    },
  };
}
