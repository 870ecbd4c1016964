import { threadIdOf } from '../../../src/context/request-context';
import { AppError, type ErrorCode } from '../../../src/errors';
import { approveThenCrashAfterSubmit, createAgentHarness } from '../../fakes/agent-harness';
import { buildContext, inChatOf, USERS } from '../../fakes/request-contexts';

const DELETE_EAST = 'delete the cancelled orders in East';
const ALICE = `${USERS.alice.tenantId}:${USERS.alice.objectId}`;

async function pendingDelete(h: ReturnType<typeof createAgentHarness>) {
  const result = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, DELETE_EAST);
  if (result.kind !== 'approval-requested') throw new Error(`expected an approval, got ${JSON.stringify(result)}`);
  return result.approval;
}

async function isWaitingAtInterrupt(h: ReturnType<typeof createAgentHarness>, threadId: string, approvalId: string): Promise<boolean> {
  const snapshot = await h.service.graph.getState({ configurable: { thread_id: threadId } });
  return snapshot.tasks.some((t) => t.interrupts.some((i) => (i.value as { approvalId?: string } | undefined)?.approvalId === approvalId));
}

describe('approving when the requester’s sign-in has lapsed', () => {
  it.each<[string, ErrorCode]>([
    ['the refresh token was revoked or expired', 'AUTH.SIGN_IN_REQUIRED'],
    ['Conditional Access now asks for MFA', 'AUTH.INTERACTION_REQUIRED'],
    ['consent was withdrawn', 'AUTH.CONSENT_REQUIRED'],
    ['Entra ID is not answering', 'AUTH.IDENTITY_UNAVAILABLE'],
  ])('when %s, then nothing is claimed or run, the graph stays interrupted and the attempt is audited', async (_why, code) => {
    const h = createAgentHarness();
    const approval = await pendingDelete(h);
    h.databricks.options.tokenError = (who) => (who === ALICE ? new AppError(code) : undefined);

    const result = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve');

    expect(result).toMatchObject({ kind: 'refused', code, approval: { id: approval.id, status: 'pending' } });
    expect((await h.service.getApproval(approval.id))?.status).toBe('pending');
    expect(h.databricks.tokenChecks).toEqual([ALICE]);
    expect(h.databricks.executions).toHaveLength(0);
    expect(await isWaitingAtInterrupt(h, threadIdOf(buildContext(USERS.alice)), approval.id)).toBe(true);
    expect(h.audit.events.at(-1)).toMatchObject({ kind: 'approval.denied', outcome: 'refused', approvalId: approval.id });
    expect(h.audit.events.at(-1)?.detail).toContain(code);
  });

  it('when the requester signs in again and clicks Approve once more, then the change runs exactly once', async () => {
    const h = createAgentHarness();
    const approval = await pendingDelete(h);
    h.databricks.options.tokenError = () => new AppError('AUTH.SIGN_IN_REQUIRED');
    await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve');
    h.databricks.options.tokenError = undefined;

    const result = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve');

    expect(result).toMatchObject({ kind: 'executed', approval: { status: 'executed' } });
    expect(h.databricks.executions).toHaveLength(1);
    expect(h.audit.kinds()).toEqual(['write.requested', 'approval.denied', 'approval.approved', 'write.executed']);
  });

  it('when a change submitted before a crash is settled but the requester’s token is gone, then nothing is resubmitted and it settles once after sign-in', async () => {
    const h = createAgentHarness();
    const approval = await pendingDelete(h);
    await approveThenCrashAfterSubmit(h, approval.id);
    h.databricks.options.tokenError = () => new AppError('AUTH.SIGN_IN_REQUIRED');

    const blocked = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve');
    expect(blocked).toMatchObject({ kind: 'refused', code: 'AUTH.SIGN_IN_REQUIRED', approval: { status: 'executing' } });

    h.databricks.options.tokenError = undefined;
    const settled = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve');
    expect(settled).toMatchObject({ kind: 'executed', approval: { status: 'executed' } });
    expect(h.databricks.executions).toHaveLength(1);
  });

  it('when an approver clicks but the requester’s token is gone, then the request stays pending for both', async () => {
    const h = createAgentHarness({ databricks: { countFor: () => 5000 } });
    const approval = await pendingDelete(h);
    expect(approval.requiresApprover).toBe(true);
    h.databricks.options.tokenError = (who) => (who === ALICE ? new AppError('AUTH.SIGN_IN_REQUIRED') : undefined);

    const result = await h.service.decide(inChatOf(USERS.carol, approval), h.databricks.factory, approval.id, 'approve');

    expect(result).toMatchObject({ kind: 'refused', code: 'AUTH.SIGN_IN_REQUIRED', approval: { status: 'pending' } });
    expect(h.databricks.tokenChecks).toEqual([ALICE]);
    expect(h.databricks.executions).toHaveLength(0);
  });

  it('when the requester rejects, then no token is needed and the rejection goes through', async () => {
    const h = createAgentHarness();
    const approval = await pendingDelete(h);
    h.databricks.options.tokenError = () => new AppError('AUTH.SIGN_IN_REQUIRED');

    const result = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'reject');

    expect(result).toMatchObject({ kind: 'rejected' });
    expect(h.databricks.tokenChecks).toEqual([]);
  });

  it('when a non-requester clicks Approve, then the requester’s token is never fetched for them', async () => {
    const h = createAgentHarness();
    const approval = await pendingDelete(h);

    const result = await h.service.decide(inChatOf(USERS.bob, approval), h.databricks.factory, approval.id, 'approve');

    expect(result).toMatchObject({ kind: 'refused', code: 'APPROVAL.NOT_REQUESTER' });
    expect(h.databricks.tokenChecks).toEqual([]);
  });
});
