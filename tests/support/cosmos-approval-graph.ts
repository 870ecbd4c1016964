import { Annotation, Command, END, START, StateGraph, interrupt, type BaseCheckpointSaver } from '@langchain/langgraph';
import type { ApprovalsRepository, AuditLog, NewApproval } from '../../src/persistence/ports';

/**
 * A small real LangGraph graph used by the persistence tests: `propose` records a pending approval,
 * `decide` interrupts until a person answers, `execute` walks the ledger to `executed`.
 */
export interface Decision {
  approve: boolean;
  by: string;
}

const State = Annotation.Root({
  sql: Annotation<string>(),
  payload: Annotation<string>({ reducer: (_old, next) => next, default: () => '' }),
  approvalId: Annotation<string | undefined>({ reducer: (_old, next) => next, default: () => undefined }),
  outcome: Annotation<string | undefined>({ reducer: (_old, next) => next, default: () => undefined }),
});

export type ApprovalGraphState = typeof State.State;

export const REQUESTER = { tenantId: 't-1', objectId: 'alice', name: 'Alice' };

export function newApprovalFor(sql: string, threadId: string): NewApproval {
  return {
    threadId,
    conversationId: 'conv-1',
    requester: REQUESTER,
    sql,
    operation: 'UPDATE',
    targetTables: ['main.sales.orders'],
    impact: { rows: 3, description: '3 rows', unbounded: false },
    requiresApprover: false,
    ttlMinutes: 30,
  };
}

function auditOf(kind: 'write.requested' | 'approval.approved' | 'approval.rejected' | 'write.executed', threadId: string, approvalId: string) {
  return {
    kind, at: new Date().toISOString(), tenantId: REQUESTER.tenantId, userObjectId: REQUESTER.objectId, userName: REQUESTER.name,
    correlationId: `corr-${kind}`, threadId, approvalId, sql: undefined, genie: undefined, statementId: undefined,
    rowsAffected: undefined, outcome: 'ok' as const, detail: undefined,
  };
}

export function buildApprovalGraph(deps: { approvals: ApprovalsRepository; audit: AuditLog; checkpointer: BaseCheckpointSaver; threadId: string }) {
  return new StateGraph(State)
    .addNode('propose', async (state: ApprovalGraphState) => {
      if (state.approvalId) return {};
      const record = await deps.approvals.create(newApprovalFor(state.sql, deps.threadId));
      await deps.audit.append(auditOf('write.requested', deps.threadId, record.id));
      return { approvalId: record.id };
    })
    .addNode('decide', async (state: ApprovalGraphState) => {
      const decision = interrupt<{ approvalId: string | undefined }, Decision>({ approvalId: state.approvalId });
      const current = await deps.approvals.get(state.approvalId ?? '');
      if (!current) return { outcome: 'missing' };
      if (current.status !== 'pending') return { outcome: current.status };
      const decided = await deps.approvals.transition(current, decision.approve ? 'approved' : 'rejected', {
        decidedBy: { tenantId: REQUESTER.tenantId, objectId: decision.by, name: decision.by },
        decidedAt: new Date().toISOString(),
      });
      await deps.audit.append(auditOf(decision.approve ? 'approval.approved' : 'approval.rejected', deps.threadId, decided.id));
      return { outcome: decided.status };
    })
    .addNode('execute', async (state: ApprovalGraphState) => {
      const approved = await deps.approvals.get(state.approvalId ?? '');
      if (!approved || approved.status !== 'approved') return {};
      const executing = await deps.approvals.transition(approved, 'executing', { statementId: 'stmt-1' });
      const executed = await deps.approvals.transition(executing, 'executed', { rowsAffected: 3 });
      await deps.audit.append(auditOf('write.executed', deps.threadId, executed.id));
      return { outcome: executed.status };
    })
    .addEdge(START, 'propose')
    .addEdge('propose', 'decide')
    .addConditionalEdges('decide', (state: ApprovalGraphState) => (state.outcome === 'approved' ? 'execute' : END), ['execute', END])
    .addEdge('execute', END)
    .compile({ checkpointer: deps.checkpointer });
}

export { Command };
