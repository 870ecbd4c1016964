/**
 * Approvers-group membership from Microsoft Graph, asked afresh at every decision: no answer is
 * cached, so removing someone from the group takes effect at their next click. With the default
 * `delegated` token the question is asked with the approver's own Graph token (`/me`), so Graph
 * itself decides who is asking; with `application` the bot app asks about the approver's object id
 * (taken from the validated activity). Errors propagate: the caller turns them into a refusal.
 */
import type { GraphMembershipToken } from '../config';
import type { UserIdentity } from '../context/request-context';
import type { GraphClient } from './graph-client';

type UserRef = Pick<UserIdentity, 'tenantId' | 'objectId'>;

/** Where Graph tokens come from (the identity service). */
export interface GraphTokenSource {
  /** The user's own delegated Graph token. */
  userToken(user: UserRef): Promise<string>;
  /** The bot app's client-credentials Graph token. */
  appToken(): Promise<string>;
}

/** True when the user is (transitively) a member of the group; throws when Graph cannot say. */
export type GroupMembershipCheck = (user: UserRef, groupId: string) => Promise<boolean>;

export function createGraphMembershipCheck(graph: GraphClient, tokens: GraphTokenSource, mode: GraphMembershipToken): GroupMembershipCheck {
  return async (user, groupId) => {
    const ids =
      mode === 'delegated'
        ? await graph.checkMemberGroups(await tokens.userToken(user), { kind: 'me' }, [groupId])
        : await graph.checkMemberGroups(await tokens.appToken(), { kind: 'user', objectId: user.objectId }, [groupId]);
    return ids.some((id) => id.toLowerCase() === groupId.toLowerCase());
  };
}
