import { Writable } from 'node:stream';
import { createTurnErrorHandler } from '../../../bot/turns/turn-errors';
import { AppError, USER_MESSAGES } from '../../../src/errors';
import { createLogger } from '../../../src/logging';
import { ALICE, BOB, TENANT, buildInvoke, buildMessage } from '../../fakes/bot-activities';
import { createBotHarness } from '../../fakes/bot-harness';

function pendingExchangeId(h: ReturnType<typeof createBotHarness>): string {
  const card = h.adapter.sent.find((a) => a.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.oauth');
  return (card?.attachments?.[0]?.content as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
}

/** The turn error handler's log lines, to match a card's reference with the logged correlation id. */
function recordTurnErrors(h: ReturnType<typeof createBotHarness>): { correlationId?: string; code?: string }[] {
  const lines: { correlationId?: string; code?: string }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { correlationId?: string; code?: string });
      done();
    },
  });
  h.adapter.onTurnError = createTurnErrorHandler(createLogger({ level: 'warn', destination }));
  return lines;
}

const cardsTitled = (h: ReturnType<typeof createBotHarness>, title: string): string[] =>
  h.adapter.cards().map((c) => JSON.stringify(c)).filter((text) => text.includes(title));

describe('SSO sign-in routes', () => {
  it('when the token exchange succeeds, then it answers 200 and replays the message that asked for sign-in', async () => {
    const h = createBotHarness();
    await h.send(buildMessage('total sales by region'));
    const id = pendingExchangeId(h);
    const response = await h.send(buildInvoke('signin/tokenExchange', { id, connectionName: '', token: `sso:${TENANT}:${ALICE.oid}` }));
    expect(response).toEqual({ status: 200, body: { id, failureDetail: '' } });
    expect(h.identity.signIns).toEqual([`${TENANT}:${ALICE.oid}`]);
    expect(h.agents.messages).toEqual([expect.objectContaining({ user: ALICE.oid, text: 'total sales by region' })]);
  });

  it('when two clients send the same exchange id, then only the first is processed', async () => {
    const h = createBotHarness();
    await h.send(buildMessage('total sales'));
    const id = pendingExchangeId(h);
    const value = { id, connectionName: '', token: `sso:${TENANT}:${ALICE.oid}` };
    const [a, b] = await Promise.all([h.deliver(buildInvoke('signin/tokenExchange', value)), h.deliver(buildInvoke('signin/tokenExchange', value))]);
    await h.settle();
    expect([a?.status, b?.status]).toEqual([200, 200]);
    expect(h.identity.signIns).toHaveLength(1);
    expect(h.agents.messages).toHaveLength(1);
  });

  it("when the SSO token belongs to another user than the activity's sender, then it answers 412 and signs nobody in", async () => {
    const h = createBotHarness();
    const response = await h.send(buildInvoke('signin/tokenExchange', { id: 'x-1', token: `sso:${TENANT}:${BOB.oid}` }));
    expect(response?.status).toBe(412);
    expect(h.identity.signIns).toEqual([]);
    expect(JSON.stringify(h.adapter.cards())).toContain('different account');
  });

  it('when OBO needs admin consent, then it answers 412 so Teams falls back, and sends the consent card with its link', async () => {
    const h = createBotHarness();
    h.identity.signInError = new AppError('AUTH.CONSENT_REQUIRED', 'AADSTS65001', { details: { consentUrl: 'https://login.example/adminconsent?client_id=x' } });
    const response = await h.send(buildInvoke('signin/tokenExchange', { id: 'x-2', token: `sso:${TENANT}:${ALICE.oid}` }));
    expect(response).toEqual({ status: 412, body: { id: 'x-2', failureDetail: expect.stringContaining('administrator') } });
    const card = JSON.stringify(h.adapter.cards()[0]);
    expect(card).toContain('Administrator consent needed');
    expect(card).toContain('https://login.example/adminconsent?client_id=x');
  });

  it('when the exchange has no token, then it answers 400', async () => {
    const h = createBotHarness();
    const response = await h.send(buildInvoke('signin/tokenExchange', { id: 'x-3' }));
    expect(response?.status).toBe(400);
  });

  it('when an invalid SSO token arrives, then it answers 412', async () => {
    const h = createBotHarness();
    const response = await h.send(buildInvoke('signin/tokenExchange', { id: 'x-4', token: 'garbage' }));
    expect(response?.status).toBe(412);
  });

  it('when Teams sends verifyState after the consent popup, then it answers 200 and re-sends the OAuthCard keeping the pending message', async () => {
    const h = createBotHarness();
    await h.send(buildMessage('orders last week'));
    const first = pendingExchangeId(h);
    const response = await h.send(buildInvoke('signin/verifyState', { state: first }));
    expect(response?.status).toBe(200);
    const second = h.adapter.sent.at(-1)?.attachments?.[0]?.content as { tokenExchangeResource: { id: string } };
    expect(second.tokenExchangeResource.id).not.toBe(first);
    await h.send(buildInvoke('signin/tokenExchange', { id: second.tokenExchangeResource.id, token: `sso:${TENANT}:${ALICE.oid}` }));
    expect(h.agents.messages.map((m) => m.text)).toEqual(['orders last week']);
  });

  it('when another member completes an exchange for a card someone else triggered, then nothing is replayed as them', async () => {
    const h = createBotHarness();
    await h.send(buildMessage('secret question', { where: 'groupChat' }));
    const id = pendingExchangeId(h);
    const response = await h.send(buildInvoke('signin/tokenExchange', { id, token: `sso:${TENANT}:${BOB.oid}` }, { from: BOB, where: 'groupChat' }));
    expect(response?.status).toBe(200);
    expect(h.agents.messages).toEqual([]);
  });

  it('when another member exchanges the asker’s card first (group chat), then the asker’s own exchange still signs her in and answers her question (reliability #36)', async () => {
    const h = createBotHarness();
    await h.send(buildMessage('sales by region', { where: 'groupChat' }));
    const id = pendingExchangeId(h);
    const bobs = await h.send(buildInvoke('signin/tokenExchange', { id, token: `sso:${TENANT}:${BOB.oid}` }, { from: BOB, where: 'groupChat' }));
    const alices = await h.send(buildInvoke('signin/tokenExchange', { id, token: `sso:${TENANT}:${ALICE.oid}` }, { from: ALICE, where: 'groupChat' }));
    expect([bobs?.status, alices?.status]).toEqual([200, 200]);
    expect(await h.identity.hasSession({ tenantId: TENANT, objectId: ALICE.oid })).toBe(true);
    expect(h.agents.messages).toEqual([expect.objectContaining({ user: ALICE.oid, kind: 'groupChat', text: 'sales by region' })]);
  });

  it('when the same sender’s exchange is redelivered in a group chat, then it is processed once', async () => {
    const h = createBotHarness();
    await h.send(buildMessage('sales by region', { where: 'groupChat' }));
    const value = { id: pendingExchangeId(h), token: `sso:${TENANT}:${ALICE.oid}` };
    await h.send(buildInvoke('signin/tokenExchange', value, { where: 'groupChat' }));
    await h.send(buildInvoke('signin/tokenExchange', value, { where: 'groupChat' }));
    expect(h.identity.signIns).toEqual([`${TENANT}:${ALICE.oid}`]);
    expect(h.agents.messages).toHaveLength(1);
  });

  describe('when Microsoft sign-in is down during the exchange', () => {
    const unavailable = (): AppError => new AppError('AUTH.IDENTITY_UNAVAILABLE', 'OBO answered HTTP 503');
    const failures: [string, (h: ReturnType<typeof createBotHarness>) => void][] = [
      ['the OBO token request fails', (h) => void (h.identity.signInError = unavailable())],
      ['the tenant keys cannot be loaded', (h) => void (h.identity.validateSsoToken = () => Promise.reject(unavailable()))],
    ];

    it.each(failures)('when %s, then it answers 412 and shows one "not answering" card with the reference the log carries', async (_name, fail) => {
      const h = createBotHarness();
      const logged = recordTurnErrors(h);
      await h.send(buildMessage('total sales by region'));
      const id = pendingExchangeId(h);
      fail(h);

      const response = await h.send(buildInvoke('signin/tokenExchange', { id, connectionName: '', token: `sso:${TENANT}:${ALICE.oid}` }));

      expect(response).toEqual({ status: 412, body: { id, failureDetail: USER_MESSAGES['AUTH.IDENTITY_UNAVAILABLE'] } });
      const cards = cardsTitled(h, 'Microsoft sign-in unavailable');
      expect(cards).toHaveLength(1);
      expect(cards[0]).toContain(USER_MESSAGES['AUTH.IDENTITY_UNAVAILABLE']);
      expect(logged).toEqual([expect.objectContaining({ code: 'AUTH.IDENTITY_UNAVAILABLE', correlationId: expect.any(String) })]);
      expect(cards[0]).toContain(`Reference: ${logged[0]?.correlationId}`);
      expect(h.identity.signIns).toEqual([]);
      expect(h.agents.messages).toEqual([]);
    });

    it('when Teams sends the same exchange again, then the card is not shown a second time', async () => {
      const h = createBotHarness();
      await h.send(buildMessage('total sales by region'));
      const id = pendingExchangeId(h);
      h.identity.signInError = unavailable();
      const value = { id, connectionName: '', token: `sso:${TENANT}:${ALICE.oid}` };

      await h.send(buildInvoke('signin/tokenExchange', value));
      await h.send(buildInvoke('signin/tokenExchange', value));

      expect(cardsTitled(h, 'Microsoft sign-in unavailable')).toHaveLength(1);
      expect(h.agents.messages).toEqual([]);
    });

    it('when sign-in answers again, then the next message gets a fresh sign-in card whose exchange succeeds and the question is answered', async () => {
      const h = createBotHarness();
      await h.send(buildMessage('total sales by region'));
      h.identity.signInError = unavailable();
      await h.send(buildInvoke('signin/tokenExchange', { id: pendingExchangeId(h), token: `sso:${TENANT}:${ALICE.oid}` }));
      h.identity.signInError = undefined;
      h.adapter.sent.length = 0;

      await h.send(buildMessage('orders last week'));
      const id = pendingExchangeId(h);
      const response = await h.send(buildInvoke('signin/tokenExchange', { id, token: `sso:${TENANT}:${ALICE.oid}` }));

      expect(response).toEqual({ status: 200, body: { id, failureDetail: '' } });
      expect(h.agents.messages.map((m) => m.text)).toEqual(['orders last week']);
      expect(cardsTitled(h, 'Microsoft sign-in unavailable')).toHaveLength(0);
    });
  });
});
