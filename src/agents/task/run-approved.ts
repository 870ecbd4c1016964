/**
 * Runs an approved write exactly once, keyed by the approvals ledger: approved → executing (ETag:
 * one winner), submit as the requester with the statement id recorded before the result is
 * awaited, then executed/failed. A record found in `executing` is never submitted again: its
 * statement id is looked up instead, and without one the outcome is reported as unknown.
 */
import { AppError, hasCode, toAppError, type ErrorCode } from '../../errors';
import type { ApprovalRecord, ApprovalsRepository } from '../../persistence/ports';
import type { StatementState } from '../../databricks/types';
import type { UserDatabricks } from '../ports';
import { recheckBeforeRun } from '../../approvals';

export type ExecutionOutcome =
  | { kind: 'executed'; record: ApprovalRecord }
  | { kind: 'failed'; record: ApprovalRecord; code: ErrorCode; message: string };

const FINAL_FAILURE: readonly StatementState[] = ['FAILED', 'CANCELED', 'CLOSED'];
const RECOVERY_POLLS = 3;
const RECOVERY_POLL_MS = 500;

async function fail(approvals: ApprovalsRepository, record: ApprovalRecord, error: AppError): Promise<ExecutionOutcome> {
  const failed = await approvals.transition(record, 'failed', { error: { code: error.code, message: error.userMessage } });
  return { kind: 'failed', record: failed, code: error.code, message: error.userMessage };
}

function unknownOutcome(record: ApprovalRecord): ExecutionOutcome {
  const error = new AppError('APPROVAL.OUTCOME_UNKNOWN');
  return { kind: 'failed', record, code: error.code, message: error.userMessage };
}

/** Settles a record left in `executing` from its statement id, without submitting anything. */
export async function recoverExecuting(approvals: ApprovalsRepository, record: ApprovalRecord, client: UserDatabricks, sleep = defaultSleep): Promise<ExecutionOutcome> {
  if (!record.statementId) return fail(approvals, record, new AppError('APPROVAL.OUTCOME_UNKNOWN', 'executing without a recorded statement id'));
  for (let attempt = 0; attempt < RECOVERY_POLLS; attempt += 1) {
    const status = await client.sql().statementStatus(record.statementId);
    if (status.state === 'SUCCEEDED') {
      const done = await approvals.transition(record, 'executed', { rowsAffected: status.rowsAffected ?? 0 });
      return { kind: 'executed', record: done };
    }
    if (FINAL_FAILURE.includes(status.state)) {
      const code = status.state === 'CANCELED' ? 'DATABRICKS.CANCELED' : 'DATABRICKS.QUERY_FAILED';
      return fail(approvals, record, new AppError(code, `statement ${record.statementId} ended ${status.state}`));
    }
    if (attempt < RECOVERY_POLLS - 1) await sleep(RECOVERY_POLL_MS);
  }
  return unknownOutcome(record);
}

/** Re-checks (guard and count, as the requester), claims, submits with the statement id recorded, settles. */
export async function runApproved(approvals: ApprovalsRepository, approved: ApprovalRecord, client: UserDatabricks): Promise<ExecutionOutcome> {
  const recheck = await recheckBeforeRun(approved, client);
  if (!recheck.ok) return fail(approvals, approved, recheck.error);
  let current = await approvals.transition(approved, 'executing');
  let submittedId: string | undefined;
  let result;
  try {
    result = await client.sql().execute(current.sql, undefined, {
      onSubmitted: async (statementId) => {
        submittedId = statementId;
        current = await approvals.update(current, { statementId });
      },
    });
  } catch (error) {
    const appError = toAppError(error);
    if (submittedId === undefined) return fail(approvals, current, appError);
    if (current.statementId === undefined) current = { ...current, statementId: submittedId };
    if (hasCode(appError, 'DATABRICKS.PERMISSION_DENIED') || hasCode(appError, 'DATABRICKS.SYNTAX') || hasCode(appError, 'DATABRICKS.TABLE_NOT_FOUND') || hasCode(appError, 'DATABRICKS.QUERY_FAILED')) {
      return fail(approvals, current, appError);
    }
    return recoverExecuting(approvals, current, client);
  }
  const done = await approvals.transition(current, 'executed', { rowsAffected: result.rowsAffected, statementId: result.statementId });
  return { kind: 'executed', record: done };
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
