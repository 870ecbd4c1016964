import type { UserIdentity } from '../../../src/context/request-context';
import { createAgentHarness } from '../../fakes/agent-harness';
import { buildContext, USERS } from '../../fakes/request-contexts';

/** reliability #35: an approval id is honoured only in the tenant and conversation it was requested in. */
const GROUP = { id: '19:sales-team@thread.v2', kind: 'groupChat' as const };
const OTHER_CHAT = { id: '19:other-chat@thread.v2', kind: 'groupChat' as const };
const OTHER_TENANT = 'f0e1d2c3-0000-4000-8000-0000000000ff';
/** Alice's object id in another tenant: the same person id never makes a foreign tenant the same principal. */
const aliceElsewhere: UserIdentity = { ...USERS.alice, tenantId: OTHER_TENANT };

async function requestInGroup(h: ReturnType<typeof createAgentHarness>) {
  const result = await h.service.handleMessage(buildContext(USERS.alice, { conversation: GROUP }), h.databricks.factory, 'delete the cancelled orders in East');
  if (result.kind !== 'approval-requested') throw new Error(`expected an approval, got ${result.kind}`);
  return result.approval;
}

const cases = [
  { name: 'the requester, from another conversation', ctx: () => buildContext(USERS.alice, { conversation: OTHER_CHAT }), who: USERS.alice, why: 'conversation' },
  { name: 'the requester, from her 1:1 chat', ctx: () => buildContext(USERS.alice), who: USERS.alice, why: 'conversation' },
  { name: 'an approver, from another conversation', ctx: () => buildContext(USERS.carol, { conversation: OTHER_CHAT }), who: USERS.carol, why: 'conversation' },
  { name: 'the same object id in another tenant, in the same conversation id', ctx: () => buildContext(aliceElsewhere, { conversation: GROUP }), who: aliceElsewhere, why: 'tenant' },
];

describe('approvals are bound to the tenant and conversation they were requested in', () => {
  it.each(cases)('when $name approves or rejects, then it is refused with nothing of the record, nothing runs, and it is audited', async ({ ctx, who, why }) => {
    const h = createAgentHarness({ databricks: { countFor: () => 5000 } });
    const approval = await requestInGroup(h);
    const queriesBefore = h.databricks.queries.length;
    for (const decision of ['approve', 'reject'] as const) {
      const result = await h.service.decide(ctx(), h.databricks.factory, approval.id, decision);
      expect(result).toEqual({ kind: 'refused', approval: undefined, code: 'APPROVAL.OTHER_CONVERSATION' });
    }
    expect(h.databricks.queries).toHaveLength(queriesBefore);
    expect(h.databricks.tokenChecks).toEqual([]);
    expect(h.databricks.executions).toEqual([]);
    expect(h.isApprover).not.toHaveBeenCalled();
    expect(h.approvals.records.get(approval.id)?.status).toBe('pending');
    const denied = h.audit.events.filter((e) => e.kind === 'approval.denied');
    expect(denied.map((e) => [e.tenantId, e.userObjectId, e.outcome, e.detail])).toEqual([
      [who.tenantId, who.objectId, 'refused', `approve: APPROVAL.OTHER_CONVERSATION (used from another ${why})`],
      [who.tenantId, who.objectId, 'refused', `reject: APPROVAL.OTHER_CONVERSATION (used from another ${why})`],
    ]);
    expect(denied.every((e) => e.approvalId === approval.id && e.sql === undefined)).toBe(true);
  });

  it.each(cases)('when $name refreshes the card, then nothing of the SQL or requester is returned and it is audited', async ({ ctx, who }) => {
    const h = createAgentHarness();
    const approval = await requestInGroup(h);
    const view = await h.service.viewApproval(ctx(), approval.id);
    expect(view).toEqual({ ok: false, code: 'APPROVAL.OTHER_CONVERSATION' });
    expect(JSON.stringify(view)).not.toContain('orders');
    expect(h.audit.events.at(-1)).toMatchObject({ kind: 'approval.denied', outcome: 'refused', approvalId: approval.id, userObjectId: who.objectId, tenantId: who.tenantId, sql: undefined });
  });

  it('when the requester and an approver act in the conversation of the request, then they see it and the approver’s decision runs', async () => {
    const h = createAgentHarness({ databricks: { countFor: () => 5000 } });
    const approval = await requestInGroup(h);
    const seen = await h.service.viewApproval(buildContext(USERS.bob, { conversation: GROUP }), approval.id);
    expect(seen).toMatchObject({ ok: true, approval: { id: approval.id } });
    const result = await h.service.decide(buildContext(USERS.carol, { conversation: GROUP }), h.databricks.factory, approval.id, 'approve');
    expect(result).toMatchObject({ kind: 'executed' });
    expect(h.audit.kinds()).not.toContain('approval.denied');
  });

  it('when the id is unknown, then refresh says not found (no audit of a scope refusal)', async () => {
    const h = createAgentHarness();
    expect(await h.service.viewApproval(buildContext(USERS.alice), 'AAAAAAAAAAAAAAAAAAAAAAAA')).toEqual({ ok: false, code: 'APPROVAL.NOT_FOUND' });
    expect(h.audit.events).toEqual([]);
  });
});
