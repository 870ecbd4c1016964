import { createAgentService } from '../../../src/agents';
import { AppError, USER_MESSAGES } from '../../../src/errors';
import { createDeterministicRouter } from '../../../src/llm';
import { approveThenCrashAfterSubmit, createAgentHarness } from '../../fakes/agent-harness';
import { buildContext, USERS } from '../../fakes/request-contexts';

async function requestDelete(h: ReturnType<typeof createAgentHarness>, text = 'delete the cancelled orders in East') {
  const result = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, text);
  if (result.kind !== 'approval-requested') throw new Error(`expected an approval, got ${JSON.stringify(result)}`);
  return result.approval;
}

describe('task agent: failures, crashes and recovery', () => {
  it('when the process dies after the statement was submitted, then a new instance settles it from the statement id without running it again', async () => {
    const h = createAgentHarness();
    const approval = await requestDelete(h);
    await approveThenCrashAfterSubmit(h, approval.id);
    expect(h.approvals.records.get(approval.id)).toMatchObject({ status: 'executing', statementId: 'stmt-1' });

    const restarted = createAgentService({
      checkpointer: h.checkpointer, store: h.store, router: createDeterministicRouter(), approvals: h.approvals, audit: h.audit, leases: h.leases,
      isApprover: h.isApprover, settings: { approvals: { ttlMinutes: 60, fourEyesRowThreshold: 1000, approversGroupId: undefined }, results: { rowCap: 20 } },
    });
    const result = await restarted.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve');
    expect(result).toMatchObject({ kind: 'executed', approval: { status: 'executed', rowsAffected: 3, statementId: 'stmt-1' } });
    expect(h.databricks.executions).toHaveLength(1);
    expect(h.audit.kinds().filter((k) => k === 'write.executed')).toHaveLength(1);
  });

  it('when the statement found after a crash was cancelled in Databricks, then the approval fails saying nothing changed, and nothing is resubmitted', async () => {
    const h = createAgentHarness();
    const approval = await requestDelete(h);
    await approveThenCrashAfterSubmit(h, approval.id);
    h.databricks.statements.set('stmt-1', { state: 'CANCELED', rowsAffected: undefined });

    const result = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve');

    expect(result).toMatchObject({ kind: 'failed', code: 'DATABRICKS.CANCELED', message: USER_MESSAGES['DATABRICKS.CANCELED'], approval: { status: 'failed' } });
    expect(h.databricks.executions).toHaveLength(1);
  });

  it('when the statement id could not be recorded, then the outcome is reported unknown and the SQL is never submitted twice', async () => {
    const h = createAgentHarness();
    const approval = await requestDelete(h);
    jest.spyOn(h.approvals, 'update').mockRejectedValueOnce(new AppError('STORAGE.UNAVAILABLE', 'lost the ledger write'));
    const first = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve');
    expect(first).toMatchObject({ kind: 'failed', code: 'APPROVAL.OUTCOME_UNKNOWN' });
    const second = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve');
    expect(second).toMatchObject({ kind: 'failed', code: 'APPROVAL.OUTCOME_UNKNOWN', approval: { status: 'failed' } });
    expect(h.databricks.executions).toHaveLength(0);
  });

  it('when Databricks refuses the change (42501), then the approval is marked failed with a plain message and not retried', async () => {
    const h = createAgentHarness({ databricks: { executeError: { error: new AppError('DATABRICKS.PERMISSION_DENIED', '42501'), afterSubmit: true } } });
    const approval = await requestDelete(h);
    const result = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve');
    expect(result).toEqual(expect.objectContaining({ kind: 'failed', code: 'DATABRICKS.PERMISSION_DENIED', message: USER_MESSAGES['DATABRICKS.PERMISSION_DENIED'] }));
    expect(h.approvals.records.get(approval.id)).toMatchObject({ status: 'failed', error: { code: 'DATABRICKS.PERMISSION_DENIED' } });
    expect(h.audit.kinds()).toEqual(['write.requested', 'approval.approved', 'write.failed']);
    expect(await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve')).toMatchObject({ kind: 'refused', code: 'APPROVAL.ALREADY_DECIDED' });
  });

  it('when the user sends other messages before approving, then the approval still runs exactly once', async () => {
    const h = createAgentHarness();
    const approval = await requestDelete(h);
    await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, 'how many orders are there?');
    const second = await requestDelete(h, 'run: UPDATE main.retail.orders SET status = \'shipped\' WHERE order_id = 100001');
    const result = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve');
    expect(result).toMatchObject({ kind: 'executed' });
    const other = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, second.id, 'approve');
    expect(other).toMatchObject({ kind: 'executed' });
    expect(h.databricks.executions.map((e) => e.sql)).toEqual([approval.sql, second.sql]);
  });

  it('when the SQL is refused by the guard, then the user is told why and the refusal is audited', async () => {
    const h = createAgentHarness();
    const result = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, 'run: GRANT SELECT ON TABLE main.retail.orders TO `bob@contoso.example`');
    expect(result).toEqual({ kind: 'write-refused', sql: 'GRANT SELECT ON TABLE main.retail.orders TO `bob@contoso.example`', reason: 'GRANT statements are not allowed' });
    expect(h.audit.events).toEqual([expect.objectContaining({ kind: 'write.refused', outcome: 'refused' })]);
    expect(h.databricks.opened).toBe(0);
  });

  it('when "run:" is given a read-only query, then the user is told to ask it as a question', async () => {
    const h = createAgentHarness();
    const result = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, 'run: SELECT * FROM main.retail.orders');
    expect(result).toEqual({ kind: 'text', text: USER_MESSAGES['SQL.NOT_A_WRITE'] });
  });

  it('when a change request has no SQL and cannot be derived, then the reply explains how to give SQL and Genie is not called', async () => {
    const h = createAgentHarness();
    const result = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, 'delete the weird stuff');
    expect(result.kind).toBe('text');
    expect(result.kind === 'text' && result.text).toMatch(/run: /);
    expect(h.databricks.genieCalls).toHaveLength(0);
  });

  it('when the dry run finds no such table, then the change is refused before any approval exists', async () => {
    const h = createAgentHarness({ databricks: { queryError: new AppError('DATABRICKS.TABLE_NOT_FOUND') } });
    const result = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, 'run: DELETE FROM main.retail.nope WHERE id = 1');
    expect(result).toMatchObject({ kind: 'write-refused', reason: USER_MESSAGES['DATABRICKS.TABLE_NOT_FOUND'] });
    expect(h.approvals.records.size).toBe(0);
  });
});
