import { channelConversation, groupConversation, personalConversation } from '../../../emulators/teams/activities';
import { demoUser, personalConversationId, teamsUserId } from '../../../emulators/teams/accounts';
import { TeamsClient } from '../../../emulators/teams/client';
import { startConnector, type LocalConnector } from '../../../emulators/teams/connector';
import type { ConversationSpec } from '../../../emulators/teams/activities';
import { DEMO_DIRECTORY, findUser } from '../../../emulators/shared/directory';
import { startFakeBot, startFakeSso, type FakeBot } from './fake-bot';

const TENANT = DEMO_DIRECTORY.tenantId;
const BOT_ID = 'b07a0000-0000-4000-8000-0000000000b0';

describe('the Teams-like driver on the wire', () => {
  let connector: LocalConnector;
  let bot: FakeBot;
  let sso: Awaited<ReturnType<typeof startFakeSso>>;

  beforeAll(async () => {
    sso = await startFakeSso();
    bot = await startFakeBot((oid) => sso.tokenFor(findUser(DEMO_DIRECTORY, oid)?.shortName ?? '?'));
    connector = await startConnector({ tenantId: TENANT });
  });
  afterAll(async () => {
    await Promise.all([connector.stop(), bot.stop(), sso.stop()]);
  });

  const clientFor = (name: string, conversation?: ConversationSpec): TeamsClient =>
    new TeamsClient({ messagesUrl: bot.messagesUrl, botAppId: BOT_ID, tenantId: TENANT, ssoTokenUrl: sso.url, connector, user: demoUser(name), conversation: conversation ?? personalConversation(demoUser(name)) });

  it('when alice writes in 1:1 and the bot answers with an OAuthCard, then the client exchanges an SSO token for alice as Teams does', async () => {
    const alice = clientFor('alice');
    const result = await alice.say('hello');
    expect(result.status).toBe(200);
    const signedIn = await connector.log.waitFor((r) => r.activity.text === 'Signed in as Alice Wong', { conversationId: alice.conversation.id });
    await alice.idle();

    expect(sso.requests).toContainEqual({ user: 'alice' });
    const exchange = bot.received.find((a) => a.name === 'signin/tokenExchange');
    expect(exchange?.value).toEqual({ id: expect.stringMatching(/^ex-/), connectionName: 'sso', token: 'sso-token-for-alice' });
    expect(exchange?.from).toEqual({ id: teamsUserId(demoUser('alice')), name: 'Alice Wong', aadObjectId: demoUser('alice').objectId });
    expect(alice.exchanges).toEqual([expect.objectContaining({ status: 200 })]);
    expect(signedIn.activity.replyToId).toBe(exchange?.id);
    alice.close();
  });

  it('when alice clicks Approve, then an adaptiveCard/action invoke goes out and both the connector update and the invoke response card are recorded', async () => {
    const alice = clientFor('alice');
    const since = Date.now();
    await alice.say('change something');
    const card = await connector.log.waitFor((r) => /Approve for Alice/.test(JSON.stringify(r.activity.attachments ?? [])), { since });

    const result = await alice.click(card, 'Approve');

    expect(result.status).toBe(200);
    const invoke = bot.received[bot.received.length - 1];
    expect(invoke).toMatchObject({
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: card.id,
      value: { action: { type: 'Action.Execute', verb: 'approval.approve', data: { approvalId: 'ap1' } }, trigger: 'manual' },
    });
    const versions = connector.log.get(card.id)?.versions ?? [];
    expect(versions.map((v) => v.source)).toEqual(['original', 'connector', 'invoke-response']);
    expect(versions[1]?.activity.text).toBe('Executed: approval.approve by Alice Wong (manual)');
    alice.close();
  });

  it('when a card has a refresh action, then refresh sends it with trigger automatic', async () => {
    const alice = clientFor('alice');
    const since = Date.now();
    await alice.say('another change');
    const card = await connector.log.waitFor((r) => /Approve for Alice/.test(JSON.stringify(r.activity.attachments ?? [])), { since });
    await alice.refresh(card);
    expect(bot.received[bot.received.length - 1]?.value).toMatchObject({ action: { verb: 'approval.refresh' }, trigger: 'automatic' });
    alice.close();
  });

  it('when bob writes in a channel, then the message carries the bot mention, team and channel data, and no SSO exchange is attempted', async () => {
    const bob = clientFor('bob', channelConversation());
    await bob.say('how many orders?');
    const sent = bot.received[bot.received.length - 1];
    expect(sent).toMatchObject({
      type: 'message',
      text: '<at>Data Agent</at> how many orders?',
      conversation: { conversationType: 'channel', tenantId: TENANT, isGroup: true },
      channelData: { tenant: { id: TENANT }, team: { name: 'Retail Analytics' }, channel: { name: 'Orders' } },
      recipient: { id: `28:${BOT_ID}` },
      serviceUrl: connector.serviceUrl,
    });
    expect(sent?.entities).toContainEqual({ type: 'mention', text: '<at>Data Agent</at>', mentioned: { id: `28:${BOT_ID}`, name: 'Data Agent' } });
    await connector.log.waitFor((r) => r.conversationId === bob.conversation.id && JSON.stringify(r.activity).includes('oauth'));
    await bob.idle();
    expect(bob.exchanges).toEqual([]);
    bob.close();
  });

  it('when carol writes in the group chat, then only her own OAuthCard is answered by her client', async () => {
    const carol = clientFor('carol', groupConversation());
    const dave = clientFor('dave', groupConversation());
    await carol.say('hi');
    await connector.log.waitFor((r) => r.activity.text === 'Signed in as Carol Diaz');
    await Promise.all([carol.idle(), dave.idle()]);
    expect(carol.exchanges).toHaveLength(1);
    expect(dave.exchanges).toHaveLength(0);
    carol.close();
    dave.close();
  });

  it('when a group-chat card names carol in refresh.userIds, then only her client refreshes it and only she sees her view', async () => {
    const carol = clientFor('carol', groupConversation());
    const dave = clientFor('dave', groupConversation());
    const since = Date.now();
    await carol.say('change something');
    const card = await connector.log.waitFor((r) => /Approve for Carol/.test(JSON.stringify(r.activity.attachments ?? [])), { since });
    await Promise.all([carol.idle(), dave.idle()]);

    const refreshes = bot.received.filter((a) => a.name === 'adaptiveCard/action' && a.replyToId === card.id);
    expect(refreshes.map((a) => [a.from?.name, (a.value as { trigger: string }).trigger])).toEqual([['Carol Diaz', 'automatic']]);
    expect(JSON.stringify(carol.view(card))).toContain('approval.refresh by Carol Diaz (automatic)');
    expect(JSON.stringify(dave.view(card))).toContain('Approve for Carol');
    carol.close();
    dave.close();
  });

  it('when the bot creates a 1:1 conversation and reads members, then the connector answers like Teams', async () => {
    const alice = demoUser('alice');
    const base = `${connector.serviceUrl}v3/conversations`;
    const created = await fetch(base, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ isGroup: false, bot: { id: `28:${BOT_ID}` }, members: [{ id: teamsUserId(alice) }], tenantId: TENANT, activity: { type: 'message', text: 'your CSV' } }),
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; activityId: string };
    expect(body.id).toBe(personalConversationId(teamsUserId(alice)));
    expect(body.id).toBe(personalConversation(alice).id);
    expect(connector.log.get(body.activityId)?.activity.text).toBe('your CSV');

    const member = await fetch(`${base}/${encodeURIComponent(body.id)}/members/${encodeURIComponent(teamsUserId(alice))}`);
    expect(await member.json()).toMatchObject({ aadObjectId: alice.objectId, userPrincipalName: 'alice@contoso.example', tenantId: TENANT });
    const missing = await fetch(`${base}/${encodeURIComponent(body.id)}/members/29:nobody`);
    expect(missing.status).toBe(404);
  });
});
