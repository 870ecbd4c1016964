import { messageActivity } from '../../emulators/teams/activities';
import { activityText } from '../../emulators/teams/card-text';
import { demoUser } from '../../emulators/teams/accounts';
import type { EntraCounters } from '../../emulators/entra/controls';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from './support/harness';
import { botMessagesSince, hasOauthCard, hasTable, SCENARIO, sleep, waitForAnswer, waitForText, withBotOutput } from './support/waits';

jest.setTimeout(E2E_TIMEOUT_MS);

const obo = (counters: EntraCounters, name: string): number => counters.byUser[demoUser(name).objectId]?.on_behalf_of ?? 0;

describe('questions in Teams, end to end (real bot process, emulators, Teams-like client)', () => {
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;
  const test = (name: string, body: () => Promise<void>): void => it(name, withBotOutput(() => world, body));

  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.stop();
  });

  test('when alice asks her first question in 1:1, then Teams SSO signs her in with one OBO exchange and her question is answered with West rows only', async () => {
    const alice = w().client('alice');
    const before = await w().entra.counters();
    const since = Date.now();
    await alice.say(SCENARIO.question);
    const answer = await waitForAnswer(w(), alice, since);
    await alice.idle();

    const oauthCards = botMessagesSince(w(), alice, since).filter((r) => hasOauthCard(r.versions[0]?.activity ?? r.activity));
    expect(oauthCards).toHaveLength(1);
    expect(alice.exchanges).toEqual([expect.objectContaining({ status: 200 })]);
    expect(obo(await w().entra.counters(), 'alice') - obo(before, 'alice')).toBe(1);
    const text = activityText(answer.activity);
    expect(text).toMatch(/\bWest\b/);
    expect(text).not.toMatch(/\b(East|North|South|Central)\b/);
  });

  test('when alice asks a follow-up, then it is answered without another sign-in or OBO exchange', async () => {
    const alice = w().client('alice');
    const before = await w().entra.counters();
    const since = Date.now();
    await alice.say(SCENARIO.followUp);
    const answer = await waitForAnswer(w(), alice, since);
    await alice.idle();

    expect(botMessagesSince(w(), alice, since).some((r) => hasOauthCard(r.versions[0]?.activity ?? r.activity))).toBe(false);
    expect(alice.exchanges).toEqual([]);
    expect(obo(await w().entra.counters(), 'alice')).toBe(obo(before, 'alice'));
    expect(hasTable(answer.activity)).toBe(true);
  });

  test('when bob asks the same question, then he gets East rows and never West ones', async () => {
    const bob = w().client('bob');
    const since = Date.now();
    await bob.say(SCENARIO.question);
    const answer = await waitForAnswer(w(), bob, since);
    const text = activityText(answer.activity);
    expect(text).toMatch(/\bEast\b/);
    expect(text).not.toMatch(/\b(West|North|South|Central)\b/);
  });

  test('when Teams delivers the same message twice, at once, then the bot answers once and asks Genie once', async () => {
    const alice = w().client('alice');
    const upn = demoUser('alice').upn;
    const genieBefore = (await w().history(upn)).filter((q) => q.source === 'genie').length;
    const since = Date.now();
    const activity = messageActivity(alice.context, SCENARIO.question);
    const deliveries = await Promise.all([alice.post(activity), alice.post(activity)]);
    expect(deliveries.map((d) => d.status < 300)).toEqual([true, true]);
    await waitForAnswer(w(), alice, since);
    await sleep(3000);

    const answers = botMessagesSince(w(), alice, since).filter((r) => hasTable(r.activity));
    expect(answers).toHaveLength(1);
    const genieAfter = (await w().history(upn)).filter((q) => q.source === 'genie').length;
    expect(genieAfter - genieBefore).toBe(1);
  });

  test('when carol, who never signed in, mentions the bot in a channel, then she is asked to sign in through a 1:1 chat and no data is queried', async () => {
    const carol = w().client('carol', 'channel');
    const since = Date.now();
    const sent = await carol.say(SCENARIO.question);
    expect(sent.activity.text).toMatch(/^<at>/);
    const reply = await waitForText(w(), carol, /sign in/i, since);
    await carol.idle();

    expect(hasOauthCard(reply.activity)).toBe(false);
    expect(hasTable(reply.activity)).toBe(false);
    expect(carol.exchanges).toEqual([]);
    expect((await w().history(demoUser('carol').upn)).filter((q) => Date.parse(q.startedAt) >= since)).toEqual([]);
  });

  test('when dave, who has no consent for Azure Databricks, answers the sign-in card, then the exchange is refused with 412 and no data is queried', async () => {
    const dave = w().client('dave');
    const since = Date.now();
    await dave.say(SCENARIO.question);
    await w().connector.log.waitFor((r) => hasOauthCard(r.activity), { conversationId: dave.conversation.id, since, timeoutMs: 30_000 });
    await dave.idle();
    expect(dave.exchanges.map((e) => e.status)).toEqual([412]);
    expect(botMessagesSince(w(), dave, since).some((r) => hasTable(r.activity))).toBe(false);
    expect((await w().history(demoUser('dave').upn)).filter((q) => Date.parse(q.startedAt) >= since)).toEqual([]);
  });
});
