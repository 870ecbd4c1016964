/**
 * Storage contracts used by the agents and the bot. Cosmos DB implementations live beside this
 * file; tests may use in-memory fakes of these interfaces for pure logic only.
 */

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'executing' | 'executed' | 'failed';

export type WriteOperation = 'INSERT' | 'UPDATE' | 'DELETE' | 'MERGE';

export interface Principal {
  tenantId: string;
  objectId: string;
  name: string;
}

export interface ApprovalImpact {
  /** Rows the dry run says the statement touches; null when it could not be estimated. */
  rows: number | null;
  description: string;
  /** The count is not a bound on what the change touches (no WHERE, NOT MATCHED BY SOURCE, time- or other-table-dependent): an approver from the group must decide. */
  unbounded: boolean;
}

export interface NewApproval {
  threadId: string;
  conversationId: string;
  requester: Principal;
  sql: string;
  operation: WriteOperation;
  targetTables: string[];
  impact: ApprovalImpact;
  /** Four-eyes: a member of the approvers group other than the requester must approve. */
  requiresApprover: boolean;
  ttlMinutes: number;
}

export interface ApprovalRecord extends Omit<NewApproval, 'ttlMinutes'> {
  /** Opaque random id; the only thing a card carries. */
  id: string;
  sqlSha256: string;
  interruptId: string | undefined;
  createdAt: string;
  expiresAt: string;
  status: ApprovalStatus;
  decidedBy: Principal | undefined;
  decidedAt: string | undefined;
  statementId: string | undefined;
  rowsAffected: number | undefined;
  error: { code: string; message: string } | undefined;
  /** Where the approval card was posted, so any instance can update it in place (opaque to storage). */
  card: Record<string, unknown> | undefined;
  /** Concurrency token of the stored version. */
  etag: string;
}

/** Allowed moves; anything else is refused by the repository. */
export const APPROVAL_TRANSITIONS: Record<ApprovalStatus, readonly ApprovalStatus[]> = {
  pending: ['approved', 'rejected', 'expired'],
  approved: ['executing', 'failed'],
  executing: ['executed', 'failed'],
  rejected: [],
  expired: [],
  executed: [],
  failed: [],
};

export interface ApprovalsRepository {
  create(input: NewApproval, now?: Date): Promise<ApprovalRecord>;
  get(id: string): Promise<ApprovalRecord | undefined>;
  /**
   * ETag-conditional move from `current.status` to `next`: exactly one concurrent caller wins;
   * the others get AppError STORAGE.CONFLICT (reload to see who won).
   */
  transition(current: ApprovalRecord, next: ApprovalStatus, patch?: Partial<Pick<ApprovalRecord, 'decidedBy' | 'decidedAt' | 'statementId' | 'rowsAffected' | 'error' | 'interruptId'>>): Promise<ApprovalRecord>;
  /** ETag-conditional patch that keeps the status (e.g. recording the statement id or the card). */
  update(current: ApprovalRecord, patch: Partial<Pick<ApprovalRecord, 'statementId' | 'card' | 'interruptId'>>): Promise<ApprovalRecord>;
}

export type AuditKind =
  | 'genie.question'
  | 'sql.read'
  | 'write.requested'
  | 'write.refused'
  | 'approval.approved'
  | 'approval.rejected'
  | 'approval.denied'
  | 'approval.expired'
  | 'write.executed'
  | 'write.failed'
  | 'write.impact-mismatch'
  | 'memory.changed'
  | 'auth.signin'
  | 'auth.signout';

export interface AuditEvent {
  kind: AuditKind;
  at: string;
  tenantId: string;
  userObjectId: string;
  userName: string | undefined;
  correlationId: string;
  threadId: string | undefined;
  approvalId: string | undefined;
  sql: string | undefined;
  genie: { conversationId: string; messageId: string } | undefined;
  statementId: string | undefined;
  rowsAffected: number | undefined;
  outcome: 'ok' | 'refused' | 'failed';
  detail: string | undefined;
}

export interface AuditLog {
  /** Append-only; never overwrites. */
  append(event: AuditEvent): Promise<void>;
  listByUser(tenantId: string, objectId: string, range?: { from?: Date; to?: Date }): Promise<AuditEvent[]>;
  /** All events that mention one approval, oldest first. */
  listByApproval(approvalId: string): Promise<AuditEvent[]>;
}

export interface Dedupe {
  /** Create-if-absent: true for the first claimant of `key`, false for every later one (any instance). */
  claim(key: string): Promise<boolean>;
}

export interface Lease {
  key: string;
  owner: string;
  expiresAt: number;
  etag: string;
}

export interface LeaseStore {
  /** Takes the lease if free or expired; undefined when someone else holds it. */
  acquire(key: string, owner: string, ttlMs: number): Promise<Lease | undefined>;
  release(lease: Lease): Promise<void>;
}
