import { ALICE, TENANT, buildInvoke, buildMessage } from '../../fakes/bot-activities';
import { createBotHarness } from '../../fakes/bot-harness';

function pendingExchangeId(h: ReturnType<typeof createBotHarness>): string {
  const card = h.adapter.sent.find((a) => a.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.oauth');
  return (card?.attachments?.[0]?.content as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
}

const texts = (h: ReturnType<typeof createBotHarness>): string[] => h.adapter.sent.map((a) => a.text ?? '').filter((t) => t !== '');

describe('a command typed before sign-in', () => {
  it.each(['history', 'space'])('when a new user types "%s" before signing in, then after the token exchange that command runs (not lost, not sent to the agents as a question)', async (word) => {
    const h = createBotHarness();
    const history = jest.spyOn(h.deps.spaces, 'history').mockResolvedValue({ space: { id: 'space-1', title: 'Retail', description: '' }, conversations: [] } as never);
    const list = jest.spyOn(h.deps.spaces, 'list').mockResolvedValue({ current: undefined, spaces: [] } as never);
    await h.send(buildMessage(word));
    expect(history).not.toHaveBeenCalled();
    const id = pendingExchangeId(h);
    const response = await h.send(buildInvoke('signin/tokenExchange', { id, connectionName: '', token: `sso:${TENANT}:${ALICE.oid}` }));
    await h.settle();
    expect(response?.status).toBe(200);
    expect((word === 'history' ? history : list).mock.calls).toHaveLength(1);
    expect(h.agents.messages).toEqual([]);
    expect(texts(h)).not.toContain('You are signed in. What would you like to know?');
  });

  it('when a new user types "requests" before signing in, then nothing is listed until the token exchange, and then their requests are listed once', async () => {
    const h = createBotHarness();
    const byRequester = jest.fn(async () => ({ approvalIds: [], next: undefined }));
    h.deps.approvalReach = {
      approvals: { get: async () => undefined } as never,
      index: { byRequester, fourEyes: async () => ({ approvalIds: [], continuation: undefined }), add: async () => undefined },
      audit: { record: async () => undefined } as never,
      isApprover: async () => false,
      approversChannelId: undefined,
      botId: 'bot',
      now: () => new Date(),
      references: { remember: async () => undefined, personal: async () => [], channel: async () => undefined },
    };
    await h.send(buildMessage('requests'));
    await h.settle();
    expect(byRequester).not.toHaveBeenCalled();
    expect(texts(h).some((t) => /change requests/.test(t))).toBe(false);
    const response = await h.send(buildInvoke('signin/tokenExchange', { id: pendingExchangeId(h), connectionName: '', token: `sso:${TENANT}:${ALICE.oid}` }));
    await h.settle();
    expect(response?.status).toBe(200);
    expect(byRequester).toHaveBeenCalledTimes(1);
    expect(texts(h)).toContain('You have no change requests.');
    expect(h.agents.messages).toEqual([]);
  });
});
