import type { HostTurn } from './host-turn';
import type { UserDatabricks, UserDatabricksFactory } from '../../src/agents/ports';
import type { ConversationKind, RequestContext } from '../../src/context/request-context';
import { AppError } from '../../src/errors';
import type { IdentityService, TokenProvider, TurnSession } from '../../src/identity/ports';
import type { Logger } from '../../src/logging';
import { tenantOf } from './trust-boundary';
import { correlationIdOfActiveTrace } from '../../src/telemetry/trace';

/** Key under which a turn's correlation id sits in the turn's `turnState` (read by `onTurnError`). */
export const CORRELATION_ID_KEY = Symbol('correlationId');

/** Builds the Databricks clients for one user's token provider (the composition root wires the real ones). */
export type UserDatabricksBuilder = (tokens: TokenProvider) => UserDatabricks;

/**
 * HostTurn → RequestContext. Identity comes only from the activity the adapter validated
 * (`from.aadObjectId`, `conversation.tenantId` only), never from card data or text.
 */
export function requestContextOf(turn: HostTurn, logger: Logger): RequestContext {
  const a = turn.activity;
  const existing = turn.turnState.get(CORRELATION_ID_KEY) as unknown;
  const correlationId = typeof existing === 'string' ? existing : correlationIdOfActiveTrace();
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

/**
 * The per-turn factory: a closure over the shared identity service that keeps one TurnSession per
 * user for the turn (dropped with the turn), so each person's token cache is read once per turn (an
 * approval reads the requester's for the token check and again for the run). With the turn's own
 * session (the one that checked the sign-in), its user starts with it.
 */
export function userDatabricksFactory(identity: IdentityService, build: UserDatabricksBuilder, session?: TurnSession): UserDatabricksFactory {
  const keyOf = (user: { tenantId: string; objectId: string }): string => JSON.stringify([user.tenantId, user.objectId]);
  const sessions = new Map<string, TurnSession>();
  if (session) sessions.set(keyOf(session.tokens.user), session);
  return (user) => {
    const key = keyOf(user);
    let own = sessions.get(key);
    if (!own) {
      own = identity.session(user);
      sessions.set(key, own);
    }
    return build(own.tokens);
  };
}
