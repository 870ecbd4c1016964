import { whoCanApprove } from '../../src/approvals/delivery';
import type { ApprovalRecord, ApprovalStatus } from '../../src/persistence/ports';
import { type AdaptiveCard, expand } from './expand';
import approvalTemplate from './templates/approval.json';
import { dateTimeText, groupDigits } from './format';
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
  approved: { text: 'Running the change…', color: 'Accent' },
  executing: { text: 'Running the change…', color: 'Accent' },
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
  const text = statusText(a, status.text);
  // The unbounded warning already names the approvers group; the note then adds only what it does not say.
  const needsApprover = a.impact.unbounded ? 'The requester cannot approve it alone.' : 'This change needs approval by a member of the approvers group other than the requester.';
  const proposed = input.note ?? (pending && a.requiresApprover ? `${needsApprover} ${whoCanApprove(a.delivery)}`.trim() : '');
  const note = echoes(text, proposed) ? '' : proposed;
  return expand(approvalTemplate, {
    title: `${pending ? 'Approve ' : ''}${a.operation} on ${a.targetTables.join(', ') || 'the table'}${pending ? '?' : ''}`,
    statusText: text,
    statusColor: status.color,
    when: whenLine(a, pending, expired),
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
    const done = a.rowsAffected ?? 0;
    const changed = `Done: ${groupDigits(String(done))} row${done === 1 ? '' : 's'} changed`;
    return a.impact.rows !== null && a.rowsAffected !== a.impact.rows ? `${changed}, not the ${groupDigits(String(a.impact.rows))} approved (recorded in the audit log)` : changed;
  }
  if (a.status === 'failed') return `Failed: ${a.error?.message ?? 'the change did not run'}`;
  return base;
}

/**
 * The one time line a reader needs, in their own locale and zone: when a pending request expires,
 * when an expired one did, or who decided and when. A decided card never leads with its expiry.
 */
function whenLine(a: ApprovalRecord, pending: boolean, expired: boolean): string {
  if (pending) return `Expires ${dateTimeText(a.expiresAt)}`;
  if (expired || a.status === 'expired') return `Since ${dateTimeText(a.expiresAt)}`;
  if (!a.decidedBy) return '';
  const verb = a.status === 'rejected' ? 'Rejected' : 'Approved';
  return `${verb} by ${a.decidedBy.name}${a.decidedAt ? `, ${dateTimeText(a.decidedAt)}` : ''}`;
}

function facts(a: ApprovalRecord): { name: string; value: string }[] {
  const list = [{ name: 'Tables', value: a.targetTables.join(', ') || '—' }];
  // Once executed, the status line gives the rows changed (and the approved count if it differs);
  // the estimate beside it would only say the same number again ("115 rows … 115 rows of …").
  if (a.status !== 'executed') list.push({ name: 'Impact', value: impactText(a) });
  list.push({ name: 'Requested by', value: a.requester.name }, { name: 'Requested at', value: dateTimeText(a.createdAt) });
  // An executed change says its row count in the status line; other states that ran keep it here.
  if (a.rowsAffected !== undefined && a.status !== 'executed') list.push({ name: 'Rows changed', value: groupDigits(String(a.rowsAffected)) });
  return list;
}

/** The impact sentence with its leading count grouped (`5198474 rows of …` → `5,198,474 rows of …`). */
function impactText(a: ApprovalRecord): string {
  const { rows, description } = a.impact;
  return rows !== null && description.startsWith(`${rows} `) ? `${groupDigits(String(rows))}${description.slice(String(rows).length)}` : description;
}

/** True when the note only repeats the status line ("Running the change…" under "Approved, running the change…"). */
function echoes(status: string, note: string): boolean {
  const words = (t: string) => t.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, ' ').split(/\s+/).filter(Boolean).join(' ');
  return note !== '' && words(status).includes(words(note));
}
