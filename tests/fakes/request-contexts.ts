import type { RequestContext, UserIdentity } from '../../src/context/request-context';
import { silentLogger } from '../../src/logging';

export const TENANT = '7e4a1c00-0000-4000-8000-000000000001';

export const USERS = {
  alice: { tenantId: TENANT, objectId: 'a11ce000-0000-4000-8000-000000000001', upn: 'alice@contoso.example', displayName: 'Alice Wong' },
  bob: { tenantId: TENANT, objectId: 'b0b00000-0000-4000-8000-000000000002', upn: 'bob@contoso.example', displayName: 'Bob Kim' },
  carol: { tenantId: TENANT, objectId: 'ca201000-0000-4000-8000-000000000003', upn: 'carol@contoso.example', displayName: 'Carol Diaz' },
} satisfies Record<string, UserIdentity>;

let seq = 0;

/** A request context for a demo user in a conversation (default: a personal chat of that user). */
export function buildContext(user: UserIdentity, overrides: Partial<Omit<RequestContext, 'user'>> = {}): RequestContext {
  seq += 1;
  return {
    user,
    conversation: { id: `personal-${user.objectId}`, kind: 'personal' },
    correlationId: `corr-${seq}`,
    activityId: `act-${seq}`,
    logger: silentLogger(),
    ...overrides,
  };
}

/** Another member in the chat where an approval was requested (approvals can only be decided there). */
export function inChatOf(user: UserIdentity, approval: { conversationId: string }): RequestContext {
  return buildContext(user, { conversation: { id: approval.conversationId, kind: 'groupChat' } });
}
