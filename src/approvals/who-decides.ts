/**
 * Who may see and decide an approval. The requester may reject their own change, and approve it when
 * it does not need an approver; a change that needs one (four-eyes: unbounded, unknown or above the
 * threshold) is approved only by a member of the approvers group who is not the requester, and may be
 * rejected by such a member too. Everybody else is refused.
 */
import type { ApprovalRecord, Principal } from './record';

export type Decision = 'approve' | 'reject';

/** Same person: tenant and object id (the name is display only). */
export function samePrincipal(a: Pick<Principal, 'tenantId' | 'objectId'> | undefined, b: Pick<Principal, 'tenantId' | 'objectId'>): boolean {
  return a !== undefined && a.tenantId === b.tenantId && a.objectId === b.objectId;
}

/** True when `user` asked for this change. */
export function isRequester(approval: Pick<ApprovalRecord, 'requester'>, user: Pick<Principal, 'tenantId' | 'objectId'>): boolean {
  return samePrincipal(approval.requester, user);
}

/**
 * Whether to offer `user` the decision buttons when they look at the card: the requester, and anyone
 * when the change needs an approver (membership is checked at the click, never from the card).
 */
export function mayTryToDecide(approval: Pick<ApprovalRecord, 'requester' | 'requiresApprover'>, user: Pick<Principal, 'tenantId' | 'objectId'>): boolean {
  return isRequester(approval, user) || approval.requiresApprover;
}

/**
 * Undefined when `caller` may make `decision`; else the refusal code. `isApprover` is asked only when
 * the answer depends on it (a Microsoft Graph call), and its `APPROVAL.MEMBERSHIP_UNVERIFIED` is thrown
 * through unchanged.
 */
export async function decisionRefusal(
  record: Pick<ApprovalRecord, 'requester' | 'requiresApprover'>,
  caller: Principal,
  decision: Decision,
  isApprover: () => Promise<boolean>,
): Promise<'APPROVAL.APPROVER_REQUIRED' | 'APPROVAL.NOT_REQUESTER' | undefined> {
  const requester = isRequester(record, caller);
  if (decision === 'approve' && record.requiresApprover) {
    return !requester && (await isApprover()) ? undefined : 'APPROVAL.APPROVER_REQUIRED';
  }
  if (requester) return undefined;
  if (record.requiresApprover && (await isApprover())) return undefined;
  return record.requiresApprover ? 'APPROVAL.APPROVER_REQUIRED' : 'APPROVAL.NOT_REQUESTER';
}

/**
 * A decision already claimed but not settled (approved, or executing when the process died) is
 * carried on by an approve click from the person who decided it or the requester; nobody else.
 */
export function mayCarryOn(record: Pick<ApprovalRecord, 'requester' | 'decidedBy'>, status: ApprovalRecord['status'], caller: Principal, decision: Decision): boolean {
  return decision === 'approve' && (status === 'approved' || status === 'executing') && (samePrincipal(record.decidedBy, caller) || isRequester(record, caller));
}
