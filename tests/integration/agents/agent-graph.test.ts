import { DEMO_DIRECTORY, findUser } from '../../../emulators/shared/directory';
import type { UserIdentity } from '../../../src/context/request-context';
import { buildContext } from '../../fakes/request-contexts';
import { startAgentStack, type AgentStack } from './agent-stack';

jest.setTimeout(120_000);

let stack: AgentStack;

function demoUser(shortName: string): UserIdentity {
  const u = findUser(DEMO_DIRECTORY, shortName);
  if (!u) throw new Error(shortName);
  return { tenantId: DEMO_DIRECTORY.tenantId, objectId: u.objectId, upn: u.upn, displayName: u.displayName };
}

const alice = demoUser('alice');
const carol = demoUser('carol');
const chat = { id: 'personal-alice-int', kind: 'personal' as const };

async function count(sql: string): Promise<number> {
  const result = await stack.genie.runAs('carol', sql);
  return Number(result.rows[0]?.[0]);
}

beforeAll(async () => {
  stack = await startAgentStack();
});

afterAll(async () => {
  await stack?.stop();
});

describe('agent graph against the Databricks and Cosmos emulators', () => {
  it('when alice asks a question and follows up, then Genie answers as alice and the follow-up continues the conversation', async () => {
    const { service } = await stack.newInstance();
    const first = await service.handleMessage(buildContext(alice, { conversation: chat }), stack.databricks, 'What are total sales by region?');
    expect(first.kind).toBe('genie');
    if (first.kind !== 'genie') return;
    expect(first.answer.table?.rows.map((r) => r[0])).toEqual(['West']);
    const followUp = await service.handleMessage(buildContext(alice, { conversation: chat }), stack.databricks, 'by month instead');
    expect(followUp.kind === 'genie' && followUp.answer.conversationId).toBe(first.answer.conversationId);
  });

  it('when alice asks to delete rows and approves after a restart, then the rows really change, once, as alice', async () => {
    const where = "status = 'cancelled' AND region = 'West'";
    const before = await count(`SELECT count(*) FROM main.retail.orders WHERE ${where}`);
    expect(before).toBeGreaterThan(0);

    const first = await stack.newInstance();
    const requested = await first.service.handleMessage(buildContext(alice, { conversation: chat }), stack.databricks, 'delete the cancelled orders in West');
    expect(requested.kind).toBe('approval-requested');
    if (requested.kind !== 'approval-requested') return;
    expect(requested.approval).toMatchObject({ status: 'pending', operation: 'DELETE', impact: { rows: before, unbounded: false }, requiresApprover: false });
    expect(await count(`SELECT count(*) FROM main.retail.orders WHERE ${where}`)).toBe(before);

    const restarted = await stack.newInstance();
    const refused = await restarted.service.decide(buildContext(carol, { conversation: chat }), stack.databricks, requested.approval.id, 'approve');
    expect(refused).toMatchObject({ kind: 'refused', code: 'APPROVAL.NOT_REQUESTER' });
    const decided = await restarted.service.decide(buildContext(alice, { conversation: chat }), stack.databricks, requested.approval.id, 'approve');
    expect(decided).toMatchObject({ kind: 'executed', approval: { status: 'executed', rowsAffected: before } });
    expect(await count(`SELECT count(*) FROM main.retail.orders WHERE ${where}`)).toBe(0);

    const again = await (await stack.newInstance()).service.decide(buildContext(alice, { conversation: chat }), stack.databricks, requested.approval.id, 'approve');
    expect(again).toMatchObject({ kind: 'refused', code: 'APPROVAL.ALREADY_DECIDED' });
    const deletes = (await stack.genie.history()).filter((h) => /^DELETE/i.test(h.sql) && h.status === 'FINISHED');
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.upn).toBe('alice@contoso.example');
    const events = await restarted.persistence.audit.listByApproval(requested.approval.id);
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['write.requested', 'approval.denied', 'approval.approved', 'write.executed']));
  });

  it('when a change is larger than the threshold, then only carol (an approver) can approve it, and it runs as alice', async () => {
    const { service } = await stack.newInstance({ fourEyesRowThreshold: 10 });
    const requested = await service.handleMessage(buildContext(alice, { conversation: chat }), stack.databricks, "run: UPDATE main.retail.orders SET status = 'shipped' WHERE status = 'pending'");
    expect(requested.kind).toBe('approval-requested');
    if (requested.kind !== 'approval-requested') return;
    const rows = requested.approval.impact.rows ?? 0;
    expect(rows).toBeGreaterThan(10);
    expect(requested.approval.requiresApprover).toBe(true);
    const self = await service.decide(buildContext(alice, { conversation: chat }), stack.databricks, requested.approval.id, 'approve');
    expect(self).toMatchObject({ kind: 'refused', code: 'APPROVAL.APPROVER_REQUIRED' });
    const decided = await service.decide(buildContext(carol, { conversation: chat }), stack.databricks, requested.approval.id, 'approve');
    expect(decided).toMatchObject({ kind: 'executed', approval: { rowsAffected: rows, decidedBy: { objectId: carol.objectId } } });
    const updates = (await stack.genie.history()).filter((h) => /^UPDATE/i.test(h.sql) && h.status === 'FINISHED');
    expect(updates.map((u) => u.upn)).toEqual(['alice@contoso.example']);
  });

  it('when the process dies after submitting the SQL, then a restarted instance settles it from the statement id and the rows change once', async () => {
    const where = "status = 'returned' AND region = 'West'";
    const before = await count(`SELECT count(*) FROM main.retail.orders WHERE ${where}`);
    expect(before).toBeGreaterThan(0);
    const crashing = await stack.newInstance();
    const requested = await crashing.service.handleMessage(buildContext(alice, { conversation: chat }), stack.databricks, 'delete the returned orders in West');
    if (requested.kind !== 'approval-requested') throw new Error(JSON.stringify(requested));
    const transition = crashing.persistence.approvals.transition.bind(crashing.persistence.approvals);
    crashing.persistence.approvals.transition = async (current, next, patch) => {
      if (next === 'executed') throw new Error('simulated crash after submit');
      return transition(current, next, patch);
    };
    await expect(crashing.service.decide(buildContext(alice, { conversation: chat }), stack.databricks, requested.approval.id, 'approve')).rejects.toThrow('simulated crash');
    expect(await count(`SELECT count(*) FROM main.retail.orders WHERE ${where}`)).toBe(0);

    const restarted = await stack.newInstance();
    const stuck = await restarted.service.getApproval(requested.approval.id);
    expect(stuck).toMatchObject({ status: 'executing', statementId: expect.any(String) });
    const decided = await restarted.service.decide(buildContext(alice, { conversation: chat }), stack.databricks, requested.approval.id, 'approve');
    expect(decided).toMatchObject({ kind: 'executed', approval: { status: 'executed', statementId: stuck?.statementId } });
    const deletes = (await stack.genie.history()).filter((h) => h.sql.includes("'returned'") && /^DELETE/i.test(h.sql));
    expect(deletes).toHaveLength(1);
  });
});
