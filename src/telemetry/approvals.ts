/**
 * An approval on the trace: `approval.decide` (the click: checks, claim, resume of the requester's
 * thread) with `approval.execute` (the approved change run as the requester) inside it. Both carry
 * the outcome and the number of rows changed, never the statement.
 */
import type { AgentService } from '../agents/ports';
import { ATTR } from './attributes';
import { traced } from './trace';

export function traceAgentService<T extends AgentService>(service: T): T {
  const decide: AgentService['decide'] = (ctx, databricks, approvalId, decision, hooks) =>
    traced('approval.decide', { [ATTR.approvalDecision]: decision }, async (span) => {
      const result = await service.decide(ctx, databricks, approvalId, decision, hooks);
      span.setAttribute(ATTR.approvalOutcome, result.kind);
      if (result.kind === 'refused' || result.kind === 'failed') span.setAttribute(ATTR.errorType, result.code);
      const rows = result.kind === 'executed' ? result.approval.rowsAffected : undefined;
      if (rows !== undefined) span.setAttribute(ATTR.rowsChanged, rows);
      return result;
    });
  return { ...service, decide };
}

type Outcome = { kind: 'executed'; record: { rowsAffected: number | undefined } } | { kind: 'failed'; code: string };

/** Wraps the run of an approved change (`runApproved`, or `recoverExecuting` after a crash). */
export function traceExecution<T extends Outcome>(run: () => Promise<T>): Promise<T> {
  return traced('approval.execute', {}, async (span) => {
    const outcome = await run();
    span.setAttribute(ATTR.approvalOutcome, outcome.kind);
    if (outcome.kind === 'failed') span.setAttribute(ATTR.errorType, outcome.code);
    if (outcome.kind === 'executed' && outcome.record.rowsAffected !== undefined) span.setAttribute(ATTR.rowsChanged, outcome.record.rowsAffected);
    return outcome;
  });
}
