import { isDeliveredTo, whoCanApprove, withCopies, type ApprovalDelivery, type CardCopy } from '../../../src/approvals';
import { createAgentHarness } from '../../fakes/agent-harness';
import { buildContext, USERS } from '../../fakes/request-contexts';

/**
 * Issue 17 item 8: the conversations our code delivered an approval card to count as where it was
 * requested (scope), and no others. The list lives on the stored record; a card carries only the id.
 */
const GROUP = { id: '19:sales-team@thread.v2', kind: 'groupChat' as const };
const CHANNEL = '19:approvers@thread.tacv2';
const carolsChat = { id: `personal-${USERS.carol.objectId}`, kind: 'personal' as const };
const copy = (kind: CardCopy['kind'], conversationId: string, activityId: string): CardCopy => ({ kind, conversationId, activityId, serviceUrl: 'https://smba.example/' });

describe('where an approval card was delivered', () => {
  const delivery: ApprovalDelivery = { copies: [copy('approver', carolsChat.id, '11'), copy('channel', CHANNEL, '22')], approvers: [{ objectId: USERS.carol.objectId, name: 'Carol Diaz' }], channel: true, unreachable: [] };

  it.each([
    [carolsChat.id, true],
    [CHANNEL, true],
    [`${CHANNEL};messageid=22`, true],
    [`${CHANNEL};messageid=23`, false],
    ['19:other@thread.tacv2;messageid=22', false],
    [`personal-${USERS.bob.objectId}`, false],
    ['', false],
  ])('when a click comes from "%s", then delivered is %s', (conversationId, expected) => {
    expect(isDeliveredTo(delivery, conversationId)).toBe(expected);
  });

  it('when nothing was delivered, then no conversation counts', () => {
    expect(isDeliveredTo(undefined, carolsChat.id)).toBe(false);
  });

  it('when copies are added twice, then each activity is kept once and approvers are merged', () => {
    const once = withCopies(undefined, { copies: [copy('requester', GROUP.id, '1')], approvers: [{ objectId: 'a', name: 'A' }] });
    const twice = withCopies(once, { copies: [copy('requester', GROUP.id, '1'), copy('list', carolsChat.id, '2')], approvers: [{ objectId: 'a', name: 'A' }] });
    expect(twice.copies.map((c) => c.activityId)).toEqual(['1', '2']);
    expect(twice.approvers).toHaveLength(1);
  });

  it('when the requester’s card is rendered, then it says who can approve and who could not be reached, and with nobody reached how an approver finds it', () => {
    expect(whoCanApprove(delivery)).toBe('Sent for approval to Carol Diaz, the approvers channel.');
    expect(whoCanApprove({ ...delivery, approvers: [], channel: false, unreachable: [{ name: 'Dave Patel', reason: 'membership could not be verified with Microsoft Graph' }] }))
      .toBe('No approver could be reached yet. A member of the approvers group finds it by sending "requests" to the bot. Unreachable: Dave Patel (membership could not be verified with Microsoft Graph).');
  });
});

describe('an approval delivered to an approver’s 1:1 chat', () => {
  async function requested() {
    const h = createAgentHarness({ databricks: { countFor: () => 5000 } });
    const result = await h.service.handleMessage(buildContext(USERS.alice, { conversation: GROUP }), h.databricks.factory, 'delete the cancelled orders in East');
    if (result.kind !== 'approval-requested') throw new Error(`expected an approval, got ${result.kind}`);
    return { h, approval: result.approval };
  }

  it('when carol approves from her 1:1 copy, then it runs once as alice', async () => {
    const { h, approval } = await requested();
    await h.approvals.update(approval, { delivery: withCopies(undefined, { copies: [copy('approver', carolsChat.id, '11')] }) });
    const result = await h.service.decide(buildContext(USERS.carol, { conversation: carolsChat }), h.databricks.factory, approval.id, 'approve');
    expect(result.kind).toBe('executed');
    expect(h.databricks.executions).toHaveLength(1);
  });

  it('when carol approves from a 1:1 chat the card was never delivered to, then it is refused and nothing runs', async () => {
    const { h, approval } = await requested();
    const result = await h.service.decide(buildContext(USERS.carol, { conversation: carolsChat }), h.databricks.factory, approval.id, 'approve');
    expect(result).toEqual({ kind: 'refused', approval: undefined, code: 'APPROVAL.OTHER_CONVERSATION' });
    expect(h.databricks.executions).toEqual([]);
  });

  it('when bob approves from his own 1:1 after the card reached carol’s, then it is refused and nothing runs', async () => {
    const { h, approval } = await requested();
    await h.approvals.update(approval, { delivery: withCopies(undefined, { copies: [copy('approver', carolsChat.id, '11')] }) });
    const result = await h.service.decide(buildContext(USERS.bob), h.databricks.factory, approval.id, 'approve');
    expect(result).toEqual({ kind: 'refused', approval: undefined, code: 'APPROVAL.OTHER_CONVERSATION' });
    expect(h.databricks.executions).toEqual([]);
  });
});
