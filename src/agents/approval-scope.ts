/**
 * Enforces the approval's scope (`src/approvals/scope.ts`): an approval used outside the tenant or
 * conversation it was requested in is refused and the attempt audited.
 */
import { approvalScopeRefusal, type ApprovalAction } from '../approvals/scope';
import type { RequestContext } from '../context/request-context';
import type { ApprovalRecord, AuditLog } from '../persistence/ports';
import { recordAudit } from './audit';

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
