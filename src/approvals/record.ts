/**
 * The approval record and its life: who asked, what exactly runs (the guard's canonical text and its
 * hash), how many rows it touches, and the only moves its status may make. Storage keeps these
 * records (`src/persistence`); it does not define them.
 */
import type { ApprovalDelivery } from './delivery';

export type WriteOperation = 'INSERT' | 'UPDATE' | 'DELETE' | 'MERGE';

/** A person, from a validated token or activity (tenant + object id); the name is for display only. */
export interface Principal {
  tenantId: string;
  objectId: string;
  name: string;
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'executing' | 'executed' | 'failed';

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
  /**
   * The interrupt waiting for this approval, as LangGraph keeps it in the thread's checkpoint: set on the
   * record a change request returns, not written to the ledger (nothing decides by it; the resume finds
   * the interrupt by approval id).
   */
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
  /** Every copy of the card and who it reached (`delivery.ts`); absent before the card is posted. */
  delivery?: ApprovalDelivery;
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

export function canTransition(from: ApprovalStatus, to: ApprovalStatus): boolean {
  return APPROVAL_TRANSITIONS[from].includes(to);
}
