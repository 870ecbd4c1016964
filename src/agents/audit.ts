import type { RequestContext } from '../context/request-context';
import type { AuditEvent, AuditKind, AuditLog, Principal } from '../persistence/ports';

export type AuditFields = Partial<Pick<AuditEvent, 'threadId' | 'approvalId' | 'sql' | 'genie' | 'statementId' | 'rowsAffected' | 'detail' | 'activityId'>> & {
  outcome: AuditEvent['outcome'];
  /** Whose action this is when it is not the caller's (a write runs as the requester). */
  actor?: Principal;
  /** The approver this event is about (who decided, was refused, or was sent the card). */
  approver?: Principal;
};

/** Appends one audit event; a failed append is logged and rethrown (no silent gaps in the trail). */
export async function recordAudit(log: AuditLog, ctx: RequestContext, kind: AuditKind, fields: AuditFields, now: Date): Promise<void> {
  const actor = fields.actor;
  const event: AuditEvent = {
    kind,
    at: now.toISOString(),
    tenantId: actor?.tenantId ?? ctx.user.tenantId,
    userObjectId: actor?.objectId ?? ctx.user.objectId,
    userName: actor?.name ?? ctx.user.displayName,
    correlationId: ctx.correlationId,
    threadId: fields.threadId,
    approvalId: fields.approvalId,
    sql: fields.sql,
    genie: fields.genie,
    statementId: fields.statementId,
    rowsAffected: fields.rowsAffected,
    outcome: fields.outcome,
    detail: fields.detail,
    ...(fields.activityId ?? ctx.activityId ? { activityId: fields.activityId ?? ctx.activityId } : {}),
    ...(fields.approver ? { approverObjectId: fields.approver.objectId, approverName: fields.approver.name } : {}),
  };
  try {
    await log.append(event);
  } catch (error) {
    ctx.logger.error({ err: error, kind, approvalId: fields.approvalId }, 'audit append failed');
    throw error;
  }
}
