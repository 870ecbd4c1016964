import { HELP_TEXT } from '../../../src/commands';
import { AppError } from '../../../src/errors';
import { ALICE, BOB, BOT_ID, buildMessage } from '../../fakes/bot-activities';
import { createBotHarness } from '../../fakes/bot-harness';
import { buildApproval, buildGenieAnswer } from '../../fakes/bot-ports';

function cardText(card: Record<string, unknown> | undefined): string {
  return JSON.stringify(card ?? {});
}

describe('message routes', () => {
  it('when a signed-in user writes in a 1:1 chat, then the agents get the text and the reply arrives proactively', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    h.agents.onMessage = async (_ctx, text) => {
      await gate;
      return { kind: 'text', text: `answer to ${text}` };
    };
    await h.deliver(buildMessage('total sales'));
    expect(h.agents.messages).toEqual([expect.objectContaining({ user: ALICE.oid, kind: 'personal', text: 'total sales' })]);
    for (let i = 0; i < 200 && h.adapter.sent.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(h.adapter.sent.map((a) => a.type)).toEqual(['typing']);
    release();
    await h.settle();
    expect(h.adapter.sent.map((a) => `${a.type}:${a.text ?? ''}`)).toEqual(['typing:', 'message:answer to total sales']);
  });

  it('when Teams redelivers the same activity id, then the agents run once', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    const activity = buildMessage('total sales');
    await h.send(activity);
    await h.send({ ...activity });
    expect(h.agents.messages).toHaveLength(1);
    expect(h.adapter.sent.filter((a) => a.type === 'message')).toHaveLength(1);
  });

  it('when Teams redelivers a command (a redelivered command), then it is answered once', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    const activity = buildMessage('help');
    await h.send(activity);
    await h.send({ ...activity });
    expect(h.adapter.sent).toHaveLength(1);
  });

  it('when the bot is mentioned in a group chat, then the mention is stripped and the result card shows no rows to the chat', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    h.agents.onMessage = async () => ({ kind: 'genie', answer: buildGenieAnswer() });
    await h.send(buildMessage('sales by region', { where: 'groupChat' }));
    expect(h.agents.messages[0]).toMatchObject({ text: 'sales by region', kind: 'groupChat' });
    const progress = h.adapter.sent[0];
    expect(cardText(progress?.attachments?.[0]?.content as Record<string, unknown>)).toContain('Thinking');
    const final = h.adapter.updated.at(-1);
    expect(final?.id).toBe(progress?.id);
    const shared = cardText(final?.attachments?.[0]?.content as Record<string, unknown>);
    expect(shared).not.toContain('west');
    expect(shared).not.toContain('West sold');
    expect(shared).toContain('result.refresh');
    expect(shared).toContain(ALICE.mri);
  });

  it('when the bot is mentioned in a channel, then the reply goes to the thread of the message', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    await h.send(buildMessage('hello there', { where: 'channel' }));
    expect(h.adapter.sent[0]?.conversation?.id).toContain(';messageid=');
    expect(h.agents.messages[0]).toMatchObject({ kind: 'channel', text: 'hello there' });
  });

  it('when a user without a session writes in a 1:1 chat, then an SSO OAuthCard is sent and the agents are not called', async () => {
    const h = createBotHarness();
    await h.send(buildMessage('total sales'));
    expect(h.agents.messages).toHaveLength(0);
    const card = h.adapter.sent[0]?.attachments?.[0];
    expect(card?.contentType).toBe('application/vnd.microsoft.card.oauth');
    const content = card?.content as { tokenExchangeResource: { id: string; uri: string }; buttons: { type: string; value: string }[] };
    expect(content.tokenExchangeResource.uri).toBe(`api://localhost/botid-${BOT_ID}`);
    expect(content.tokenExchangeResource.id).toContain(ALICE.oid);
    expect(content.buttons[0]).toMatchObject({ type: 'signin' });
    expect(content.buttons[0]?.value).toContain('http://localhost:3978/auth-start.html?');
  });

  it('when a user without a session mentions the bot in a channel, then they are told to sign in in a 1:1 chat, with no data', async () => {
    const h = createBotHarness();
    await h.send(buildMessage('total sales', { where: 'channel' }));
    expect(h.agents.messages).toHaveLength(0);
    const text = cardText(h.adapter.cards()[0]);
    expect(text).toContain(`https://teams.microsoft.com/l/chat/0/0?users=28:${BOT_ID}`);
    expect(h.adapter.sent[0]?.conversation?.id).toContain(';messageid=');
  });

  it('when the user asks for help, then the help card lists the commands and starter questions without needing a session', async () => {
    const h = createBotHarness();
    await h.send(buildMessage('help'));
    const text = cardText(h.adapter.cards()[0]);
    expect(text).toContain('new conversation');
    expect(text).toContain('space');
    expect(HELP_TEXT).toContain('new conversation');
  });

  it('when the user says "new conversation", then the thread is reset', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    await h.send(buildMessage('new conversation'));
    expect(h.agents.resets).toEqual([ALICE.oid]);
    expect(h.adapter.sent[0]?.text).toContain('new conversation');
  });

  it('when the user lists and forgets memories, then the card lists them and "forget 2" removes the second', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    h.agents.memories = [
      { key: 'k1', text: 'prefers EUR', createdAt: '2026-01-01' },
      { key: 'k2', text: 'works on west region', createdAt: '2026-01-02' },
    ];
    await h.send(buildMessage('memory'));
    expect(cardText(h.adapter.cards()[0])).toContain('works on west region');
    await h.send(buildMessage('forget 2'));
    expect(h.agents.memories.map((m) => m.key)).toEqual(['k1']);
    await h.send(buildMessage('forget all'));
    expect(h.agents.memories).toEqual([]);
    expect(h.adapter.sent.at(-1)?.text).toBe('Forgot 1 memory.');
  });

  it('when the user signs out, then the session is removed', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    await h.send(buildMessage('sign out'));
    expect(await h.identity.hasSession({ tenantId: '7e4a1c00-0000-4000-8000-000000000001', objectId: ALICE.oid })).toBe(false);
  });

  it('when a 100 KB message arrives, then the user gets the too-large card and the agents are not called', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    await h.send(buildMessage('x'.repeat(100 * 1024)));
    expect(h.agents.messages).toHaveLength(0);
    const text = cardText(h.adapter.cards()[0]);
    expect(text).toContain('too large');
    expect(text).toMatch(/Reference: [0-9a-f-]{36}/);
  });

  it('when the agents fail with a permission error in a group chat, then the progress card becomes the error card naming the object', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    h.agents.onMessage = async () => {
      throw new AppError('DATABRICKS.PERMISSION_DENIED', 'denied', { details: { object: 'sales.customers' } });
    };
    await h.send(buildMessage('emails of customers', { where: 'groupChat' }));
    const replaced = h.adapter.updated.at(-1);
    expect(replaced?.id).toBe(h.adapter.sent[0]?.id);
    const text = cardText(replaced?.attachments?.[0]?.content as Record<string, unknown>);
    expect(text).toContain('Permission denied');
    expect(text).toContain('sales.customers');
  });

  it('when the agents fail unexpectedly, then the unexpected card carries the turn correlation id', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    h.agents.onMessage = async () => {
      throw new Error('boom');
    };
    await h.send(buildMessage('anything'));
    const text = cardText(h.adapter.cards()[0]);
    expect(text).toContain('Something went wrong');
    expect(text).toContain(`Reference: ${h.agents.messages[0]?.correlationId}`);
    expect(text).not.toContain('boom');
  });

  it('when an approval is requested in a group chat, then the chat sees a read-only card that refreshes for the requester', async () => {
    const h = createBotHarness({ signedIn: [BOB.oid] });
    h.agents.onMessage = async () => ({ kind: 'approval-requested', approval: buildApproval() });
    await h.send(buildMessage('ship order 1042', { where: 'groupChat', from: BOB }));
    const text = cardText(h.adapter.updated.at(-1)?.attachments?.[0]?.content as Record<string, unknown>);
    expect(text).toContain('approval.refresh');
    expect(text).toContain(BOB.mri);
    expect(text).not.toContain('approval.approve');
    expect(text).toContain("UPDATE sales.orders SET status = 'shipped' WHERE order_id = 1042");
  });

  it('when progress is reported in a 1:1 chat and the answer is ready at once, then typing precedes the answer, with no stream and no pause', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    h.agents.onMessage = async (_ctx, _text, hooks) => {
      hooks?.onProgress?.('Asking Genie…');
      return { kind: 'text', text: 'done' };
    };
    await h.send(buildMessage('total sales'));
    const kinds = h.adapter.sent.map((a) => `${a.type}:${a.entities?.some((e) => e.type === 'streaminfo') ? 'stream' : '-'}`);
    expect(kinds).toEqual(['typing:-', 'message:-']);
    expect(h.adapter.sent[1]?.text).toBe('done');
  });

  it('when progress is reported in a channel, then the progress card is updated in place before the answer replaces it', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    h.agents.onMessage = async (_ctx, _text, hooks) => {
      hooks?.onProgress?.('Running the query…');
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { kind: 'text', text: 'done' };
    };
    await h.send(buildMessage('orders', { where: 'channel' }));
    const cardId = h.adapter.sent[0]?.id;
    expect(h.adapter.sent).toHaveLength(1);
    expect(h.adapter.updated.map((a) => a.id)).toEqual([cardId, cardId]);
    expect(cardText(h.adapter.updated[0]?.attachments?.[0]?.content as Record<string, unknown>)).toContain('Running the query');
    expect(h.adapter.updated[1]?.text).toBe('done');
  });

  it('when a conversationUpdate adds someone else, then nothing is sent and nothing fails', async () => {
    const h = createBotHarness();
    const activity = buildMessage('x');
    await h.send({ ...activity, type: 'conversationUpdate', text: undefined, membersAdded: [{ id: '29:someone-else', name: 'Someone' }] });
    expect(h.adapter.sent).toEqual([]);
  });

  it('when a conversationUpdate adds the bot, then one welcome card is sent, and a second delivery of the install sends none', async () => {
    const h = createBotHarness();
    const activity = { ...buildMessage('x'), type: 'conversationUpdate', text: undefined, membersAdded: [{ id: `28:${BOT_ID}`, name: 'Data Agent' }] };
    await h.send({ ...activity, recipient: { id: `28:${BOT_ID}`, name: 'Data Agent' } });
    await h.send({ ...activity, type: 'installationUpdate', action: 'add', membersAdded: undefined, recipient: { id: `28:${BOT_ID}`, name: 'Data Agent' } });
    expect(h.adapter.cards()).toHaveLength(1);
    expect(cardText(h.adapter.cards()[0])).toMatch(/Try one of these/);
  });
});
