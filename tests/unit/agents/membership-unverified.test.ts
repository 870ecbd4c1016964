import { AppError } from '../../../src/errors';
import { createAgentHarness } from '../../fakes/agent-harness';
import { buildContext, inChatOf, USERS } from '../../fakes/request-contexts';

async function requestLargeDelete(h: ReturnType<typeof createAgentHarness>) {
  const result = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, 'delete the cancelled orders in East');
  if (result.kind !== 'approval-requested') throw new Error(`expected an approval, got ${JSON.stringify(result)}`);
  expect(result.approval.requiresApprover).toBe(true);
  return result.approval;
}

const unverified = () =>
  new AppError('APPROVAL.MEMBERSHIP_UNVERIFIED', 'Graph answered 503', { details: { reason: 'DIRECTORY.UNAVAILABLE', status: 503, graphCode: 'serviceNotAvailable' } });

describe('four-eyes decision when membership cannot be verified', () => {
  it('when the approver check cannot verify carol, then her click is refused, audited with the reason, nothing is claimed or run, and a later click runs it once', async () => {
    const h = createAgentHarness({ databricks: { countFor: () => 5000 } });
    const approval = await requestLargeDelete(h);
    h.isApprover.mockRejectedValueOnce(unverified());

    const refused = await h.service.decide(inChatOf(USERS.carol, approval), h.databricks.factory, approval.id, 'approve');
    expect(refused).toMatchObject({ kind: 'refused', code: 'APPROVAL.MEMBERSHIP_UNVERIFIED' });
    expect(h.approvals.records.get(approval.id)?.status).toBe('pending');
    expect(h.databricks.executions).toHaveLength(0);
    const denied = h.audit.events.filter((e) => e.kind === 'approval.denied');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ userObjectId: USERS.carol.objectId, outcome: 'refused', approvalId: approval.id });
    expect(denied[0]?.detail).toMatch(/^approve: APPROVAL\.MEMBERSHIP_UNVERIFIED \(DIRECTORY\.UNAVAILABLE 503 serviceNotAvailable; /);

    const decided = await h.service.decide(inChatOf(USERS.carol, approval), h.databricks.factory, approval.id, 'approve');
    expect(decided).toMatchObject({ kind: 'executed' });
    expect(h.databricks.executions).toHaveLength(1);
  });

  it('when the approver check fails with something other than an unverified membership, then the decision fails and nothing is claimed', async () => {
    const h = createAgentHarness({ databricks: { countFor: () => 5000 } });
    const approval = await requestLargeDelete(h);
    h.isApprover.mockRejectedValueOnce(new Error('bug'));
    await expect(h.service.decide(inChatOf(USERS.carol, approval), h.databricks.factory, approval.id, 'approve')).rejects.toThrow('bug');
    expect(h.approvals.records.get(approval.id)?.status).toBe('pending');
    expect(h.databricks.executions).toHaveLength(0);
  });

  it('when the requester rejects their own large change, then no membership is asked', async () => {
    const h = createAgentHarness({ databricks: { countFor: () => 5000 } });
    const approval = await requestLargeDelete(h);
    expect(await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'reject')).toMatchObject({ kind: 'rejected' });
    expect(h.isApprover).not.toHaveBeenCalled();
  });
});
