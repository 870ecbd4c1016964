export {
  APPROVAL_TRANSITIONS,
  canTransition,
  type ApprovalImpact,
  type ApprovalRecord,
  type ApprovalStatus,
  type NewApproval,
  type Principal,
  type WriteOperation,
} from './record';
export { APPROVAL_ID_PATTERN, effectiveStatus, isExpired, newPendingApproval, sha256Hex, sqlMatchesHash } from './rules';
export { approvalScopeRefusal, type ApprovalAction } from './scope';
export { decisionRefusal, isRequester, mayCarryOn, mayTryToDecide, samePrincipal, type Decision } from './who-decides';
export { createApproverCheck, type GroupMembership, type IsApprover } from './approvers';
export { countImpact, estimateImpact, needsApprover, type ImpactResult } from './impact';
export { MAX_APPROVAL_SQL_CHARS, MAX_REQUEST_SQL_CHARS } from './limits';
export { recheckBeforeRun, type Recheck } from './recheck';
export { baseConversationId, EMPTY_DELIVERY, isDeliveredTo, whoCanApprove, withCopies, type ApprovalDelivery, type CardCopy, type Unreachable } from './delivery';
