import type { Activity } from 'botbuilder';
import { createAdapter } from '../../../bot/adapters/teams-ai/adapter';
import { VERBS } from '../../../bot/present/verbs';
import { createServer, type RunningServer } from '../../../bot/http/server';
import { silentLogger } from '../../../src/logging';
import { REFUSAL_BODY, boundaryRefusal } from '../../../bot/turns/trust-boundary';
import { ALICE, BOT_ID, TENANT, buildCardAction, buildInvoke, buildMessage } from '../../fakes/bot-activities';
import { type BotHarness, createBotHarness } from '../../fakes/bot-harness';
import { buildApproval, buildGenieAnswer } from '../../fakes/bot-ports';

const FOREIGN_TENANT = 'f0e1d2c3-0000-4000-8000-0000000000ff';

/** Counts every call the routes could make on the ports: agents, identity, dedupe and Databricks. */
function countPortCalls(h: BotHarness): () => number {
  const spies = [
    ...(['handleMessage', 'decide', 'viewApproval', 'resetThread', 'listMemories', 'forgetMemory'] as const).map((m) => jest.spyOn(h.agents, m)),
    ...(['validateSsoToken', 'signIn', 'hasSession', 'tokenProviderFor', 'signOut'] as const).map((m) => jest.spyOn(h.identity, m)),
    jest.spyOn(h.dedupe, 'claim'),
    jest.spyOn(h.deps, 'buildDatabricks'),
  ];
  return () => spies.reduce((n, s) => n + s.mock.calls.length, 0);
}

function withChannel(activity: Partial<Activity>, channelId: string | undefined): Partial<Activity> {
  const copy: Partial<Activity> = { ...activity };
  if (channelId === undefined) delete copy.channelId;
  else copy.channelId = channelId;
  return copy;
}

function withTenant(activity: Partial<Activity>, tenantId: string | undefined): Partial<Activity> {
  const conversation = { ...activity.conversation! };
  if (tenantId === undefined) delete conversation.tenantId;
  else conversation.tenantId = tenantId;
  return { ...activity, conversation };
}

/** A message, an approval card action and a token exchange: every kind of activity the routes act on. */
function everyKind(): Partial<Activity>[] {
  return [
    buildMessage('total sales', { where: 'groupChat' }),
    buildMessage('memory'),
    buildCardAction(VERBS.approvalRefresh, { approvalId: 'appr-1' }, { where: 'groupChat' }),
    buildCardAction(VERBS.approvalApprove, { approvalId: 'appr-1' }, { where: 'groupChat' }),
    buildInvoke('signin/tokenExchange', { id: 'x', token: `sso:${TENANT}:${ALICE.oid}` }, { where: 'groupChat' }),
  ];
}

async function expectRefusedUntouched(mutate: (a: Partial<Activity>) => Partial<Activity>): Promise<void> {
  for (const original of everyKind()) {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    h.agents.approvals.set('appr-1', buildApproval({ id: 'appr-1' }));
    const calls = countPortCalls(h);
    const activity = mutate(original);
    const response = await h.send(activity);
    if (activity.type === 'invoke') expect(response).toEqual({ status: 403, body: REFUSAL_BODY });
    else expect(response).toBeUndefined();
    expect({ kind: `${activity.type}:${activity.name ?? activity.text}`, calls: calls(), sent: h.adapter.sent, updated: h.adapter.updated }).toEqual({
      kind: `${activity.type}:${activity.name ?? activity.text}`,
      calls: 0,
      sent: [],
      updated: [],
    });
    expect(h.agents.messages).toEqual([]);
    expect(h.agents.decisions).toEqual([]);
    expect(h.dedupe.keys.size).toBe(0);
    expect(h.databricks.calls).toEqual([]);
  }
}

describe('Teams trust boundary on every activity (reliability #34)', () => {
  it.each(['webchat', 'directline', 'emulator', 'MSTEAMS', undefined])('when channelId is %p, then nothing is read, written or sent and invokes get 403', async (channelId) => {
    await expectRefusedUntouched((a) => withChannel(a, channelId));
  });

  it('when conversation.tenantId is a tenant that is not allowed, then nothing is read, written or sent and invokes get 403', async () => {
    await expectRefusedUntouched((a) => withTenant(a, FOREIGN_TENANT));
  });

  it('when the tenant is only in channelData (no conversation.tenantId), then the activity is refused', async () => {
    await expectRefusedUntouched((a) => ({ ...withTenant(a, undefined), channelData: { tenant: { id: TENANT } } }));
  });

  it('when the allowed tenant is in channelData but conversation.tenantId is foreign, then the activity is refused', async () => {
    await expectRefusedUntouched((a) => ({ ...withTenant(a, FOREIGN_TENANT), channelData: { tenant: { id: TENANT } } }));
  });

  it('when a Teams activity of an allowed tenant arrives, then it is handled (the boundary lets Teams through)', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    await h.send(buildMessage('total sales'));
    expect(h.agents.messages).toEqual([expect.objectContaining({ user: ALICE.oid, text: 'total sales' })]);
  });

  it.each([undefined, 'meeting', 'Personal'])('when the conversation type is %p, then it is handled as a group chat: the shared card holds no rows', async (conversationType) => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    h.agents.onMessage = async () => ({ kind: 'genie', answer: buildGenieAnswer() });
    const message = buildMessage('sales by region', { where: 'groupChat' });
    const conversation = { ...message.conversation!, conversationType: conversationType as string, isGroup: undefined as unknown as boolean };
    await h.send({ ...message, conversation });
    expect(h.agents.messages[0]).toMatchObject({ kind: 'groupChat' });
    const shared = JSON.stringify(h.adapter.updated.at(-1)?.attachments?.[0]?.content ?? {});
    expect(shared).toContain('result.refresh');
    expect(shared).not.toContain('west');
    expect(shared).not.toContain('West sold');
  });
});

describe('boundaryRefusal', () => {
  const ok = buildMessage('x');
  it('when the activity is from Teams in an allowed tenant, then it is admitted', () => {
    expect(boundaryRefusal(ok, [TENANT])).toBeUndefined();
    expect(boundaryRefusal(ok, ['other', TENANT])).toBeUndefined();
  });
  it('when anything is off, then the reason says which, without naming the allowed tenants', () => {
    expect(boundaryRefusal(withChannel(ok, 'webchat'), [TENANT])).toMatchObject({ reason: 'channel' });
    expect(boundaryRefusal(withTenant(ok, FOREIGN_TENANT), [TENANT])).toMatchObject({ reason: 'tenant' });
    expect(boundaryRefusal(withTenant(ok, ''), [TENANT])).toMatchObject({ reason: 'tenant' });
    expect(boundaryRefusal({ ...ok, conversation: { ...ok.conversation!, tenantId: 42 as unknown as string } }, [TENANT])).toMatchObject({ reason: 'tenant' });
    expect(boundaryRefusal(null, [TENANT])).toMatchObject({ reason: 'channel' });
    expect(JSON.stringify(boundaryRefusal(withTenant(ok, FOREIGN_TENANT), [TENANT]))).not.toContain(TENANT);
  });
});

describe('Teams trust boundary at the HTTP layer', () => {
  let server: RunningServer;
  let base: string;
  const handled: string[] = [];

  beforeAll(async () => {
    const adapter = createAdapter({ appId: BOT_ID, appPassword: undefined, tenantId: TENANT, appType: 'SingleTenant', authenticateInbound: false }, silentLogger());
    server = createServer({
      admit: (activity) => boundaryRefusal(activity, [TENANT])?.detail,
      logger: silentLogger(),
      authority: `https://login.example/${TENANT}`,
      probes: [],
      processActivity: (req, res) =>
        adapter.process(req, res, async (turn) => {
          handled.push(turn.activity.text ?? turn.activity.type);
        }),
    });
    base = `http://127.0.0.1:${await server.listen(0)}`;
  });
  afterAll(async () => {
    await server.close();
  });

  const post = (activity: Partial<Activity>): Promise<Response> =>
    fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });

  it('when a message comes from another channel or tenant, then it is answered 403 and never reaches the adapter', async () => {
    for (const activity of [withChannel(buildMessage('from webchat'), 'webchat'), withTenant(buildMessage('from elsewhere'), FOREIGN_TENANT)]) {
      const res = await post(activity);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual(REFUSAL_BODY);
    }
    expect(handled).toEqual([]);
    const ok = await post(buildMessage('from teams'));
    expect(ok.status).toBe(200);
    expect(handled).toEqual(['from teams']);
  });
});
