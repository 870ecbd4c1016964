/**
 * Storage contracts used by the agents and the bot. Cosmos DB implementations live beside this
 * file; tests may use in-memory fakes of these interfaces for pure logic only.
 */

export {
  APPROVAL_TRANSITIONS,
  type ApprovalImpact,
  type ApprovalRecord,
  type ApprovalStatus,
  type NewApproval,
  type Principal,
  type WriteOperation,
} from '../approvals/record';
import type { ApprovalRecord, ApprovalStatus, NewApproval } from '../approvals/record';

export interface ApprovalsRepository {
  create(input: NewApproval, now?: Date): Promise<ApprovalRecord>;
  get(id: string): Promise<ApprovalRecord | undefined>;
  /**
   * ETag-conditional move from `current.status` to `next`: exactly one concurrent caller wins;
   * the others get AppError STORAGE.CONFLICT (reload to see who won).
   */
  transition(current: ApprovalRecord, next: ApprovalStatus, patch?: Partial<Pick<ApprovalRecord, 'decidedBy' | 'decidedAt' | 'statementId' | 'rowsAffected' | 'error' | 'interruptId'>>): Promise<ApprovalRecord>;
  /** ETag-conditional patch that keeps the status (e.g. recording the statement id or the card). */
  update(current: ApprovalRecord, patch: Partial<Pick<ApprovalRecord, 'statementId' | 'card' | 'interruptId' | 'delivery'>>): Promise<ApprovalRecord>;
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
  | 'approval.delivered'
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
  /** The Teams activity this event is about (the click, the message, or a delivered card's id). */
  activityId?: string;
  /** The approver who decided, was refused, or was sent the card (from the validated activity or the record). */
  approverObjectId?: string;
  approverName?: string;
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

export type TurnClaim = { kind: 'claimed'; lease: Lease } | { kind: 'busy' } | { kind: 'duplicate' };

/**
 * Thread leases that also carry the turn (checkpointer/thread-turns.ts): claiming takes the lease,
 * the activity's dedupe marker and the thread head in one write; ending commits the turn's
 * checkpoint and releases the lease in one transactional batch.
 */
export interface TurnLeaseStore {
  /** Lease key `thread:<threadId>`. `duplicate`: the activity was claimed before (nothing taken). */
  beginTurn(threadId: string, owner: string, ttlMs: number, activityKey?: string): Promise<TurnClaim>;
  /** Commits what the turn wrote and releases the lease; STORAGE.CONFLICT (nothing saved) when the lease or head was taken over. */
  endTurn(lease: Lease): Promise<void>;
}

export const isTurnLeaseStore = (store: LeaseStore): store is LeaseStore & TurnLeaseStore =>
  typeof (store as Partial<TurnLeaseStore>).beginTurn === 'function' && typeof (store as Partial<TurnLeaseStore>).endTurn === 'function';
