import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { hasCode, isErrorCode, type ErrorCode } from '../../errors';
import { sqlMatchesHash } from '../../approvals/rules';
import { samePrincipal } from '../../approvals/who-decides';
import type { ApprovalRecord } from '../../persistence/ports';
import { recordAudit } from '../audit';
import { getThreadId, getTurnDeps, type AgentGraphShared } from '../deps';
import type { AgentStateUpdate, AgentStateValue, TurnOutput } from '../state';
import { recoverExecuting, runApproved, type ExecutionOutcome } from './run-approved';
import { traceExecution } from '../../telemetry/approvals';

type Outcome = Extract<TurnOutput, { kind: 'decision' }>['outcome'];

/**
 * Task agent, second half: checks the decision against the ledger and this thread's own record of
 * what it asked for (approval id and SQL hash), then runs the stored SQL as the requester.
 */
export function createExecuteWriteNode(shared: AgentGraphShared) {
  return async function execute_write(state: AgentStateValue, config: LangGraphRunnableConfig): Promise<AgentStateUpdate> {
    const { ctx, databricks, hooks, approvals: written } = getTurnDeps(config);
    const threadId = getThreadId(config);
    const decision = state.decision;
    const approvalId = decision?.approvalId ?? '';
    const done = (outcome: Outcome, code?: ErrorCode, message?: string): AgentStateUpdate => ({
      decision: null,
      awaiting: state.awaiting?.approvalId === approvalId ? null : state.awaiting,
      result: { kind: 'decision', outcome, approvalId, ...(code ? { code } : {}), ...(message ? { message } : {}) },
    });
    if (!decision) return done('refused', 'APPROVAL.NOT_FOUND');
    const expectedHash = state.requestedWrites[approvalId];
    if (!expectedHash) return done('refused', 'APPROVAL.TAMPERED', 'This conversation never asked for that approval.');
    // The record this call's claim wrote (returned by its own If-Match replace) is the one that was
    // approved, checked below like a read one; a resume after a crash reads the ledger.
    const record = written?.latest(approvalId) ?? (await shared.approvals.get(approvalId));
    if (!record) return done('refused', 'APPROVAL.NOT_FOUND');
    if (record.threadId !== threadId) return done('refused', 'APPROVAL.TAMPERED', 'The approval belongs to another conversation.');
    if (decision.decision === 'reject') return record.status === 'rejected' ? done('rejected') : done('refused', 'APPROVAL.ALREADY_DECIDED');

    const audit = (kind: 'write.executed' | 'write.failed' | 'write.refused' | 'write.impact-mismatch', outcome: 'ok' | 'failed' | 'refused', r: ApprovalRecord, detail?: string) =>
      recordAudit(shared.audit, ctx, kind, {
        outcome, actor: r.requester, threadId, approvalId, sql: r.sql, statementId: r.statementId, rowsAffected: r.rowsAffected, approver: r.decidedBy,
        detail: `${detail ?? ''}${detail ? '; ' : ''}approved by ${r.decidedBy?.name ?? 'unknown'} (${r.decidedBy?.objectId ?? '-'})`,
      }, shared.now());

    if (!sqlMatchesHash(record) || record.sqlSha256 !== expectedHash) {
      if (record.status === 'approved') written?.wrote(await shared.approvals.transition(record, 'failed', { error: { code: 'APPROVAL.TAMPERED', message: 'stored SQL does not match the approved hash' } }));
      await audit('write.refused', 'refused', record, 'stored SQL does not match the hash recorded when it was requested');
      return done('refused', 'APPROVAL.TAMPERED');
    }
    if (record.status === 'executed') return done('executed');
    if (record.status === 'failed') return done('failed', toCode(record.error?.code), record.error?.message);
    if (record.status !== 'approved' && record.status !== 'executing') return done('refused', 'APPROVAL.ALREADY_DECIDED');
    if (!samePrincipal(record.decidedBy, decision.decidedBy)) {
      return done('refused', 'APPROVAL.ALREADY_DECIDED');
    }

    hooks?.onProgress?.('Running the change…');
    const client = databricks(record.requester);
    let outcome: ExecutionOutcome;
    try {
      outcome = await traceExecution(() => (record.status === 'executing' ? recoverExecuting(shared.approvals, record, client) : runApproved(shared.approvals, record, client)));
    } catch (error) {
      if (!hasCode(error, 'STORAGE.CONFLICT')) throw error;
      const latest = await shared.approvals.get(approvalId);
      return latest?.status === 'executed' ? done('executed') : done('refused', 'APPROVAL.ALREADY_DECIDED');
    } finally {
      await client.close();
    }
    if (outcome.record.status !== 'executing') written?.wrote(outcome.record); // executed/failed: returned by our own transition
    if (outcome.kind === 'executed') {
      await audit('write.executed', 'ok', outcome.record);
      const approvedRows = outcome.record.impact.rows;
      if (approvedRows !== null && outcome.record.rowsAffected !== approvedRows) {
        await audit('write.impact-mismatch', 'failed', outcome.record, `${outcome.record.rowsAffected ?? 'unknown'} rows changed, ${approvedRows} approved`);
      }
      return done('executed');
    }
    await audit('write.failed', 'failed', outcome.record, `${outcome.code}: ${outcome.message}`);
    return done('failed', outcome.code, outcome.message);
  };
}

function toCode(code: string | undefined): ErrorCode {
  return isErrorCode(code) ? code : 'DATABRICKS.QUERY_FAILED';
}
