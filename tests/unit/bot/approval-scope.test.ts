import { USER_MESSAGES } from '../../../src/errors';
import { ALICE, BOB, GROUP_CHAT_ID, buildCardAction } from '../../fakes/bot-activities';
import { createBotHarness } from '../../fakes/bot-harness';
import { buildApproval } from '../../fakes/bot-ports';

/** reliability #35 at the bot: the answer to a refused approval id carries nothing of the SQL or requester. */
describe('approval card actions from another conversation', () => {
  const approval = buildApproval({ id: 'appr-1', conversationId: GROUP_CHAT_ID });

  it.each([
    ['the requester, from her 1:1 chat', ALICE, 'personal' as const],
    ['another member, from a channel', BOB, 'channel' as const],
  ])('when %s refreshes, then the answer is a refusal with no SQL and no requester name', async (_name, from, where) => {
    const h = createBotHarness();
    h.agents.approvals.set('appr-1', approval);
    const response = await h.send(buildCardAction('approval.refresh', { approvalId: 'appr-1' }, { where, from }));
    expect(response?.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: USER_MESSAGES['APPROVAL.OTHER_CONVERSATION'] });
    expect(JSON.stringify(response)).not.toMatch(/UPDATE|sales\.orders|Alice Wong/);
    expect(h.adapter.sent).toEqual([]);
    expect(h.adapter.updated).toEqual([]);
  });

  it('when approve is refused as out of scope, then the clicker gets the message only and no card changes', async () => {
    const h = createBotHarness();
    h.agents.approvals.set('appr-1', approval);
    h.agents.onDecide = async () => ({ kind: 'refused', approval: undefined, code: 'APPROVAL.OTHER_CONVERSATION' });
    const response = await h.send(buildCardAction('approval.approve', { approvalId: 'appr-1' }, { where: 'personal' }));
    expect(response?.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: USER_MESSAGES['APPROVAL.OTHER_CONVERSATION'] });
    expect(h.adapter.updated).toEqual([]);
    expect(h.adapter.sent).toEqual([]);
  });

  it('when a member refreshes in the chat of the request, then the card is shown', async () => {
    const h = createBotHarness();
    h.agents.approvals.set('appr-1', approval);
    const response = await h.send(buildCardAction('approval.refresh', { approvalId: 'appr-1' }, { where: 'groupChat', from: BOB }));
    expect(JSON.stringify(response?.body)).toContain('UPDATE sales.orders');
  });
});
