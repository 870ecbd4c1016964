import type { Logger } from '../logging';

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

/** Who is asking. Comes only from a validated activity (`from.aadObjectId`) or a validated token. */
export interface UserIdentity {
  tenantId: string;
  objectId: string;
  /** User principal name when known (from the token or the directory); never used for authorization. */
  upn: string | undefined;
  displayName: string;
}

export interface ConversationInfo {
  id: string;
  kind: ConversationKind;
}

/** Built once per turn in `bot/turns/turn-context.ts` and dropped at its end. Holds no token. */
export interface RequestContext {
  user: UserIdentity;
  conversation: ConversationInfo;
  correlationId: string;
  activityId: string | undefined;
  logger: Logger;
}

/**
 * Thread id = tenant + conversation + user: two people in one group chat never share a thread,
 * a Genie conversation or an approval.
 */
export function threadIdOf(ctx: Pick<RequestContext, 'user' | 'conversation'>): string {
  return `${ctx.user.tenantId}:${ctx.conversation.id}:${ctx.user.objectId}`;
}

/** The per-user partition key used by the token cache, memory and audit. */
export function userKeyOf(user: Pick<UserIdentity, 'tenantId' | 'objectId'>): string {
  return `${user.tenantId}:${user.objectId}`;
}
