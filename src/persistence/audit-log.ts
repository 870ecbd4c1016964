import { randomUUID } from 'node:crypto';
import type { Container, SqlParameter } from '@azure/cosmos';
import { userKeyOf } from '../context/request-context';
import { AppError } from '../errors';
import { cosmosCall } from './cosmos-errors';
import { queryAll } from './cosmos-items';
import { assertItemSize } from './payloads';
import type { AuditEvent, AuditLog } from './ports';

/**
 * Append-only audit trail (container `audit`, partition key `/userKey` = tenant:oid). Events are
 * only ever `create`d under a fresh id, so nothing can overwrite a record.
 */
type AuditDoc = AuditEvent & { id: string; userKey: string };

const FIELDS = 'c.kind, c.at, c.tenantId, c.userObjectId, c.userName, c.correlationId, c.threadId, c.approvalId, c.sql, c.genie, c.statementId, c.rowsAffected, c.outcome, c.detail, c.activityId, c.approverObjectId, c.approverName';

function toEvent(doc: Partial<AuditEvent> & Pick<AuditEvent, 'kind' | 'at' | 'tenantId' | 'userObjectId' | 'correlationId' | 'outcome'>): AuditEvent {
  return {
    kind: doc.kind,
    at: doc.at,
    tenantId: doc.tenantId,
    userObjectId: doc.userObjectId,
    userName: doc.userName ?? undefined,
    correlationId: doc.correlationId,
    threadId: doc.threadId ?? undefined,
    approvalId: doc.approvalId ?? undefined,
    sql: doc.sql ?? undefined,
    genie: doc.genie ?? undefined,
    statementId: doc.statementId ?? undefined,
    rowsAffected: doc.rowsAffected ?? undefined,
    outcome: doc.outcome,
    detail: doc.detail ?? undefined,
    ...(doc.activityId ? { activityId: doc.activityId } : {}),
    ...(doc.approverObjectId ? { approverObjectId: doc.approverObjectId, approverName: doc.approverName ?? undefined } : {}),
  };
}

export class CosmosAuditLog implements AuditLog {
  constructor(private readonly container: Container) {}

  async append(event: AuditEvent): Promise<void> {
    const at = Date.parse(event.at);
    if (Number.isNaN(at)) throw new AppError('INTERNAL.UNEXPECTED', `audit event has an invalid time: ${event.at}`);
    const doc: AuditDoc = { ...event, at: new Date(at).toISOString(), id: randomUUID(), userKey: userKeyOf({ tenantId: event.tenantId, objectId: event.userObjectId }) };
    assertItemSize(doc, 'audit event');
    await cosmosCall('append audit event', () => this.container.items.create(doc));
  }

  async listByUser(tenantId: string, objectId: string, range: { from?: Date; to?: Date } = {}): Promise<AuditEvent[]> {
    const userKey = userKeyOf({ tenantId, objectId });
    const conditions = ['c.userKey = @userKey'];
    const parameters: SqlParameter[] = [{ name: '@userKey', value: userKey }];
    if (range.from) {
      conditions.push('c.at >= @from');
      parameters.push({ name: '@from', value: range.from.toISOString() });
    }
    if (range.to) {
      conditions.push('c.at < @to');
      parameters.push({ name: '@to', value: range.to.toISOString() });
    }
    const query = { query: `SELECT ${FIELDS} FROM c WHERE ${conditions.join(' AND ')} ORDER BY c.at ASC`, parameters };
    return (await queryAll<AuditEvent>(this.container, query, userKey, 'list audit by user')).map(toEvent);
  }

  /** Cross-partition (rare: investigations and the daily reconciliation). */
  async listByApproval(approvalId: string): Promise<AuditEvent[]> {
    const query = { query: `SELECT ${FIELDS} FROM c WHERE c.approvalId = @approvalId ORDER BY c.at ASC`, parameters: [{ name: '@approvalId', value: approvalId }] };
    return (await queryAll<AuditEvent>(this.container, query, undefined, 'list audit by approval')).map(toEvent);
  }
}
