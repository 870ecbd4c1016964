import type { ApprovalImpact, Principal, WriteOperation } from '../approvals/record';

/** What the Task agent's `interrupt()` carries to the bot (rendered as the approval card). */
export interface ApprovalRequest {
  approvalId: string;
  sql: string;
  operation: WriteOperation;
  targetTables: string[];
  impact: ApprovalImpact;
  requiresApprover: boolean;
  expiresAt: string;
}

/** What resumes the Task agent. Built server-side by `AgentService.decide`, never from card data. */
export interface ApprovalDecision {
  approvalId: string;
  decision: 'approve' | 'reject';
  decidedBy: Principal;
}
