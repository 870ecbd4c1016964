import { interrupt } from '@langchain/langgraph';
import { AppError } from '../../errors';
import type { ApprovalDecision, ApprovalRequest } from '../hitl';
import type { AgentStateUpdate, AgentStateValue } from '../state';

/** Task agent, the pause: nothing before `interrupt()` has side effects, so re-running it is harmless. */
export function await_decision(state: AgentStateValue): AgentStateUpdate {
  const request = state.awaiting;
  if (!request) throw new AppError('INTERNAL.UNEXPECTED', 'await_decision reached without a pending approval.');
  const decision = interrupt<ApprovalRequest, ApprovalDecision>(request);
  if (decision.approvalId !== request.approvalId) {
    return {
      decision: null,
      result: { kind: 'decision', outcome: 'refused', approvalId: decision.approvalId, code: 'APPROVAL.TAMPERED', message: 'The decision names a different approval.' },
    };
  }
  return { decision };
}
