import { demoUser } from '../../emulators/teams/accounts';
import type { EntraCounters } from '../../emulators/entra/controls';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from './support/harness';
import {
  botMessagesSince,
  executionsOf,
  hasOauthCard,
  hasTable,
  SCENARIO,
  sleep,
  waitForAnswer,
  waitForApprovalCard,
  waitForCardState,
  withBotOutput,
  writeSqlOf,
} from './support/waits';

jest.setTimeout(E2E_TIMEOUT_MS);

const ALICE = demoUser('alice').upn;
const obo = (counters: EntraCounters, name: string): number => counters.byUser[demoUser(name).objectId]?.on_behalf_of ?? 0;

describe('two bot instances and restarts, end to end', () => {
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;
  const test = (name: string, body: () => Promise<void>): void => it(name, withBotOutput(() => world, body));

  beforeAll(async () => {
    world = await startWorld({ bots: 2 });
  });
  afterAll(async () => {
    await world?.stop();
  });

  test('when the bot restarts between the approval card and the click, then the approval still runs once', async () => {
    const alice = w().client('alice');
    const request = SCENARIO.write(100_301);
    const since = Date.now();
    await alice.say(request);
    const card = await waitForApprovalCard(w(), alice, since);

    await w().bots[0]?.restart();
    await alice.click(card, 'Approve');
    await waitForCardState(w(), card, /Done: \d+ rows? changed/);
    expect(await executionsOf(w(), ALICE, writeSqlOf(request))).toBe(1);
  });

  test('when the card came from one instance and the click goes to the other, then the other instance runs it and updates the card', async () => {
    const alice = w().client('alice');
    const aliceElsewhere = w().client('alice', 'personal', { bot: w().bots[1], autoSso: false, autoRefresh: false });
    const request = SCENARIO.write(100_401);
    const since = Date.now();
    await alice.say(request);
    const card = await waitForApprovalCard(w(), alice, since);

    await aliceElsewhere.click(card, 'Approve');
    await waitForCardState(w(), card, /Done: \d+ rows? changed/);
    expect(await executionsOf(w(), ALICE, writeSqlOf(request))).toBe(1);
  });

  test('when alice clicks Approve on both instances at the same moment, then the change runs exactly once', async () => {
    const alice = w().client('alice');
    const aliceElsewhere = w().client('alice', 'personal', { bot: w().bots[1], autoSso: false, autoRefresh: false });
    const request = SCENARIO.write(100_501);
    const since = Date.now();
    await alice.say(request);
    const card = await waitForApprovalCard(w(), alice, since);

    const clicks = await Promise.all([alice.click(card, 'Approve'), aliceElsewhere.click(card, 'Approve')]);
    expect(clicks.map((c) => c.status)).toEqual([200, 200]);
    await waitForCardState(w(), card, /Done: \d+ rows? changed/);
    await sleep(2000);
    expect(await executionsOf(w(), ALICE, writeSqlOf(request))).toBe(1);
  });

  test('when two Teams clients answer the same sign-in card on different instances, then one OBO exchange happens and the question is answered once', async () => {
    const carol = w().client('carol', 'personal', { autoSso: false });
    const carolWeb = w().client('carol', 'personal', { bot: w().bots[1], autoSso: false, autoRefresh: false });
    const before = await w().entra.counters();
    const since = Date.now();
    await carol.say(SCENARIO.question);
    const oauth = await w().connector.log.waitFor((r) => hasOauthCard(r.activity), { conversationId: carol.conversation.id, since, timeoutMs: 30_000 });

    const results = await Promise.all([carol.exchangeToken(oauth), carolWeb.exchangeToken(oauth)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200]);
    await waitForAnswer(w(), carol, since);
    await sleep(3000);
    expect(obo(await w().entra.counters(), 'carol') - obo(before, 'carol')).toBe(1);
    expect(botMessagesSince(w(), carol, since).filter((r) => hasTable(r.activity))).toHaveLength(1);
  });
});
