import { sha256Hex } from '../../../src/approvals/rules';
import { createAgentHarness } from '../../fakes/agent-harness';
import { buildContext, USERS } from '../../fakes/request-contexts';

/**
 * Issue 18 (Cosmos requests per approve-and-execute): a run no longer reads back the approval records it
 * wrote itself. These tests count the ledger calls, and show that the record handed down from the claim
 * is still bound by its ETag: a ledger changed behind the claim runs nothing.
 */
const DELETE_EAST = "run: DELETE FROM main.retail.orders WHERE status = 'cancelled' AND region = 'East'";

function countLedgerCalls(h: ReturnType<typeof createAgentHarness>) {
  const spies = {
    get: jest.spyOn(h.approvals, 'get'),
    create: jest.spyOn(h.approvals, 'create'),
    transition: jest.spyOn(h.approvals, 'transition'),
    update: jest.spyOn(h.approvals, 'update'),
  };
  return {
    counts: () => ({ get: spies.get.mock.calls.length, create: spies.create.mock.calls.length, transition: spies.transition.mock.calls.length, update: spies.update.mock.calls.length }),
    reset: () => Object.values(spies).forEach((s) => s.mockClear()),
  };
}

describe('approval ledger requests per approve-and-execute', () => {
  it('when a change is requested and then approved and run, then the ledger is read once (the click) and written once per state', async () => {
    const h = createAgentHarness({ databricks: { countFor: () => 4 } });
    const calls = countLedgerCalls(h);
    const requested = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, DELETE_EAST);
    if (requested.kind !== 'approval-requested') throw new Error(`expected an approval, got ${requested.kind}`);
    expect(calls.counts()).toEqual({ get: 0, create: 1, transition: 0, update: 0 });
    expect(requested.approval.interruptId).toEqual(expect.any(String));

    calls.reset();
    const result = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, requested.approval.id, 'approve');
    expect(result).toMatchObject({ kind: 'executed', approval: { status: 'executed', statementId: 'stmt-1', rowsAffected: 4 } });
    // approved, executing, executed; the statement id before the result is awaited (recovery needs it).
    expect(calls.counts()).toEqual({ get: 1, create: 0, transition: 3, update: 1 });
    expect(result.approval).toEqual(await h.approvals.get(requested.approval.id));
    expect(h.databricks.executions).toHaveLength(1);
  });

  it('when the requester rejects, then the ledger is read once and written once', async () => {
    const h = createAgentHarness();
    const requested = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, DELETE_EAST);
    if (requested.kind !== 'approval-requested') throw new Error('expected an approval');
    const calls = countLedgerCalls(h);
    const result = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, requested.approval.id, 'reject');
    expect(result).toMatchObject({ kind: 'rejected', approval: { status: 'rejected' } });
    expect(calls.counts()).toEqual({ get: 1, create: 0, transition: 1, update: 0 });
  });

  it('when the ledger record is rewritten after the claim (other SQL, hash recomputed), then the claimed record no longer matches its ETag and neither statement runs', async () => {
    const evil = 'DELETE FROM main.retail.orders';
    let counts = 0;
    let approvalId = '';
    const h = createAgentHarness({
      databricks: {
        countFor: () => {
          counts += 1;
          // The second count is the re-count before the run, after the claim: tamper with the ledger there.
          if (counts === 2) h.approvals.tamper(approvalId, { sql: evil, sqlSha256: sha256Hex(evil) });
          return 2;
        },
      },
    });
    const requested = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, DELETE_EAST);
    if (requested.kind !== 'approval-requested') throw new Error('expected an approval');
    approvalId = requested.approval.id;
    const result = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approvalId, 'approve');
    expect(counts).toBe(2);
    expect(result).toMatchObject({ kind: 'refused', code: 'APPROVAL.ALREADY_DECIDED' });
    expect(h.databricks.executions).toEqual([]);
    expect(h.approvals.records.get(approvalId)).toMatchObject({ status: 'approved', sql: evil, statementId: undefined });
  });

  it('when another decision lands between the click’s first read and its claim, then the stale claim fails and the click is refused as already decided', async () => {
    const h = createAgentHarness({ approvers: [USERS.carol.objectId] });
    const requested = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, DELETE_EAST);
    if (requested.kind !== 'approval-requested') throw new Error('expected an approval');
    const id = requested.approval.id;
    const realGet = h.approvals.get.bind(h.approvals);
    // Alice's click reads the pending record; before her claim, she herself rejects it in another click.
    jest.spyOn(h.approvals, 'get').mockImplementationOnce(async (approvalId) => {
      const seen = await realGet(approvalId);
      const current = await realGet(approvalId);
      if (current) await h.approvals.transition(current, 'rejected', { decidedBy: { tenantId: USERS.alice.tenantId, objectId: USERS.alice.objectId, name: 'Alice Wong' }, decidedAt: h.clock.now.toISOString() });
      return seen;
    });
    const result = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, id, 'approve');
    expect(result).toMatchObject({ kind: 'refused', code: 'APPROVAL.ALREADY_DECIDED', approval: { status: 'rejected' } });
    expect(h.databricks.executions).toEqual([]);
  });
});
