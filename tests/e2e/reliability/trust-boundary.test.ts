/**
 * reliability-security §6 cases 34, 35, 36 and 38 through a real bot process (local profile):
 * activities from other channels or tenants are refused before anything is read or written; an
 * approval id is honoured only where it was requested; another member exchanging the asker's
 * sign-in card first does not lose the asker's question; memories are shown only to their owner.
 * "Read or written" is measured on the emulators: Cosmos item counts, Entra token requests and the
 * warehouse's query history.
 */
import { randomUUID } from 'node:crypto';
import { cardActionValue, personalConversation } from '../../../emulators/teams/activities';
import { demoUser } from '../../../emulators/teams/accounts';
import { activityText, adaptiveCardOf } from '../../../emulators/teams/card-text';
import type { TeamsClient } from '../../../emulators/teams/client';
import type { Activity } from '../../../emulators/teams/types';
import { USER_MESSAGES } from '../../../src/errors';
import { CONTAINERS } from '../../../src/persistence/containers';
import { createCosmosClient } from '../../../src/persistence/cosmos-client';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from '../support/harness';
import { SCENARIO, approvalIdOf, botMessagesSince, executionsOf, hasOauthCard, hasTable, waitForApprovalCard, waitForCardState, waitForText, withBotOutput, writeSqlOf } from '../support/waits';

jest.setTimeout(E2E_TIMEOUT_MS * 2);

const DATABASE = `e2e-trust-${randomUUID().slice(0, 8)}`;
const FOREIGN_TENANT = 'f0e1d2c3-0000-4000-8000-0000000000ff';
const ALICE = demoUser('alice');
const REFUSED = { error: 'Forbidden', message: 'This bot only serves Microsoft Teams in the organisations it is set up for.' };

describe('Teams trust boundary against a real bot process', () => {
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;
  const test = (name: string, body: () => Promise<void>): void => it(name, withBotOutput(() => world, body));
  let cosmos: ReturnType<typeof createCosmosClient> | undefined;

  beforeAll(async () => {
    world = await startWorld({ env: { COSMOS_DATABASE: DATABASE } });
    cosmos = createCosmosClient({ endpoint: w().stack.cosmos.endpoint, key: w().stack.cosmos.key, databaseId: DATABASE, endpointDiscovery: false });
  });
  afterAll(async () => {
    cosmos?.dispose();
    await world?.stop();
  });

  /** Items per Cosmos container, Entra token requests and warehouse/Genie queries: what "read or written" means here. */
  async function footprint(): Promise<Record<string, number>> {
    const database = cosmos!.database(DATABASE);
    const counts: Record<string, number> = {};
    for (const name of Object.keys(CONTAINERS)) {
      const { resources } = await database.container(name).items.query<{ id: string }>('SELECT c.id FROM c').fetchAll();
      counts[`cosmos.${name}`] = resources.length;
    }
    counts['entra.tokenRequests'] = Object.values((await w().entra.counters()).byGrant).reduce((a, b) => a + b, 0);
    counts['databricks.queries'] = (await w().history()).length;
    return counts;
  }

  async function deniedAudit(approvalId: string): Promise<{ user: string; detail: string | undefined; sql: string | undefined }[]> {
    const { resources } = await cosmos!
      .database(DATABASE)
      .container('audit')
      .items.query<{ kind: string; userObjectId: string; detail?: string; sql?: string }>({ query: 'SELECT * FROM c WHERE c.approvalId = @id', parameters: [{ name: '@id', value: approvalId }] })
      .fetchAll();
    return resources.filter((e) => e.kind === 'approval.denied').map((e) => ({ user: e.userObjectId, detail: e.detail, sql: e.sql ?? undefined }));
  }

  /** A pending change alice requested in the group chat, with its card and approval id. */
  async function pendingGroupChange(from: number) {
    const alice = w().client('alice', 'group');
    const request = SCENARIO.write(from);
    const since = Date.now();
    await alice.say(request);
    await alice.idle();
    const card = await waitForApprovalCard(w(), alice, since);
    return { alice, request, card, approvalId: approvalIdOf(alice.view(card)) };
  }

  const withChannel = (activity: Activity, channelId: string | undefined): Activity => {
    const copy = { ...activity };
    if (channelId === undefined) delete copy.channelId;
    else copy.channelId = channelId;
    return copy;
  };
  const withTenant = (activity: Activity, tenantId: string | undefined): Activity => {
    const conversation = { ...activity.conversation! };
    if (tenantId === undefined) delete conversation.tenantId;
    else conversation.tenantId = tenantId;
    return { ...activity, conversation };
  };

  /**
   * Posts each variant of a message and a card action; all must be refused (403; 400 when the activity
   * has no channelId at all, which the shape check refuses first) and leave no footprint, and the same
   * client is served afterwards.
   */
  async function expectRefused(client: TeamsClient, mutate: (a: Activity) => Activity, expected: { status: number; body: unknown } = { status: 403, body: REFUSED }): Promise<void> {
    const before = await footprint();
    const since = Date.now();
    const message = mutate({ ...buildMessage(client, 'total sales by region') });
    const action = mutate(buildAction(client, 'approval.refresh', { approvalId: 'AAAAAAAAAAAAAAAAAAAAAAAA' }));
    for (const activity of [message, action]) {
      const result = await client.post(activity);
      expect({ status: result.status, body: result.body }).toEqual(expected);
    }
    expect(await footprint()).toEqual(before);
    const served = Date.now();
    await client.say('help');
    await waitForText(w(), client, /I answer questions about your Databricks data/, served);
    expect(botMessagesSince(w(), client, since).filter((r) => r.receivedAt < served)).toEqual([]);
  }

  function buildMessage(client: TeamsClient, text: string): Activity {
    return { ...clientActivity(client, 'message'), text, textFormat: 'plain' };
  }
  function buildAction(client: TeamsClient, verb: string, data: unknown): Activity {
    return { ...clientActivity(client, 'invoke'), name: 'adaptiveCard/action', value: cardActionValue(verb, data, 'manual') };
  }
  function clientActivity(client: TeamsClient, type: string): Activity {
    const { user, conversation } = client.context;
    return {
      type,
      id: `${Date.now()}${Math.floor(Math.random() * 1000)}`,
      serviceUrl: w().connector.serviceUrl,
      channelId: 'msteams',
      from: { id: `29:${user.objectId}`, name: user.displayName, aadObjectId: user.objectId },
      recipient: { id: `28:${w().stack.botAppId}`, name: 'Data Agent' },
      conversation: { id: conversation.id, conversationType: conversation.kind, tenantId: w().stack.tenantId },
      channelData: { tenant: { id: w().stack.tenantId } },
    };
  }

  describe('case 34: channel and tenant on every activity', () => {
    for (const channelId of ['webchat', 'directline', 'emulator', 'MSTEAMS']) {
      test(`when an activity says channelId ${channelId}, then it is answered 403 and nothing is read or written`, async () => {
        await expectRefused(w().client('carol'), (a) => withChannel(a, channelId));
      });
    }

    test('when an activity has no channelId, then it is answered 400 and nothing is read or written', async () => {
      const invalid = { error: 'InvalidActivity', message: 'The request body is not a valid Bot Framework activity (channelId: Required).' };
      await expectRefused(w().client('carol'), (a) => withChannel(a, undefined), { status: 400, body: invalid });
    });

    test('when conversation.tenantId is a tenant that is not allowed, then it is answered 403 and nothing is read or written', async () => {
      await expectRefused(w().client('carol'), (a) => withTenant(a, FOREIGN_TENANT));
    });

    test('when the tenant is only in channelData, then it is answered 403 and nothing is read or written', async () => {
      await expectRefused(w().client('carol'), (a) => withTenant(a, undefined));
    });
  });

  describe('case 35: an approval id used outside its conversation or tenant', () => {
    test('when the requester and another member use the approval id from other conversations, then refresh, approve and reject are refused with nothing of the SQL or requester, audited, and nothing runs', async () => {
      const { request, card, approvalId, alice } = await pendingGroupChange(110_001);
      const elsewhere = [w().client('alice', 'personal'), w().client('bob', 'channel')];
      const before = await footprint();
      for (const client of elsewhere) {
        for (const verb of ['approval.refresh', 'approval.approve', 'approval.reject']) {
          const result = await client.invoke('adaptiveCard/action', cardActionValue(verb, { approvalId }, 'manual'), card.id);
          expect({ verb, status: result.status, body: result.body }).toEqual({
            verb,
            status: 200,
            body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: USER_MESSAGES['APPROVAL.OTHER_CONVERSATION'] },
          });
        }
      }
      const after = await footprint();
      expect(after['databricks.queries']).toBe(before['databricks.queries']);
      expect(after['entra.tokenRequests']).toBe(before['entra.tokenRequests']);
      expect(await executionsOf(w(), ALICE.upn, writeSqlOf(request))).toBe(0);
      const denied = await deniedAudit(approvalId);
      expect(denied.map((d) => `${d.user === ALICE.objectId ? 'alice' : 'bob'} ${d.detail}`).sort()).toEqual(
        [
          'alice view: APPROVAL.OTHER_CONVERSATION (used from another conversation)',
          'alice approve: APPROVAL.OTHER_CONVERSATION (used from another conversation)',
          'alice reject: APPROVAL.OTHER_CONVERSATION (used from another conversation)',
          'bob view: APPROVAL.OTHER_CONVERSATION (used from another conversation)',
          'bob approve: APPROVAL.OTHER_CONVERSATION (used from another conversation)',
          'bob reject: APPROVAL.OTHER_CONVERSATION (used from another conversation)',
        ].sort(),
      );
      expect(denied.every((d) => d.sql === undefined)).toBe(true);

      await alice.click(card, 'Approve');
      await waitForCardState(w(), card, /Done: \d+ rows? changed/);
      expect(await executionsOf(w(), ALICE.upn, writeSqlOf(request))).toBe(1);
    });

    test('when the approval id is used from another tenant, then it is refused before anything is read (403), and the request is untouched', async () => {
      const { request, card, approvalId, alice } = await pendingGroupChange(110_101);
      const outsider = w().client('dave', 'group', { tenantId: FOREIGN_TENANT });
      const before = await footprint();
      for (const verb of ['approval.refresh', 'approval.approve', 'approval.reject']) {
        const result = await outsider.invoke('adaptiveCard/action', cardActionValue(verb, { approvalId }, 'manual'), card.id);
        expect({ verb, status: result.status, body: result.body }).toEqual({ verb, status: 403, body: REFUSED });
      }
      expect(await footprint()).toEqual(before);
      expect(await deniedAudit(approvalId)).toEqual([]);
      expect(activityText(w().connector.log.get(card.id)?.activity ?? card.activity)).toContain('Waiting for approval');
      await alice.click(card, 'Reject');
      await waitForCardState(w(), card, /Rejected/);
      expect(await executionsOf(w(), ALICE.upn, writeSqlOf(request))).toBe(0);
    });
  });

  describe('case 36: the sign-in race in a group chat', () => {
    test('when another member exchanges the asker’s sign-in card first, then the asker still ends signed in and her pending question is answered', async () => {
      const asker = w().client('carol', 'group', { autoSso: false });
      const bob = w().client('bob', 'group');
      const since = Date.now();
      // Other files share the emulators: carol's earlier queries are counted out.
      const before = (await w().history(demoUser('carol').upn)).length;
      await asker.say(SCENARIO.question);
      const oauth = await w().connector.log.waitFor((r) => r.receivedAt >= since && hasOauthCard(r.activity), { conversationId: asker.conversation.id, timeoutMs: 60_000 });
      expect((await w().history(demoUser('carol').upn)).slice(before)).toEqual([]);

      const bobs = await bob.exchangeToken(oauth);
      expect(bobs.status).toBe(200);
      const carols = await asker.exchangeToken(oauth);
      expect(carols.status).toBe(200);

      const shared = await w().connector.log.waitFor((r) => r.receivedAt >= since && JSON.stringify(adaptiveCardOf(r.activity) ?? {}).includes('result.refresh'), {
        conversationId: asker.conversation.id,
        timeoutMs: 60_000,
      });
      await asker.refresh(shared);
      expect(hasTable(asker.view(shared))).toBe(true);
      expect((await w().history(demoUser('carol').upn)).length).toBeGreaterThan(before);
    });
  });

  describe('case 38: memories only to their owner', () => {
    test('when alice asks what the bot remembers in a group chat, then the answer goes to her 1:1 chat and the group sees none of it', async () => {
      const secret = `my cost centre is ${randomUUID().slice(0, 8)}`;
      const alice = w().client('alice', 'group');
      const remembered = Date.now();
      await alice.say(`remember that ${secret}`);
      await waitForText(w(), alice, /I will remember/, remembered);

      const since = Date.now();
      await alice.say('what do you remember');
      await waitForText(w(), alice, /1:1 chat/, since);
      const personal = personalConversation(ALICE).id;
      const privately = await w().connector.log.waitFor((r) => r.receivedAt >= since && activityText(r.activity).includes(secret), { conversationId: personal, timeoutMs: 60_000 });
      expect(privately.conversationId).toBe(personal);
      const groupSince = w().connector.log.list(alice.conversation.id).filter((r) => r.receivedAt >= since);
      expect(groupSince.map((r) => r.versions.map((v) => activityText(v.activity)).join('\n')).join('\n')).not.toContain(secret);
    });
  });
});
