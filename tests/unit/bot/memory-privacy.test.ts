import { ALICE, buildMessage, type Where } from '../../fakes/bot-activities';
import { createBotHarness } from '../../fakes/bot-harness';

/** reliability #38: what the bot remembers about someone is shown only to them. */
const SECRET = 'my manager is Dana and I am interviewing elsewhere';

function harnessWithMemories() {
  const h = createBotHarness({ signedIn: [ALICE.oid] });
  h.agents.memories = [
    { key: 'k1', text: SECRET, createdAt: '2026-01-01T00:00:00Z' },
    { key: 'k2', text: 'region is West', createdAt: '2026-01-02T00:00:00Z' },
  ];
  return h;
}

const inConversation = (h: ReturnType<typeof createBotHarness>, id: string | undefined) =>
  JSON.stringify([...h.adapter.sent, ...h.adapter.updated].filter((a) => a.conversation?.id === id));

describe.each<Where>(['groupChat', 'channel'])('memory output in a %s', (where) => {
  it.each(['memory', 'what do you remember?', 'forget 1'])('when the asker says "%s", then the answer goes to her 1:1 chat and the shared conversation sees none of it', async (text) => {
    const h = harnessWithMemories();
    const message = buildMessage(text, { where });
    await h.send(message);
    expect(h.adapter.createdConversations).toEqual([expect.objectContaining({ isGroup: false, members: [expect.objectContaining({ id: ALICE.mri, aadObjectId: ALICE.oid })] })]);
    const personal = inConversation(h, `personal-${ALICE.mri}`);
    expect(personal).toContain(SECRET);
    const shared = inConversation(h, message.conversation?.id);
    expect(shared).not.toContain(SECRET);
    expect(shared).not.toContain('region is West');
    expect(shared).toContain('1:1 chat');
  });

  it('when the agents answer a recall with the memories card, then it also goes to the 1:1 chat only', async () => {
    const h = harnessWithMemories();
    h.agents.onMessage = async () => ({ kind: 'memories', items: h.agents.memories });
    const message = buildMessage('what do you know about me', { where });
    await h.send(message);
    expect(inConversation(h, `personal-${ALICE.mri}`)).toContain(SECRET);
    const shared = inConversation(h, message.conversation?.id);
    expect(shared).not.toContain(SECRET);
    expect(shared).toContain('1:1 chat');
  });
});

describe('memory output in a 1:1 chat', () => {
  it('when the user says "memory", then the card is the reply in that chat and no other chat is created', async () => {
    const h = harnessWithMemories();
    await h.send(buildMessage('memory'));
    expect(h.adapter.createdConversations).toEqual([]);
    expect(JSON.stringify(h.adapter.sent)).toContain(SECRET);
  });
});
