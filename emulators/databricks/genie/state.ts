/**
 * In-memory Genie state: conversations owned by one workspace user, and their messages. A
 * conversation is only ever visible to its owner.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { EngineColumn, WorkspaceUser } from '../engine-types';
import type { QueryPlan } from './query-plan';

export type MessageStatus =
  | 'SUBMITTED'
  | 'FETCHING_METADATA'
  | 'FILTERING_CONTEXT'
  | 'ASKING_AI'
  | 'PENDING_WAREHOUSE'
  | 'EXECUTING_QUERY'
  | 'COMPLETED'
  | 'FAILED'
  | 'CANCELLED'
  | 'QUERY_RESULT_EXPIRED';

export interface StoredResult {
  statementId: string;
  columns: EngineColumn[];
  rows: (string | null)[][];
  totalRowCount: number;
  truncated: boolean;
}

export interface StoredQuery {
  attachmentId: string;
  queryId: string;
  sql: string;
  title: string;
  description: string;
  plan: QueryPlan;
  result: StoredResult | undefined;
  /** Set by the `expire` control: the result is gone until `execute-query` runs the SQL again. */
  expired?: boolean;
}

export interface MessageRecord {
  messageId: string;
  conversationId: string;
  spaceId: string;
  content: string;
  status: MessageStatus;
  createdAt: number;
  updatedAt: number;
  userId: number;
  /** `purpose: FOLLOW_UP_QUESTION` marks a clarification (databricks-sdk-py dashboards `TextAttachmentPurpose`). */
  text: { attachmentId: string; id: string; content: string; purpose?: 'FOLLOW_UP_QUESTION' } | undefined;
  query: StoredQuery | undefined;
  /** Query attachments after the first, for a question that asks for two things. */
  moreQueries: StoredQuery[];
  suggestions: { attachmentId: string; questions: string[] } | undefined;
  error: { error: string; type: string } | undefined;
  feedback: { rating: 'POSITIVE' | 'NEGATIVE' | 'NONE'; comment?: string } | undefined;
}

export interface ConversationRecord {
  conversationId: string;
  spaceId: string;
  title: string;
  ownerKey: string;
  userId: number;
  createdAt: number;
  updatedAt: number;
  messages: MessageRecord[];
}

export function newId(): string {
  return randomUUID().replace(/-/g, '');
}

/** Databricks user ids are int64; derive a stable one from the Entra object id. */
export function numericUserId(user: WorkspaceUser): number {
  return Number.parseInt(createHash('sha256').update(user.objectId).digest('hex').slice(0, 12), 16);
}

export function ownerKey(user: WorkspaceUser): string {
  return user.objectId.toLowerCase();
}

/** Every query attachment of a message, in order. */
export function queriesOf(message: MessageRecord): StoredQuery[] {
  return message.query ? [message.query, ...message.moreQueries] : [...message.moreQueries];
}

export class GenieState {
  private readonly conversations = new Map<string, ConversationRecord>();

  constructor(private readonly now: () => number) {}

  createConversation(spaceId: string, user: WorkspaceUser, title: string): ConversationRecord {
    const at = this.now();
    const record: ConversationRecord = {
      conversationId: newId(),
      spaceId,
      title: title.slice(0, 255),
      ownerKey: ownerKey(user),
      userId: numericUserId(user),
      createdAt: at,
      updatedAt: at,
      messages: [],
    };
    this.conversations.set(record.conversationId, record);
    return record;
  }

  addMessage(conversation: ConversationRecord, content: string): MessageRecord {
    const at = this.now();
    const message: MessageRecord = {
      messageId: newId(),
      conversationId: conversation.conversationId,
      spaceId: conversation.spaceId,
      content,
      status: 'SUBMITTED',
      createdAt: at,
      updatedAt: at,
      userId: conversation.userId,
      text: undefined,
      query: undefined,
      moreQueries: [],
      suggestions: undefined,
      error: undefined,
      feedback: undefined,
    };
    conversation.messages.push(message);
    conversation.updatedAt = at;
    return message;
  }

  /** The conversation, if it exists in that space and belongs to the user; otherwise undefined. */
  conversationOf(spaceId: string, conversationId: string, user: WorkspaceUser): ConversationRecord | undefined {
    const record = this.conversations.get(conversationId);
    return record && record.spaceId === spaceId && record.ownerKey === ownerKey(user) ? record : undefined;
  }

  /** The user's conversations in the space, most recent first; every user's when `user` is undefined (include_all). */
  list(spaceId: string, user: WorkspaceUser | undefined): ConversationRecord[] {
    return [...this.conversations.values()]
      .filter((c) => c.spaceId === spaceId && (user === undefined || c.ownerKey === ownerKey(user)))
      .sort((a, b) => b.updatedAt - a.updatedAt);
  }

  delete(conversationId: string): void {
    this.conversations.delete(conversationId);
  }

  /** The plan of the latest answered question before `messageId`, for follow-ups. */
  previousPlan(conversation: ConversationRecord, messageId: string): QueryPlan | undefined {
    const index = conversation.messages.findIndex((m) => m.messageId === messageId);
    for (let i = index - 1; i >= 0; i -= 1) {
      const plan = conversation.messages[i]?.query?.plan;
      if (plan) return plan;
    }
    return undefined;
  }

  /** Every message of every conversation (for the emulator's controls). */
  allMessages(): MessageRecord[] {
    return [...this.conversations.values()].flatMap((c) => c.messages);
  }

  setStatus(message: MessageRecord, status: MessageStatus): void {
    message.status = status;
    message.updatedAt = this.now();
  }

  clear(): void {
    this.conversations.clear();
  }

  size(): number {
    return this.conversations.size;
  }
}
