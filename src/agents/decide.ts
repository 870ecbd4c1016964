/**
 * The approval click: authorise the caller against the ledger (`src/approvals/who-decides.ts`),
 * claim the pending record once (ETag), then resume the requester's thread. Every attempt is audited, refusals included.
 */
import { Command } from '@langchain/langgraph';
import type { RequestContext } from '../context/request-context';
import { AppError, hasCode, toAppError, type ErrorCode } from '../errors';
import { effectiveStatus, sqlMatchesHash } from '../approvals/rules';
import { decisionRefusal, mayCarryOn } from '../approvals/who-decides';
import type { ApprovalRecord } from '../persistence/ports';
import { recordAudit } from './audit';
import { principalOf, type AgentGraphShared, type IsApprover, type TurnDeps } from './deps';
import type { ApprovalDecision, ApprovalRequest } from './hitl';
import type { DecisionResult, UserDatabricksFactory } from './ports';
import { runConfig } from './run-config';
import type { TurnApprovals } from './turn-approvals';
import type { AgentGraph } from './supervisor/graph';

export interface DecideDeps extends AgentGraphShared {
  graph: AgentGraph;
  isApprover: IsApprover;
}

/** The audit's reason for an unverified membership: the underlying code and what failed (status, Graph code). */
function membershipFailure(error: unknown): string {
  const { details, message } = toAppError(error);
  const facts = [details.reason, details.status, details.graphCode, details.failure].filter((x) => x !== undefined).join(' ');
  return `${facts}; ${message}`.slice(0, 500);
}

/**
 * The SQL runs as the requester: their Databricks token is obtained before anything is claimed, so a
 * sign-in that has lapsed (refresh token expired or revoked, MFA, consent) leaves the request pending
 * and the graph interrupted. Returns the `AUTH.*` code, or undefined when the token is at hand.
 */
async function requesterTokenProblem(databricks: UserDatabricksFactory, record: ApprovalRecord): Promise<ErrorCode | undefined> {
  const client = databricks(record.requester);
  try {
    await client.ensureToken();
    return undefined;
  } catch (error) {
    const appError = toAppError(error);
    if (appError.code.startsWith('AUTH.')) return appError.code;
    throw appError;
  } finally {
    await client.close();
  }
}

/** What the caller already has: the record it read before taking the lease, and where this call keeps the records it writes. */
export interface ClaimInputs {
  read?: ApprovalRecord | undefined;
  written?: TurnApprovals | undefined;
}

/**
 * Checks and claims; returns the claimed record or the refusal code. Call it under the thread lease.
 * A `pending` record read before the lease is used as is (no second read): the claim is an If-Match
 * replace on its ETag, so if anything changed it since, the claim fails and the click is refused as
 * already decided. Any other status is read again under the lease (carrying on after a crash must
 * see the newest state). The claimed record, returned by our own replace, is kept in `written`.
 */
export async function claimDecision(
  deps: DecideDeps, ctx: RequestContext, approvalId: string, decision: 'approve' | 'reject', databricks: UserDatabricksFactory, inputs: ClaimInputs = {},
): Promise<{ ok: true; record: ApprovalRecord; recovery: boolean } | { ok: false; record: ApprovalRecord | undefined; code: ErrorCode }> {
  const caller = principalOf(ctx);
  const now = deps.now();
  const deny = async (code: ErrorCode, record: ApprovalRecord | undefined, why?: string) => {
    const detail = `${decision}: ${code}${why ? ` (${why})` : ''}`;
    await recordAudit(deps.audit, ctx, 'approval.denied', { outcome: 'refused', approvalId, threadId: record?.threadId, detail, approver: caller }, now);
    return { ok: false as const, record, code };
  };
  const record = inputs.read?.id === approvalId && inputs.read.status === 'pending' ? inputs.read : await deps.approvals.get(approvalId);
  if (!record) return deny('APPROVAL.NOT_FOUND', undefined);
  let refusal: ErrorCode | undefined;
  try {
    refusal = await decisionRefusal(record, caller, decision, () => deps.isApprover(caller));
  } catch (error) {
    if (!hasCode(error, 'APPROVAL.MEMBERSHIP_UNVERIFIED')) throw error;
    ctx.logger.warn({ err: error, approvalId }, 'approvers-group membership could not be verified; the click is refused');
    return deny('APPROVAL.MEMBERSHIP_UNVERIFIED', record, membershipFailure(error));
  }
  if (refusal) return deny(refusal, record);
  if (!sqlMatchesHash(record)) return deny('APPROVAL.TAMPERED', record);
  const status = effectiveStatus(record, now);
  if (status === 'expired') {
    let current = record;
    if (record.status === 'pending') {
      current = await deps.approvals.transition(record, 'expired').catch(async (e: unknown) => {
        if (hasCode(e, 'STORAGE.CONFLICT')) return (await deps.approvals.get(approvalId)) ?? record;
        throw e;
      });
      await recordAudit(deps.audit, ctx, 'approval.expired', { outcome: 'refused', approvalId, threadId: record.threadId }, now);
    }
    return deny('APPROVAL.EXPIRED', current);
  }
  const mayRecover = mayCarryOn(record, status, caller, decision);
  if (!mayRecover && status !== 'pending') return deny('APPROVAL.ALREADY_DECIDED', record);
  if (decision === 'approve') {
    const tokenProblem = await requesterTokenProblem(databricks, record);
    if (tokenProblem) return deny(tokenProblem, record, "no Databricks token for the requester; the request stays pending");
  }
  if (mayRecover) return { ok: true, record, recovery: true };
  try {
    const claimed = await deps.approvals.transition(record, decision === 'approve' ? 'approved' : 'rejected', { decidedBy: caller, decidedAt: now.toISOString() });
    await recordAudit(deps.audit, ctx, decision === 'approve' ? 'approval.approved' : 'approval.rejected', {
      outcome: 'ok', approvalId, threadId: record.threadId, sql: record.sql, approver: caller, detail: `requested by ${record.requester.name} (${record.requester.objectId})`,
    }, now);
    inputs.written?.wrote(claimed);
    return { ok: true, record: claimed, recovery: false };
  } catch (error) {
    if (hasCode(error, 'STORAGE.CONFLICT')) return deny('APPROVAL.ALREADY_DECIDED', (await deps.approvals.get(approvalId)) ?? record);
    throw error;
  }
}

/** The ledger status that goes with each settled outcome of the resumed thread. */
const SETTLED: Partial<Record<string, ApprovalRecord['status']>> = { executed: 'executed', rejected: 'rejected', failed: 'failed' };

/** Resumes the requester's thread with the decision: at the interrupt, after a crash, or past a superseded interrupt. */
export async function resumeThread(deps: DecideDeps, record: ApprovalRecord, decision: ApprovalDecision, turn: TurnDeps): Promise<DecisionResult> {
  const config = runConfig(record.threadId, turn);
  const snapshot = await deps.graph.getState(config);
  const waiting = snapshot.tasks.some((t) => t.interrupts.some((i) => (i.value as ApprovalRequest | undefined)?.approvalId === record.id));
  const crashedInExecute = snapshot.next.includes('execute_write') && (snapshot.values as { decision?: ApprovalDecision | null }).decision?.approvalId === record.id;
  let state;
  if (waiting) state = await deps.graph.invoke(new Command({ resume: decision }), config);
  else if (crashedInExecute) state = await deps.graph.invoke(null, config);
  else state = await deps.graph.invoke({ decision, input: null, intent: null, result: null }, config);
  const result = state.result;
  if (!result || result.kind !== 'decision') throw new AppError('INTERNAL.UNEXPECTED', 'The resumed thread produced no decision outcome.');
  // A settled outcome comes with the record this call wrote last (our own If-Match replace); anything else is read.
  const written = turn.approvals?.latest(record.id);
  const settled = written !== undefined && SETTLED[result.outcome] === written.status;
  const approval = settled ? written : ((await deps.approvals.get(record.id)) ?? record);
  switch (result.outcome) {
    case 'executed':
      return { kind: 'executed', approval };
    case 'rejected':
      return { kind: 'rejected', approval };
    case 'failed': {
      const code = result.code ?? 'DATABRICKS.QUERY_FAILED';
      return { kind: 'failed', approval, code, message: result.message ?? new AppError(code).userMessage };
    }
    case 'refused':
      return { kind: 'refused', approval, code: result.code ?? 'APPROVAL.ALREADY_DECIDED' };
  }
}
