/**
 * An approval belongs to the tenant and the conversation it was requested in. Its id travels on a
 * card that anyone in that chat can copy, so seeing it (refresh), approving and rejecting it are
 * allowed only from the same tenant and the same conversation (a channel thread included). Used
 * anywhere else, the id is refused before anything of the record is shown, and the attempt is audited.
 */
import type { RequestContext } from '../context/request-context';
import type { ApprovalRecord, AuditLog } from '../persistence/ports';
import { recordAudit } from './audit';

export type ApprovalAction = 'view' | 'approve' | 'reject';

/** Undefined when `ctx` is where the approval was requested; else what differs. */
export function approvalScopeRefusal(
  record: Pick<ApprovalRecord, 'conversationId' | 'requester'>,
  ctx: Pick<RequestContext, 'user' | 'conversation'>,
): 'tenant' | 'conversation' | undefined {
  if (record.requester.tenantId !== ctx.user.tenantId) return 'tenant';
  if (record.conversationId !== ctx.conversation.id) return 'conversation';
  return undefined;
}

/**
 * True (and audited as `approval.denied` in the caller's own trail, without the SQL) when the
 * approval is used outside its tenant or conversation.
 */
export async function deniedOutOfScope(audit: AuditLog, ctx: RequestContext, record: ApprovalRecord, action: ApprovalAction, now: Date): Promise<boolean> {
  const refusal = approvalScopeRefusal(record, ctx);
  if (!refusal) return false;
  ctx.logger.warn({ approvalId: record.id, action, refusal }, 'approval used outside its conversation');
  await recordAudit(audit, ctx, 'approval.denied', {
    outcome: 'refused',
    approvalId: record.id,
    detail: `${action}: APPROVAL.OTHER_CONVERSATION (used from another ${refusal})`,
  }, now);
  return true;
}
