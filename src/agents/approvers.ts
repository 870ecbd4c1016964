import type { Principal } from '../persistence/ports';
import type { IsApprover } from './deps';

/** Group ids of a person from a validated source: the validated token's `groups` claim, or the directory. */
export type GroupsOf = (user: Principal) => Promise<readonly string[]>;

/**
 * Four-eyes membership check. Fails closed: with no approvers group configured nobody can approve
 * a large change, and a failing group lookup counts as "not an approver" (logged by the caller's
 * `onError`). Group ids come only from `groupsOf`, never from card data or message text.
 */
export function createApproverCheck(approversGroupId: string | undefined, groupsOf: GroupsOf, onError?: (error: unknown) => void): IsApprover {
  return async (user: Principal): Promise<boolean> => {
    if (!approversGroupId) return false;
    try {
      return (await groupsOf(user)).includes(approversGroupId);
    } catch (error) {
      onError?.(error);
      return false;
    }
  };
}
