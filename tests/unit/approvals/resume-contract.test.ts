/**
 * The resume contract (src/approvals/README.md): what a click on an approval does to the requester's
 * thread, for each state the approval and the thread can be in. One test per row of the table.
 */
import { Command } from '@langchain/langgraph';
import { AppError } from '../../../src/errors';
import { runConfig } from '../../../src/agents/run-config';
import { approveThenCrashAfterSubmit, createAgentHarness } from '../../fakes/agent-harness';
import { buildContext, inChatOf, USERS } from '../../fakes/request-contexts';

type Harness = ReturnType<typeof createAgentHarness>;
const alice = { tenantId: USERS.alice.tenantId, objectId: USERS.alice.objectId, name: 'Alice Wong' };
const ALICE = `${USERS.alice.tenantId}:${USERS.alice.objectId}`;

async function request(h: Harness, text = 'delete the cancelled orders in East') {
  const result = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, text);
  if (result.kind !== 'approval-requested') throw new Error(`expected an approval, got ${JSON.stringify(result)}`);
  return result.approval;
}

const approve = (h: Harness, id: string) => h.service.decide(buildContext(USERS.alice), h.databricks.factory, id, 'approve');

async function pausedOn(h: Harness, threadId: string): Promise<string[]> {
  const snapshot = await h.service.graph.getState(runConfig(threadId, { ctx: buildContext(USERS.alice), databricks: h.databricks.factory, hooks: undefined }));
  return snapshot.tasks.flatMap((t) => t.interrupts.map((i) => (i.value as { approvalId: string }).approvalId));
}

describe('resume contract (src/approvals/README.md)', () => {
  it('(a) interrupted and pending: the decision is claimed, answers the interrupt, and the SQL runs once as the requester', async () => {
    const h = createAgentHarness();
    const approval = await request(h);
    expect(await pausedOn(h, approval.threadId)).toEqual([approval.id]);

    const result = await approve(h, approval.id);

    expect(result).toMatchObject({ kind: 'executed', approval: { status: 'executed', decidedBy: { objectId: alice.objectId } } });
    expect(h.databricks.executions.map((e) => e.user)).toEqual([ALICE]);
    expect(await pausedOn(h, approval.threadId)).toEqual([]);
  });

  it('(b) approved but not yet claimed for execution (died between the claim and the run): the decider or requester carries it on, it runs once; anyone else is refused', async () => {
    const h = createAgentHarness();
    const approval = await request(h);
    const pending = h.approvals.records.get(approval.id);
    if (!pending) throw new Error('no record');
    await h.approvals.transition(pending, 'approved', { decidedBy: alice, decidedAt: h.clock.now.toISOString() });

    expect(await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'reject')).toMatchObject({ kind: 'refused', code: 'APPROVAL.ALREADY_DECIDED' });
    expect(await h.service.decide(inChatOf(USERS.bob, approval), h.databricks.factory, approval.id, 'approve')).toMatchObject({ kind: 'refused', code: 'APPROVAL.NOT_REQUESTER' });
    const result = await approve(h, approval.id);

    expect(result).toMatchObject({ kind: 'executed', approval: { status: 'executed' } });
    expect(h.databricks.executions).toHaveLength(1);
    expect(h.audit.kinds()).toEqual(['write.requested', 'approval.denied', 'approval.denied', 'write.executed']);
  });

  it('(c) executing with a statement id (crashed mid-execute): the statement is looked up, never submitted again, and the ledger settles', async () => {
    const h = createAgentHarness();
    const approval = await request(h);
    await approveThenCrashAfterSubmit(h, approval.id);
    expect(h.approvals.records.get(approval.id)).toMatchObject({ status: 'executing', statementId: 'stmt-1' });

    const result = await approve(h, approval.id);

    expect(result).toMatchObject({ kind: 'executed', approval: { status: 'executed', statementId: 'stmt-1', rowsAffected: 3 } });
    expect(h.databricks.executions).toHaveLength(1);
  });

  it('(d) executing without a statement id (crashed before the id was recorded): failed with APPROVAL.OUTCOME_UNKNOWN, nothing is submitted', async () => {
    const h = createAgentHarness({ databricks: { executeError: { error: new AppError('DATABRICKS.UNAVAILABLE', 'connection reset'), afterSubmit: false } } });
    const approval = await request(h);
    const realTransition = h.approvals.transition.bind(h.approvals);
    const crash = jest.spyOn(h.approvals, 'transition').mockImplementation(async (current, next, patch) => {
      if (next === 'failed') throw new AppError('STORAGE.UNAVAILABLE', 'simulated crash before the outcome was written');
      return realTransition(current, next, patch);
    });
    await expect(approve(h, approval.id)).rejects.toMatchObject({ code: 'STORAGE.UNAVAILABLE' });
    crash.mockRestore();
    expect(h.approvals.records.get(approval.id)).toMatchObject({ status: 'executing', statementId: undefined });

    const result = await approve(h, approval.id);

    expect(result).toMatchObject({ kind: 'failed', code: 'APPROVAL.OUTCOME_UNKNOWN', approval: { status: 'failed' } });
    expect(h.databricks.executions).toHaveLength(0);
  });

  it('(e) already settled (executed, failed, rejected, expired): the click is refused with the settled state, a direct resume reports it, and nothing runs again', async () => {
    const settled: Record<string, unknown> = {};
    for (const state of ['executed', 'failed', 'rejected', 'expired'] as const) {
      const h = createAgentHarness(state === 'failed' ? { databricks: { executeError: { error: new AppError('DATABRICKS.PERMISSION_DENIED', '42501'), afterSubmit: true } } } : {});
      const approval = await request(h);
      if (state === 'rejected') await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'reject');
      else if (state === 'expired') h.clock.now = new Date(h.clock.now.getTime() + 61 * 60_000);
      else await approve(h, approval.id);
      const runs = h.databricks.executions.length;

      const click = await approve(h, approval.id);
      const turn = { ctx: buildContext(USERS.alice), databricks: h.databricks.factory, hooks: undefined };
      const resumed = await h.service.graph.invoke({ decision: { approvalId: approval.id, decision: 'approve', decidedBy: alice }, input: null, intent: null, result: null }, runConfig(approval.threadId, turn));

      settled[state] = { click: click.kind === 'refused' ? click.code : click.kind, resumed: resumed.result?.kind === 'decision' ? resumed.result.outcome : undefined, ranAgain: h.databricks.executions.length > runs };
    }
    expect(settled).toEqual({
      executed: { click: 'APPROVAL.ALREADY_DECIDED', resumed: 'executed', ranAgain: false },
      failed: { click: 'APPROVAL.ALREADY_DECIDED', resumed: 'failed', ranAgain: false },
      rejected: { click: 'APPROVAL.ALREADY_DECIDED', resumed: 'refused', ranAgain: false },
      expired: { click: 'APPROVAL.EXPIRED', resumed: 'refused', ranAgain: false },
    });
  });

  it('(f1) superseded by a newer request in the same thread: the older approval still runs once (past the newer interrupt), and the newer one stays pending', async () => {
    const h = createAgentHarness();
    const older = await request(h);
    const newer = await request(h, "run: UPDATE main.retail.orders SET status = 'shipped' WHERE order_id = 100001");
    expect(await pausedOn(h, older.threadId)).toEqual([newer.id]);

    const result = await approve(h, older.id);

    expect(result).toMatchObject({ kind: 'executed', approval: { id: older.id, status: 'executed' } });
    expect(h.databricks.executions.map((e) => e.sql)).toEqual([older.sql]);
    expect(h.approvals.records.get(newer.id)?.status).toBe('pending');
    expect(await approve(h, newer.id)).toMatchObject({ kind: 'executed' });
    expect(h.databricks.executions.map((e) => e.sql)).toEqual([older.sql, newer.sql]);
  });

  it('(f2) the decision names an approval this thread never asked for: refused with APPROVAL.TAMPERED, nothing runs, the thread\'s own approval stays pending', async () => {
    const h = createAgentHarness();
    const own = await request(h);
    const foreign = await h.approvals.create({ ...own, ttlMinutes: 60 }, h.clock.now);

    const viaClick = await approve(h, foreign.id);
    const turn = { ctx: buildContext(USERS.alice), databricks: h.databricks.factory, hooks: undefined };
    const own2 = await request(h);
    const viaInterrupt = await h.service.graph.invoke(new Command({ resume: { approvalId: foreign.id, decision: 'approve', decidedBy: alice } }), runConfig(own2.threadId, turn));

    expect(viaClick).toMatchObject({ kind: 'refused', code: 'APPROVAL.TAMPERED' });
    expect(viaInterrupt.result).toMatchObject({ kind: 'decision', outcome: 'refused', code: 'APPROVAL.TAMPERED' });
    expect(h.databricks.executions).toHaveLength(0);
    expect(h.approvals.records.get(own.id)?.status).toBe('pending');
  });
});
