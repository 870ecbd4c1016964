import { recheckBeforeRun, MAX_APPROVAL_SQL_CHARS } from '../../../src/approvals';
import type { ApprovalRecord } from '../../../src/persistence/ports';
import { renderApprovalCard } from '../../../bot/present/approval-card';
import { activityText } from '../../../emulators/teams/card-text';
import { createAgentHarness } from '../../fakes/agent-harness';
import { buildContext, inChatOf, USERS } from '../../fakes/request-contexts';

const UPDATE = "UPDATE main.retail.orders SET status = 'shipped' WHERE order_id IN (100001, 100002)";

async function requestChange(h: ReturnType<typeof createAgentHarness>, sql = UPDATE) {
  const result = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, `run: ${sql}`);
  if (result.kind !== 'approval-requested') throw new Error(`expected an approval, got ${JSON.stringify(result)}`);
  return result.approval;
}

describe('what is approved is what runs (reliability-security §6, cases 29–33)', () => {
  it('when a change hides code behind a comment Spark ends differently, then the stored, counted and run text is the canonical one', async () => {
    const h = createAgentHarness({ databricks: { countFor: () => 2 } });
    const approval = await requestChange(h, "UPDATE main.retail.orders SET status = 'x' WHERE order_id = 100001 --note\rOR 1 = 1");
    const canonical = "UPDATE main.retail.orders SET status = 'x' WHERE order_id = 100001\nOR 1 = 1";
    expect(approval.sql).toBe(canonical);
    expect(h.databricks.queries.map((q) => q.sql)).toEqual(['SELECT COUNT(*) FROM main.retail.orders WHERE order_id = 100001\nOR 1 = 1']);
    await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve');
    expect(h.databricks.executions.map((e) => e.sql)).toEqual([canonical]);
  });

  it('when the rows grow between request and approval, then the re-count as the requester stops it: nothing runs, failed with the counts, audited', async () => {
    let rows = 2;
    const h = createAgentHarness({ databricks: { countFor: () => rows } });
    const approval = await requestChange(h);
    expect(approval.impact).toMatchObject({ rows: 2, unbounded: false });
    rows = 5;
    const result = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve');
    expect(result).toMatchObject({ kind: 'failed', code: 'APPROVAL.IMPACT_GREW', approval: { status: 'failed' } });
    expect(result.kind === 'failed' && result.message).toBe('The change now touches 5 rows, more than the 2 approved, so nothing ran. Send the request again to see the new count.');
    expect(h.databricks.executions).toHaveLength(0);
    expect(h.databricks.queries.map((q) => q.sql)).toEqual([
      "SELECT COUNT(*) FROM main.retail.orders WHERE order_id IN (100001, 100002)",
      "SELECT COUNT(*) FROM main.retail.orders WHERE order_id IN (100001, 100002)",
    ]);
    expect(h.audit.kinds()).toEqual(['write.requested', 'approval.approved', 'write.failed']);
  });

  it('when the re-count is the same or smaller, then the change runs once', async () => {
    let rows = 2;
    const h = createAgentHarness({ databricks: { countFor: () => rows } });
    const approval = await requestChange(h);
    rows = 1;
    const result = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve');
    expect(result).toMatchObject({ kind: 'executed' });
    expect(h.databricks.executions).toHaveLength(1);
  });

  it('when the warehouse changes more rows than were approved, then the mismatch is audited and the card says so', async () => {
    const h = createAgentHarness({ databricks: { countFor: () => 2, rowsAffectedFor: () => 3 } });
    const approval = await requestChange(h);
    const result = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve');
    expect(result).toMatchObject({ kind: 'executed', approval: { rowsAffected: 3 } });
    expect(h.audit.kinds()).toEqual(['write.requested', 'approval.approved', 'write.executed', 'write.impact-mismatch']);
    expect(h.audit.events.at(-1)?.detail).toMatch(/^3 rows changed, 2 approved/);
    const card = renderApprovalCard({ approval: (result as { approval: ApprovalRecord }).approval, viewer: 'readonly', refreshUserIds: [] });
    expect(activityText({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] })).toContain('Done: 3 rows changed, not the 2 approved');
  });

  it('when the statement is longer than the card shows, then it is refused before any count, and the card never cuts SQL', async () => {
    const h = createAgentHarness();
    const ids = Array.from({ length: 780 }, (_, i) => 100_001 + i).join(', ');
    const long = `UPDATE main.retail.orders SET status = 'shipped' WHERE order_id IN (${ids})`;
    expect(long.length).toBeGreaterThan(MAX_APPROVAL_SQL_CHARS);
    const result = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, `run: ${long}`);
    expect(result).toMatchObject({ kind: 'write-refused', reason: expect.stringContaining(`an approval card shows at most ${MAX_APPROVAL_SQL_CHARS}`) });
    expect(h.databricks.queries).toHaveLength(0);
    expect(h.audit.kinds()).toEqual(['write.refused']);
  });
});

describe('the guard again at execution ("refused even if approved", case 19)', () => {
  const base = { operation: 'UPDATE', targetTables: ['main.retail.orders'], impact: { rows: 2, description: '', unbounded: false } } as unknown as ApprovalRecord;
  const noClient = { sql: () => { throw new Error('nothing may be queried'); } } as never;

  it.each([
    ['a statement the guard refuses', 'DROP TABLE main.retail.orders', 'SQL.REFUSED'],
    ['two statements', `${UPDATE}; DROP TABLE main.retail.orders`, 'SQL.REFUSED'],
    ['text that is not its canonical form (a comment)', `${UPDATE} -- approved`, 'SQL.REFUSED'],
    ['another table than the record names', "UPDATE main.retail.customers SET name = 'x' WHERE customer_id = 1", 'APPROVAL.TAMPERED'],
    ['another operation than the record names', 'DELETE FROM main.retail.orders WHERE order_id = 1', 'APPROVAL.TAMPERED'],
  ])('when the stored SQL is %s, then nothing is counted or run', async (_name, sql, code) => {
    const result = await recheckBeforeRun({ ...base, sql }, noClient);
    expect(result).toMatchObject({ ok: false, error: { code } });
  });
});

describe('case 14 and case 20, driven through the agent', () => {
  it('when the thread proposes another change after the first card and the first is then approved, then exactly the first card’s stored SQL runs', async () => {
    const h = createAgentHarness({ databricks: { countFor: () => 2 } });
    const first = await requestChange(h);
    const other = "UPDATE main.retail.orders SET status = 'cancelled' WHERE order_id IN (100003, 100004)";
    const second = await requestChange(h, other);
    expect(second.id).not.toBe(first.id);
    const result = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, first.id, 'approve');
    expect(result).toMatchObject({ kind: 'executed', approval: { id: first.id } });
    expect(h.databricks.executions.map((e) => e.sql)).toEqual([UPDATE]);
    expect(h.approvals.records.get(second.id)?.status).toBe('pending');
  });

  it('when an UPDATE has no WHERE, then the card shows its count and why it is unbounded, the requester cannot approve it alone, and an approver can', async () => {
    const h = createAgentHarness({ databricks: { countFor: () => 7 } });
    const approval = await requestChange(h, "UPDATE main.retail.orders SET status = 'x'");
    expect(approval).toMatchObject({ impact: { rows: 7, unbounded: true }, requiresApprover: true });
    const text = activityText({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: renderApprovalCard({ approval, viewer: 'actor', refreshUserIds: [], now: h.clock.now }) }] });
    expect(text).toContain('Impact: 7 rows of main.retail.orders (all of them) would be updated. Unbounded: there is no WHERE clause: every row of main.retail.orders');
    expect(text).toContain('a member of the approvers group must approve it');
    const self = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, approval.id, 'approve');
    expect(self).toMatchObject({ kind: 'refused', code: 'APPROVAL.APPROVER_REQUIRED' });
    expect(h.databricks.executions).toHaveLength(0);
    const approver = await h.service.decide(inChatOf(USERS.carol, approval), h.databricks.factory, approval.id, 'approve');
    expect(approver).toMatchObject({ kind: 'executed' });
    expect(h.databricks.executions.map((e) => e.sql)).toEqual(["UPDATE main.retail.orders SET status = 'x'"]);
  });
});
