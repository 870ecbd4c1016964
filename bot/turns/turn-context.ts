import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { UserDatabricks, UserDatabricksFactory } from '../../src/agents/ports';
import type { ConversationKind, RequestContext } from '../../src/context/request-context';
import { AppError } from '../../src/errors';
import type { IdentityService, TokenProvider } from '../../src/identity/ports';
import type { Logger } from '../../src/logging';
import { tenantOf } from './trust-boundary';

/** Key under which a turn's correlation id sits in `TurnContext.turnState` (read by `onTurnError`). */
export const CORRELATION_ID_KEY = Symbol('correlationId');

/** Builds the Databricks clients for one user's token provider (the composition root wires the real ones). */
export type UserDatabricksBuilder = (tokens: TokenProvider) => UserDatabricks;

/**
 * TurnContext → RequestContext. Identity comes only from the activity the adapter validated
 * (`from.aadObjectId`, `conversation.tenantId` only), never from card data or text.
 */
export function requestContextOf(turn: TurnContext, logger: Logger): RequestContext {
  const a = turn.activity;
  const existing = turn.turnState.get(CORRELATION_ID_KEY) as unknown;
  const correlationId = typeof existing === 'string' ? existing : randomUUID();
  turn.turnState.set(CORRELATION_ID_KEY, correlationId);
  const tenantId = tenantOf(a);
  const objectId = a.from?.aadObjectId;
  if (!tenantId || !objectId || !a.conversation?.id) {
    throw new AppError('INPUT.INVALID', 'Activity lacks tenant, user object id or conversation id', {
      details: { hasTenant: Boolean(tenantId), hasObjectId: Boolean(objectId), hasConversation: Boolean(a.conversation?.id) },
    });
  }
  return {
    user: { tenantId, objectId, upn: undefined, displayName: a.from.name || 'You' },
    conversation: { id: a.conversation.id, kind: kindOf(a.conversation.conversationType) },
    correlationId,
    activityId: a.id,
    logger: logger.child({ correlationId, activityId: a.id, conversationKind: a.conversation.conversationType, user: objectId }),
  };
}

/**
 * Only a conversation Teams calls `personal` is a 1:1 chat (full rows go there); a missing or unknown
 * type is treated as a group chat, never as personal.
 */
export function kindOf(conversationType: string | undefined): ConversationKind {
  if (conversationType === 'personal') return 'personal';
  if (conversationType === 'channel') return 'channel';
  return 'groupChat';
}

/** The per-turn factory: a closure over the shared identity service; it keeps nothing. */
export function userDatabricksFactory(identity: IdentityService, build: UserDatabricksBuilder): UserDatabricksFactory {
  return (user) => build(identity.tokenProviderFor(user));
}
