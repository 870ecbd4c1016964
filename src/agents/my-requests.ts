/**
 * `requests` (issue 17 item 7): a person's own change requests, newest first, and, for a verified
 * member of the approvers group, the four-eyes requests of others waiting for a decision. Who is
 * asking comes from the validated activity (`ctx`); approver membership is asked of Microsoft Graph
 * (`isApprover`, failing closed) at every listing, never read from a card or remembered. Records are
 * read from the ledger by the ids the index lists (`src/persistence/approval-index.ts`), so statuses
 * are always the ledger's. Older pages of one's own requests start after a cursor from a card
 * (`requests-cursor.ts`) but are read from the caller's own requester partition only.
 */
import type { RequestContext } from '../context/request-context';
import { hasCode } from '../errors';
import { effectiveStatus } from '../approvals/rules';
import { isRequester } from '../approvals/who-decides';
import type { ApprovalIndex } from '../persistence/approval-index';
import type { IndexCursor } from '../persistence/keyset-page';
import type { ApprovalRecord, ApprovalsRepository, AuditLog } from '../persistence/ports';
import { recordAudit } from './audit';
import { principalOf, type IsApprover } from './deps';

/** How many of one's own requests a listing shows. */
export const MY_REQUESTS_PAGE = 10;
/** How many of the tenant's newest four-eyes requests are looked at for "waiting for you" (older ones have expired). */
export const AWAITING_SCAN = 50;

export interface MyRequestsDeps {
  approvals: ApprovalsRepository;
  index: ApprovalIndex;
  isApprover: IsApprover;
  audit: AuditLog;
  now: () => Date;
}

/** A page of one's own requests, newest first. */
export interface MyRequestsPage {
  mine: ApprovalRecord[];
  /** Where the next (older) page starts, when there are older requests than the page shows. */
  older: IndexCursor | undefined;
}

export interface MyRequests extends MyRequestsPage {
  /** `member`: verified in the approvers group; `not-member`; `unverified`: Graph could not say (nothing waiting is shown). */
  approver: 'member' | 'not-member' | 'unverified';
  awaiting: ApprovalRecord[];
}

/** The records of `ids` in that order; ids whose record does not exist are skipped. */
async function readInOrder(approvals: ApprovalsRepository, ids: string[]): Promise<ApprovalRecord[]> {
  const records = await Promise.all(ids.map((id) => approvals.get(id)));
  return records.filter((r): r is ApprovalRecord => r !== undefined);
}

/** The records of `ids`, newest first. */
async function readNewestFirst(approvals: ApprovalsRepository, ids: string[]): Promise<ApprovalRecord[]> {
  return (await readInOrder(approvals, ids)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

async function approverStatus(deps: MyRequestsDeps, ctx: RequestContext): Promise<MyRequests['approver']> {
  try {
    return (await deps.isApprover(principalOf(ctx))) ? 'member' : 'not-member';
  } catch (error) {
    if (!hasCode(error, 'APPROVAL.MEMBERSHIP_UNVERIFIED')) throw error;
    ctx.logger.warn({ err: error }, 'approvers-group membership could not be verified; waiting requests are not listed');
    return 'unverified';
  }
}

/** One page of the caller's own requests, the newest or those older than `before`; the partition is the caller's (`ctx`). */
async function myPage(deps: Pick<MyRequestsDeps, 'approvals' | 'index'>, ctx: RequestContext, before: IndexCursor | undefined): Promise<MyRequestsPage> {
  const { tenantId, objectId } = ctx.user;
  const page = await deps.index.byRequester(tenantId, objectId, MY_REQUESTS_PAGE, before);
  const mine = (await readInOrder(deps.approvals, page.approvalIds)).filter((r) => isRequester(r, principalOf(ctx)));
  return { mine, older: page.next };
}

export async function listMyRequests(deps: MyRequestsDeps, ctx: RequestContext): Promise<MyRequests> {
  const { tenantId } = ctx.user;
  const { mine, older } = await myPage(deps, ctx, undefined);
  const approver = await approverStatus(deps, ctx);
  let awaiting: ApprovalRecord[] = [];
  if (approver === 'member') {
    const now = deps.now();
    const candidates = await deps.index.fourEyes(tenantId, AWAITING_SCAN);
    awaiting = (await readNewestFirst(deps.approvals, candidates.approvalIds)).filter(
      (r) => r.requiresApprover && r.requester.tenantId === tenantId && !isRequester(r, principalOf(ctx)) && effectiveStatus(r, now) === 'pending',
    );
  }
  ctx.logger.info({ mine: mine.length, awaiting: awaiting.length, approver }, 'requests listed');
  return { mine, older, approver, awaiting };
}

/**
 * "Show older requests": the caller's own requests older than `before` (a cursor from card data,
 * already validated). Whoever clicks, and whatever the cursor, only the caller's partition is read.
 */
export async function listOlderRequests(deps: Pick<MyRequestsDeps, 'approvals' | 'index'>, ctx: RequestContext, before: IndexCursor): Promise<MyRequestsPage> {
  const page = await myPage(deps, ctx, before);
  ctx.logger.info({ mine: page.mine.length, more: page.older !== undefined }, 'older requests listed');
  return page;
}

/**
 * Records that a waiting request's card was shown to a verified approver in this conversation, so the
 * card there may be used (scope) and is updated with the decision. Only for records `listMyRequests`
 * returned as awaiting this caller.
 */
export async function auditListedCopy(deps: Pick<MyRequestsDeps, 'audit' | 'now'>, ctx: RequestContext, record: ApprovalRecord, activityId: string): Promise<void> {
  await recordAudit(deps.audit, ctx, 'approval.delivered', {
    outcome: 'ok', approvalId: record.id, threadId: record.threadId, activityId, approver: principalOf(ctx), detail: 'card shown in a requests list',
  }, deps.now());
}
