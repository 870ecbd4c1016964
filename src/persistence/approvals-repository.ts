import { randomBytes } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { AppError } from '../errors';
import { cosmosCall, isCosmosStatus, mapCosmosError } from './cosmos-errors';
import { readItem } from './cosmos-items';
import { assertItemSize } from './payloads';
import { APPROVAL_ID_PATTERN, isExpired, newPendingApproval } from '../approvals/rules';
import { canTransition, type ApprovalRecord, type ApprovalStatus, type NewApproval } from '../approvals/record';
import type { ApprovalIndex } from './approval-index';
import type { ApprovalsRepository } from './ports';

/**
 * The approval ledger (container `approvals`, partition key `/id`). Every change is an
 * ETag-conditional replace, so of two concurrent deciders exactly one wins; status moves only
 * along APPROVAL_TRANSITIONS (`src/approvals/record.ts`).
 */
type ApprovalDoc = Omit<ApprovalRecord, 'etag'>;

type TransitionPatch = Partial<Pick<ApprovalRecord, 'decidedBy' | 'decidedAt' | 'statementId' | 'rowsAffected' | 'error' | 'interruptId'>>;
type UpdatePatch = Partial<Pick<ApprovalRecord, 'statementId' | 'card' | 'interruptId' | 'delivery'>>;

function toRecord(doc: ApprovalDoc & { _etag: string }): ApprovalRecord {
  return {
    id: doc.id,
    threadId: doc.threadId,
    conversationId: doc.conversationId,
    requester: doc.requester,
    sql: doc.sql,
    sqlSha256: doc.sqlSha256,
    operation: doc.operation,
    targetTables: doc.targetTables,
    impact: doc.impact,
    requiresApprover: doc.requiresApprover,
    interruptId: doc.interruptId ?? undefined,
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
    status: doc.status,
    decidedBy: doc.decidedBy ?? undefined,
    decidedAt: doc.decidedAt ?? undefined,
    statementId: doc.statementId ?? undefined,
    rowsAffected: doc.rowsAffected ?? undefined,
    error: doc.error ?? undefined,
    card: doc.card ?? undefined,
    ...(doc.delivery ? { delivery: doc.delivery } : {}),
    etag: doc._etag,
  };
}

function toDoc(record: ApprovalRecord): ApprovalDoc {
  const { etag: _etag, ...doc } = record;
  return doc;
}

export function newApprovalId(): string {
  return randomBytes(18).toString('base64url');
}

export class CosmosApprovalsRepository implements ApprovalsRepository {
  /** With an index, every new approval is indexed (before it is created) for `requests`. */
  constructor(private readonly container: Container, private readonly index?: ApprovalIndex) {}

  async create(input: NewApproval, now: Date = new Date()): Promise<ApprovalRecord> {
    const doc: ApprovalDoc = newPendingApproval(input, newApprovalId(), now);
    assertItemSize(doc, 'approval');
    await this.index?.add(doc);
    const { resource } = await cosmosCall('create approval', () => this.container.items.create(doc));
    if (!resource) throw new AppError('STORAGE.UNAVAILABLE', 'create approval returned no item');
    return toRecord(resource as ApprovalDoc & { _etag: string });
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    if (!APPROVAL_ID_PATTERN.test(id)) return undefined;
    const doc = await readItem<ApprovalDoc>(this.container, id, id, 'read approval');
    return doc ? toRecord(doc) : undefined;
  }

  async transition(current: ApprovalRecord, next: ApprovalStatus, patch: TransitionPatch = {}): Promise<ApprovalRecord> {
    if (!canTransition(current.status, next)) {
      const code = current.status === 'pending' ? 'INTERNAL.UNEXPECTED' : 'APPROVAL.ALREADY_DECIDED';
      throw new AppError(code, `approval ${current.id}: ${current.status} → ${next} is not allowed`, { details: { from: current.status, to: next } });
    }
    if (next !== 'expired' && isExpired(current)) {
      throw new AppError('APPROVAL.EXPIRED', `approval ${current.id} expired at ${current.expiresAt}`);
    }
    return this.replace(current, { ...current, ...patch, status: next }, 'transition approval');
  }

  async update(current: ApprovalRecord, patch: UpdatePatch): Promise<ApprovalRecord> {
    return this.replace(current, { ...current, ...patch, status: current.status }, 'update approval');
  }

  private async replace(current: ApprovalRecord, next: ApprovalRecord, operation: string): Promise<ApprovalRecord> {
    const doc = toDoc(next);
    assertItemSize(doc, 'approval');
    try {
      const { resource } = await this.container
        .item(current.id, current.id)
        .replace(doc, { accessCondition: { type: 'IfMatch', condition: current.etag } });
      if (!resource) throw new AppError('STORAGE.UNAVAILABLE', `${operation} returned no item`);
      return toRecord(resource as ApprovalDoc & { _etag: string });
    } catch (error) {
      if (isCosmosStatus(error, 404)) throw new AppError('APPROVAL.NOT_FOUND', `approval ${current.id} does not exist`, { cause: error });
      throw mapCosmosError(error, operation);
    }
  }
}
