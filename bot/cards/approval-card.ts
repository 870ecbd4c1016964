import { whoCanApprove } from '../../src/approvals/delivery';
import type { ApprovalRecord, ApprovalStatus } from '../../src/persistence/ports';
import { type AdaptiveCard, expand } from './expand';
import approvalTemplate from './templates/approval.json';
import { VERBS } from './verbs';

export interface ApprovalCardInput {
  approval: ApprovalRecord;
  /** `actor` sees Approve/Reject while pending; `readonly` never does. */
  viewer: 'actor' | 'readonly';
  /** Teams user ids that refresh automatically to their own view (pending cards in chats). */
  refreshUserIds: string[];
  /** Extra line, e.g. "Running the change…" or why a click was refused. */
  note?: string;
  now?: Date;
}

const STATUS: Record<ApprovalStatus, { text: string; color: string }> = {
  pending: { text: 'Waiting for approval', color: 'Warning' },
  approved: { text: 'Approved, running the change…', color: 'Accent' },
  executing: { text: 'Approved, running the change…', color: 'Accent' },
  executed: { text: 'Done', color: 'Good' },
  rejected: { text: 'Rejected', color: 'Attention' },
  expired: { text: 'Expired', color: 'Attention' },
  failed: { text: 'Failed', color: 'Attention' },
};

/** One card for every state of an approval; the data carries only the opaque approval id. */
export function renderApprovalCard(input: ApprovalCardInput): AdaptiveCard {
  const { approval: a } = input;
  const now = input.now ?? new Date();
  const expired = a.status === 'pending' && Date.parse(a.expiresAt) <= now.getTime();
  const status = expired ? STATUS.expired : STATUS[a.status];
  const pending = a.status === 'pending' && !expired;
  const note = input.note ?? (pending && a.requiresApprover ? `This change needs approval by a member of the approvers group other than the requester. ${whoCanApprove(a.delivery)}`.trim() : '');
  return expand(approvalTemplate, {
    title: `Approve ${a.operation} on ${a.targetTables.join(', ') || 'the table'}?`,
    statusText: statusText(a, status.text),
    statusColor: status.color,
    unbounded: a.impact.unbounded,
    sql: a.sql,
    facts: facts(a),
    hasNote: note !== '',
    note,
    approvalId: a.id,
    showActions: pending && input.viewer === 'actor',
    approveVerb: VERBS.approvalApprove,
    rejectVerb: VERBS.approvalReject,
    hasRefresh: pending && input.refreshUserIds.length > 0,
    refreshVerb: VERBS.approvalRefresh,
    refreshUserIds: input.refreshUserIds,
  });
}

function statusText(a: ApprovalRecord, base: string): string {
  if (a.status === 'executed') {
    const changed = `Done: ${a.rowsAffected ?? 0} row${a.rowsAffected === 1 ? '' : 's'} changed`;
    return a.impact.rows !== null && a.rowsAffected !== a.impact.rows ? `${changed}, not the ${a.impact.rows} approved (recorded in the audit log)` : changed;
  }
  if (a.status === 'failed') return `Failed: ${a.error?.message ?? 'the change did not run'}`;
  return base;
}

function facts(a: ApprovalRecord): { name: string; value: string }[] {
  const list = [
    { name: 'Tables', value: a.targetTables.join(', ') || '—' },
    { name: 'Impact', value: a.impact.description },
    { name: 'Requested by', value: a.requester.name },
    { name: 'Requested at', value: a.createdAt },
    { name: 'Expires', value: a.expiresAt },
  ];
  if (a.decidedBy) list.push({ name: a.status === 'rejected' ? 'Rejected by' : 'Approved by', value: a.decidedBy.name });
  if (a.decidedAt) list.push({ name: 'Decided at', value: a.decidedAt });
  if (a.rowsAffected !== undefined) list.push({ name: 'Rows changed', value: String(a.rowsAffected) });
  return list;
}
