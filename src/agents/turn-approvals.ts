/**
 * Approval records this run has itself written: each one was returned by our own create or by our own
 * ETag-conditional (If-Match) replace, so at that moment it is the stored version, and the run does not
 * read back what it has just written (issue 18: Cosmos requests per approve-and-execute). Lives in
 * `TurnDeps` for one call of the agent service: never shared between runs, never in graph state or
 * checkpoints. A record read from the ledger is never kept here; a later write from a stale record
 * still fails its If-Match, so nothing here can bypass the single-decider and run-once checks.
 */
import type { ApprovalRecord } from '../persistence/ports';

export class TurnApprovals {
  private readonly written = new Map<string, ApprovalRecord>();

  /** Keeps the record a write of this run returned; returns it. */
  wrote(record: ApprovalRecord): ApprovalRecord {
    this.written.set(record.id, record);
    return record;
  }

  /** The newest record this run wrote for `approvalId`, if it wrote one. */
  latest(approvalId: string): ApprovalRecord | undefined {
    return this.written.get(approvalId);
  }
}
