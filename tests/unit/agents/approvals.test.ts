import { Command } from '@langchain/langgraph';
import { threadIdOf } from '../../../src/context/request-context';
import { sha256Hex } from '../../../src/approvals/rules';
import { createAgentHarness } from '../../fakes/agent-harness';
import { buildContext, inChatOf, USERS } from '../../fakes/request-contexts';

const DELETE_EAST = 'delete the cancelled orders in East';
const DELETE_EAST_SQL = "DELETE FROM main.retail.orders WHERE status = 'cancelled' AND region = 'East'";

async function requestDelete(h: ReturnType<typeof createAgentHarness>, text = DELETE_EAST) {
  const result = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, text);
  if (result.kind !== 'approval-requested') throw new Error(`expected an approval, got ${JSON.stringify(result)}`);
  return result.approval;
}

describe('task agent and approvals', () => {
  it('when a user asks to delete rows, then Genie is never called and a pending approval shows the SQL and the dry-run impact', async () => {
    const h = createAgentHarness({ databricks: { countFor: () => 42 } });
    const approval = await requestDelete(h);
    expect(h.databricks.genieCalls).toHaveLength(0);
    expect(h.databricks.queries).toEqual([{ user: `${USERS.alice.tenantId}:${USERS.alice.objectId}`, sql: `SELECT COUNT(*) FROM main.retail.orders WHERE status = 'cancelled' AND region = 'East'` }]);
    expect(approval).toMatchObject({
      status: 'pending', sql: DELETE_EAST_SQL, operation: 'DELETE', targetTables: ['main.retail.orders'],
      impact: { rows: 42, unbounded: false }, requiresApprover: false,
      requester: { objectId: USERS.alice.objectId, name: 'Alice Wong' }, threadId: threadIdOf(buildContext(USERS.alice)),
    });
    expect(approval.interruptId).toEqual(expect.any(String));
    expect(h.databricks.executions).toHaveLength(0);
    expect(h.audit.kinds()).toEqual(['write.requested']);
  });

  it('when the requester approves, then the stored SQL runs once as the requester and the ledger says executed', async () => {
    const h = createAgentHarness({ databricks: { countFor: () => 42 } });
    const approval = await requestDelete(h);
    const progress: string[] = [];
    const result = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve', { onProgress: (t) => progress.push(t) });
    expect(result).toMatchObject({ kind: 'executed', approval: { status: 'executed', rowsAffected: 42, statementId: 'stmt-1', decidedBy: { objectId: USERS.alice.objectId } } });
    expect(h.databricks.executions).toEqual([{ user: `${USERS.alice.tenantId}:${USERS.alice.objectId}`, sql: DELETE_EAST_SQL, statementId: 'stmt-1' }]);
    expect(progress).toContain('Running the change…');
    expect(h.audit.kinds()).toEqual(['write.requested', 'approval.approved', 'write.executed']);
    expect(h.audit.events.at(-1)).toMatchObject({ statementId: 'stmt-1', rowsAffected: 42, sql: DELETE_EAST_SQL, userObjectId: USERS.alice.objectId });
  });

  it('when the approval is clicked twice or the thread is resumed again, then the SQL still runs exactly once', async () => {
    // The second click waits for the first run's thread lease (production waits 20 s); with the harness's
    // 200 ms it got THREAD.BUSY instead whenever the first run was slow (a loaded CI machine).
    const h = createAgentHarness({ leaseWaitMs: 20_000 });
    const approval = await requestDelete(h);
    const ctx = buildContext(USERS.alice);
    const [first, second] = await Promise.all([
      h.service.decide(ctx, h.databricks.factory, approval.id, 'approve'),
      h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve'),
    ]);
    expect([first.kind, second.kind].sort()).toEqual(['executed', 'refused']);
    expect([first, second].find((r) => r.kind === 'refused')).toMatchObject({ code: 'APPROVAL.ALREADY_DECIDED' });
    const third = await h.service.decide(ctx, h.databricks.factory, approval.id, 'reject');
    expect(third).toMatchObject({ kind: 'refused', code: 'APPROVAL.ALREADY_DECIDED' });
    const config = { configurable: { thread_id: approval.threadId, turn: { ctx, databricks: h.databricks.factory, hooks: undefined } } };
    await h.service.graph.invoke(new Command({ resume: { approvalId: approval.id, decision: 'approve', decidedBy: { tenantId: USERS.alice.tenantId, objectId: USERS.alice.objectId, name: 'Alice Wong' } } }), config);
    expect(h.databricks.executions).toHaveLength(1);
  });

  it('when the requester rejects, then nothing runs and the rejection is audited', async () => {
    const h = createAgentHarness();
    const approval = await requestDelete(h);
    const result = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'reject');
    expect(result).toMatchObject({ kind: 'rejected', approval: { status: 'rejected' } });
    expect(h.databricks.executions).toHaveLength(0);
    expect(h.audit.kinds()).toEqual(['write.requested', 'approval.rejected']);
    const again = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve');
    expect(again).toMatchObject({ kind: 'refused', code: 'APPROVAL.ALREADY_DECIDED' });
    expect(h.databricks.executions).toHaveLength(0);
  });

  it('when someone other than the requester clicks Approve on a small change, then it is refused and audited', async () => {
    const h = createAgentHarness();
    const approval = await requestDelete(h);
    const result = await h.service.decide(inChatOf(USERS.bob, approval), h.databricks.factory, approval.id, 'approve');
    expect(result).toMatchObject({ kind: 'refused', code: 'APPROVAL.NOT_REQUESTER' });
    expect(h.audit.events.at(-1)).toMatchObject({ kind: 'approval.denied', outcome: 'refused', userObjectId: USERS.bob.objectId, approvalId: approval.id });
    expect(h.approvals.records.get(approval.id)?.status).toBe('pending');
  });

  it('when a change touches more rows than the threshold, then only an approver other than the requester can approve, and it runs as the requester', async () => {
    const h = createAgentHarness({ databricks: { countFor: () => 5000 }, fourEyesRowThreshold: 1000 });
    const approval = await requestDelete(h);
    expect(approval.requiresApprover).toBe(true);
    expect(await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve')).toMatchObject({ kind: 'refused', code: 'APPROVAL.APPROVER_REQUIRED' });
    expect(await h.service.decide(inChatOf(USERS.bob, approval), h.databricks.factory, approval.id, 'approve')).toMatchObject({ kind: 'refused', code: 'APPROVAL.APPROVER_REQUIRED' });
    expect(h.databricks.executions).toHaveLength(0);
    const result = await h.service.decide(inChatOf(USERS.carol, approval), h.databricks.factory, approval.id, 'approve');
    expect(result).toMatchObject({ kind: 'executed', approval: { decidedBy: { objectId: USERS.carol.objectId } } });
    expect(h.databricks.executions.map((e) => e.user)).toEqual([`${USERS.alice.tenantId}:${USERS.alice.objectId}`]);
  });

  it('when an approver is also the requester of a large change, then they still cannot approve it themselves', async () => {
    const h = createAgentHarness({ databricks: { countFor: () => 5000 }, approvers: [USERS.alice.objectId, USERS.carol.objectId] });
    const approval = await requestDelete(h);
    expect(await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve')).toMatchObject({ kind: 'refused', code: 'APPROVAL.APPROVER_REQUIRED' });
  });

  it('when a DELETE has no WHERE, then it is flagged unbounded and needs four-eyes even if small', async () => {
    const h = createAgentHarness({ databricks: { countFor: () => 5 } });
    const approval = await requestDelete(h, 'run: DELETE FROM main.retail.orders');
    expect(approval.impact).toMatchObject({ rows: 5, unbounded: true });
    expect(approval.requiresApprover).toBe(true);
  });

  it('when the SQL in the ledger is tampered with (hash recomputed too), then execution is refused', async () => {
    const h = createAgentHarness();
    const approval = await requestDelete(h);
    const evil = 'DELETE FROM main.retail.orders';
    h.approvals.tamper(approval.id, { sql: evil, sqlSha256: sha256Hex(evil) });
    const result = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve');
    expect(result).toMatchObject({ kind: 'refused', code: 'APPROVAL.TAMPERED' });
    expect(h.databricks.executions).toHaveLength(0);
    expect(h.approvals.records.get(approval.id)?.status).toBe('failed');
    expect(h.audit.kinds()).toContain('write.refused');
  });

  it('when the SQL in the ledger no longer matches its hash, then the click is refused before any claim', async () => {
    const h = createAgentHarness();
    const approval = await requestDelete(h);
    h.approvals.tamper(approval.id, { sql: 'DELETE FROM main.retail.orders' });
    expect(await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve')).toMatchObject({ kind: 'refused', code: 'APPROVAL.TAMPERED' });
    expect(h.approvals.records.get(approval.id)?.status).toBe('pending');
    expect(h.databricks.executions).toHaveLength(0);
  });

  it('when the resume value names another approval, then the thread refuses it and nothing runs', async () => {
    const h = createAgentHarness();
    const approval = await requestDelete(h);
    const other = await h.approvals.create({ ...approval, ttlMinutes: 60 });
    const ctx = buildContext(USERS.alice);
    const config = { configurable: { thread_id: approval.threadId, turn: { ctx, databricks: h.databricks.factory, hooks: undefined } } };
    const state = await h.service.graph.invoke(new Command({ resume: { approvalId: other.id, decision: 'approve', decidedBy: { tenantId: USERS.alice.tenantId, objectId: USERS.alice.objectId, name: 'Alice' } } }), config);
    expect(state.result).toMatchObject({ kind: 'decision', outcome: 'refused', code: 'APPROVAL.TAMPERED' });
    expect(h.databricks.executions).toHaveLength(0);
  });

  it('when an approval belongs to another thread, then deciding it through this thread is refused', async () => {
    const h = createAgentHarness();
    const approval = await requestDelete(h);
    const foreign = await h.approvals.create({ ...approval, threadId: 'other-thread', ttlMinutes: 60 });
    expect(await h.service.decide(buildContext(USERS.alice), h.databricks.factory, foreign.id, 'approve')).toMatchObject({ kind: 'refused' });
    expect(h.databricks.executions).toHaveLength(0);
  });

  it('when the approval has expired, then the click is refused and the record is marked expired', async () => {
    const h = createAgentHarness();
    const approval = await requestDelete(h);
    h.clock.now = new Date(h.clock.now.getTime() + 61 * 60_000);
    expect(await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve')).toMatchObject({ kind: 'refused', code: 'APPROVAL.EXPIRED' });
    expect(h.approvals.records.get(approval.id)?.status).toBe('expired');
    expect(h.audit.kinds()).toContain('approval.expired');
  });

  it('when an approval id is unknown, then the click is refused and audited', async () => {
    const h = createAgentHarness();
    expect(await h.service.decide(buildContext(USERS.alice), h.databricks.factory, 'AAAAAAAAAAAAAAAAAAAAAAAA', 'approve')).toEqual({ kind: 'refused', approval: undefined, code: 'APPROVAL.NOT_FOUND' });
    expect(h.audit.kinds()).toEqual(['approval.denied']);
  });
});
