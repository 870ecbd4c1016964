import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { USER_MESSAGES } from '../../errors';
import { analyzeSql } from '../../sql';
import { recordAudit } from '../audit';
import { getThreadId, getTurnDeps, principalOf, type AgentGraphShared } from '../deps';
import type { ApprovalRequest } from '../hitl';
import type { AgentStateUpdate, AgentStateValue } from '../state';
import { estimateImpact, MAX_APPROVAL_SQL_CHARS, MAX_REQUEST_SQL_CHARS, needsApprover } from '../../approvals';

/**
 * Task agent, first half: guard → dry run as the requester → approval record. It finishes (and is
 * checkpointed) before `await_decision` interrupts, so a resume never runs it again. What is stored,
 * shown, hashed, counted and later run is the guard's canonical text, never the text as typed.
 */
export function createRequestApprovalNode(shared: AgentGraphShared) {
  return async function request_approval(state: AgentStateValue, config: LangGraphRunnableConfig): Promise<AgentStateUpdate> {
    const { ctx, databricks, hooks, approvals: written } = getTurnDeps(config);
    const threadId = getThreadId(config);
    const intent = state.intent;
    const now = shared.now();
    if (intent?.kind === 'change-without-sql') return { awaiting: null, result: { kind: 'text', text: intent.hint } };
    if (intent?.kind !== 'change') return { awaiting: null, result: { kind: 'text', text: USER_MESSAGES['INPUT.INVALID'] } };
    const sql = intent.sql;
    const refuse = async (reason: string): Promise<AgentStateUpdate> => {
      await recordAudit(shared.audit, ctx, 'write.refused', { outcome: 'refused', threadId, sql: sql.slice(0, MAX_REQUEST_SQL_CHARS), detail: reason }, now);
      return { awaiting: null, result: { kind: 'write-refused', sql, reason } };
    };
    if (sql.length > MAX_REQUEST_SQL_CHARS) return refuse('the statement is too long');
    const { classification, canonical } = analyzeSql(sql);
    if (classification.kind === 'read') return { awaiting: null, result: { kind: 'text', text: USER_MESSAGES['SQL.NOT_A_WRITE'] } };
    if (classification.kind === 'refused' || canonical === undefined) return refuse(classification.kind === 'refused' ? classification.reason : 'it could not be read');
    if (canonical.length > MAX_APPROVAL_SQL_CHARS) {
      return refuse(`it is ${canonical.length} characters long and an approval card shows at most ${MAX_APPROVAL_SQL_CHARS}; send a shorter change`);
    }

    hooks?.onProgress?.('Estimating the impact…');
    const client = databricks(ctx.user);
    let estimate;
    try {
      estimate = await estimateImpact(canonical, client);
    } finally {
      await client.close();
    }
    if (!estimate.ok) return refuse(estimate.error.userMessage);
    const { impact } = estimate;
    const record = await shared.approvals.create({
      threadId,
      conversationId: ctx.conversation.id,
      requester: principalOf(ctx),
      sql: canonical,
      operation: classification.operation,
      targetTables: classification.targetTables,
      impact,
      requiresApprover: needsApprover(impact, shared.settings.approvals.fourEyesRowThreshold),
      ttlMinutes: shared.settings.approvals.ttlMinutes,
    }, now);
    written?.wrote(record);
    await recordAudit(shared.audit, ctx, 'write.requested', {
      outcome: 'ok', threadId, approvalId: record.id, sql: record.sql, detail: `${impact.description}${record.requiresApprover ? '; needs an approver' : ''}`,
    }, now);
    const awaiting: ApprovalRequest = {
      approvalId: record.id,
      sql: record.sql,
      operation: record.operation,
      targetTables: record.targetTables,
      impact: record.impact,
      requiresApprover: record.requiresApprover,
      expiresAt: record.expiresAt,
    };
    return { awaiting, decision: null, requestedWrites: { [record.id]: record.sqlSha256 }, result: { kind: 'approval-requested', approvalId: record.id } };
  };
}
