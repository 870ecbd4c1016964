import { AppError, toAppError } from '../errors';
import type { Principal } from './record';

/** Says whether a person is in the approvers group, from a validated source (Microsoft Graph); throws `APPROVAL.MEMBERSHIP_UNVERIFIED` when it cannot tell. */
export type IsApprover = (user: Principal) => Promise<boolean>;

/** True when the person is in the group, from a validated source (Microsoft Graph); throws when it cannot tell. */
export type GroupMembership = (user: Principal, groupId: string) => Promise<boolean>;

/**
 * Four-eyes membership check, failing closed. With no approvers group configured nobody can approve
 * a large change. A lookup that fails (directory down, throttled, refused, the approver's token
 * unobtainable) is never read as an answer: it throws `APPROVAL.MEMBERSHIP_UNVERIFIED`, with the
 * underlying code as `details.reason`, which the decision turns into an audited refusal. This is the
 * one place lookup failures are converted. Group ids come only from `membership`, never from card
 * data or message text.
 */
export function createApproverCheck(approversGroupId: string | undefined, membership: GroupMembership): IsApprover {
  return async (user: Principal): Promise<boolean> => {
    if (!approversGroupId) return false;
    try {
      return await membership(user, approversGroupId);
    } catch (error) {
      const cause = toAppError(error);
      throw new AppError('APPROVAL.MEMBERSHIP_UNVERIFIED', `approvers-group membership of ${user.objectId} could not be verified: ${cause.code}: ${cause.message}`, {
        cause,
        details: { reason: cause.code, ...cause.details },
      });
    }
  };
}
