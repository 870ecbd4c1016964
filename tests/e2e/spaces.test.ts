import { randomUUID } from 'node:crypto';
import { baseActivity, cardActionValue, channelConversation, groupConversation } from '../../emulators/teams/activities';
import { activityText, renderActivity } from '../../emulators/teams/card-text';
import type { TeamsClient } from '../../emulators/teams/client';
import type { RecordedActivity } from '../../emulators/teams/types';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from './support/harness';
import { botMessagesSince, buttonTitles, SCENARIO, sleep, waitForAnswer, waitForText, withBotOutput } from './support/waits';

jest.setTimeout(E2E_TIMEOUT_MS);

/** The text of an Action.Execute answer (`application/vnd.microsoft.activity.message`). */
const answerText = (body: unknown): string => String((body as { value?: unknown } | undefined)?.value ?? '');

const idsOn = (record: RecordedActivity, field: string): string[] =>
  renderActivity(record.activity).buttons.map((b) => (b.data as Record<string, unknown> | undefined)?.[field]).filter((v): v is string => typeof v === 'string');

describe('Genie spaces and history in Teams, end to end (real bot process, emulators, Teams-like clients)', () => {
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;
  const test = (name: string, body: () => Promise<void>): void => it(name, withBotOutput(() => world, body));

  /** Signs the person in (first question) and returns their 1:1 client. */
  async function signedIn(name: string): Promise<TeamsClient> {
    const client = w().client(name);
    const since = Date.now();
    await client.say(SCENARIO.question);
    await waitForAnswer(w(), client, since);
    await client.idle();
    return client;
  }

  async function cardAfter(client: TeamsClient, text: string, pattern: RegExp): Promise<RecordedActivity> {
    const since = Date.now();
    await client.say(text);
    return waitForText(w(), client, pattern, since);
  }

  const history = (client: TeamsClient): Promise<RecordedActivity> => cardAfter(client, 'history', /Your conversations in /);

  beforeAll(async () => {
    world = await startWorld({ bots: 2 });
  });
  afterAll(async () => {
    await world?.stop();
  });

  test('when carol lists spaces, then she sees Retail sales and People (HR) but not the space outside the allow-list; she switches to HR and gets its rows', async () => {
    const carol = await signedIn('carol');
    const card = await cardAfter(carol, 'space', /Genie spaces/);
    const text = activityText(card.activity);
    expect(text).toMatch(/Retail sales\** \(current\)/);
    expect(text).toMatch(/People \(HR\)/);
    expect(text).not.toMatch(/Retail sandbox/);

    const picked = await carol.click(card, /Use People \(HR\)/);
    expect(answerText(picked.body)).toMatch(/now asks the Genie space \*\*People \(HR\)\*\*/);
    const since = Date.now();
    await carol.say('What is the headcount by department?');
    const answer = await waitForAnswer(w(), carol, since);
    expect(activityText(answer.activity)).toMatch(/Analytics/);
    expect(activityText(answer.activity)).toMatch(/Data Platform/);

    const typed = await cardAfter(carol, 'space retail sandbox', /not offered by this bot/);
    expect(activityText(typed.activity)).toMatch(/not offered/);
  });

  test('when carol asks through another bot instance (same Cosmos, fresh process state), then her chat still asks People (HR)', async () => {
    const carol = w().client('carol', 'personal', { bot: w().bots[1] });
    const since = Date.now();
    await carol.say('List all employees');
    const answer = await waitForAnswer(w(), carol, since);
    expect(activityText(answer.activity)).toMatch(/Zoe Larsen|Maria Lopez/);
  });

  test('when alice lists spaces, then People (HR) is not there, and picking it by name fails with a clear error', async () => {
    const alice = await signedIn('alice');
    const card = await cardAfter(alice, 'space', /Genie spaces/);
    expect(activityText(card.activity)).toMatch(/Retail sales/);
    expect(activityText(card.activity)).not.toMatch(/People \(HR\)/);
    const refused = await cardAfter(alice, 'space People (HR)', /does not exist or you do not have access/);
    expect(activityText(refused.activity)).not.toMatch(/now asks/);
  });

  test('when bob picks HR in a group chat and alice asks there, then alice gets a clear error, never bob\'s access', async () => {
    await signedIn('bob');
    await signedIn('alice');
    const group = groupConversation(`19:spaces-${randomUUID()}@thread.v2`, 'Spaces e2e');
    const bob = w().client('bob', 'group', { conversation: group });
    const alice = w().client('alice', 'group', { conversation: group });
    const card = await cardAfter(bob, 'space', /Genie spaces/);
    await bob.click(card, /Use People \(HR\)/);
    await waitForText(w(), bob, /Bob Kim switched this conversation/, card.receivedAt);
    const since = Date.now();
    await alice.say('List all employees');
    const refusal = await waitForText(w(), alice, /does not exist or you do not have access/, since);
    expect(activityText(refusal.activity)).not.toMatch(/Alice Wong|Bob Kim|Analytics/);
  });

  test('when alice and bob both ask, then each history lists only their own conversations, and bob cannot resume or delete alice\'s', async () => {
    const alice = await signedIn('alice');
    const bob = await signedIn('bob');
    const aliceCard = await history(alice);
    const bobCard = await history(bob);
    const aliceIds = new Set(idsOn(aliceCard, 'conversationId'));
    const bobIds = new Set(idsOn(bobCard, 'conversationId'));
    expect(aliceIds.size).toBeGreaterThan(0);
    expect(bobIds.size).toBeGreaterThan(0);
    expect([...aliceIds].filter((id) => bobIds.has(id))).toEqual([]);
    expect(activityText(aliceCard.activity)).toMatch(/What are total sales by region\?/);

    const stolen = [...aliceIds][0] as string;
    for (const verb of ['history.resume', 'history.delete']) {
      const result = await bob.invoke('adaptiveCard/action', cardActionValue(verb, { conversationId: stolen }, 'manual'), bobCard.id);
      expect(result.status).toBe(200);
      expect(answerText(result.body)).toMatch(/not one of your Genie conversations/);
    }
    expect(idsOn(await history(alice), 'conversationId')).toContain(stolen);
  });

  test('when the bot is installed in a 1:1 chat, a group chat and a channel, then each gets its own short welcome with starter buttons', async () => {
    const texts: string[] = [];
    for (const where of ['personal', 'group', 'channel'] as const) {
      const conversation = where === 'personal' ? undefined : where === 'group' ? groupConversation(`19:welcome-${randomUUID()}@thread.v2`) : channelConversation(`19:welcome-${randomUUID()}@thread.tacv2`);
      const dave = w().client('dave', where, conversation ? { conversation } : {});
      const since = Date.now();
      const bot = { id: `28:${w().stack.botAppId}`, name: 'Data Agent' };
      await dave.conversationUpdate({ membersAdded: [bot], recipient: bot });
      await dave.post({ ...baseActivity(dave.context, 'installationUpdate'), action: 'add', recipient: bot });
      const welcome = await waitForText(w(), dave, /Try one of these/, since);
      texts.push(activityText(welcome.activity));
      expect(renderActivity(welcome.activity).buttons.map((b) => b.verb)).toContain('result.followup');
      await sleep(1000);
      expect(botMessagesSince(w(), dave, since).filter((r) => /Try one of these/.test(activityText(r.activity)))).toHaveLength(1);
    }
    const [personal, group, channel] = texts as [string, string, string];
    expect(personal).toMatch(/^Hi Dave Patel!/);
    expect(group).toMatch(/^Hi everyone!/);
    expect(channel).toMatch(/Sign in once in a 1:1 chat/);
    expect(new Set(texts).size).toBe(3);
    expect(group).not.toMatch(/Space: /);
    expect(channel).not.toMatch(/Space: /);
  });

  test('when carol says help in her 1:1 chat, then the card shows her space with its sample questions, and a starter button asks that question', async () => {
    const carol = w().client('carol');
    const help = await cardAfter(carol, 'help', /Try one of these/);
    const text = activityText(help.activity);
    expect(text).toMatch(/Space: \*\*People \(HR\)\*\*/);
    expect(buttonTitles(help.activity)).toContain('What is the headcount by department?');
    const since = Date.now();
    const clicked = await carol.click(help, 'What is the headcount by department?');
    expect(answerText(clicked.body)).toMatch(/Asking: What is the headcount by department\?/);
    const answer = await waitForAnswer(w(), carol, since);
    expect(activityText(answer.activity)).toMatch(/Data Platform/);
  });

  test('when a user with CAN RUN only says help, then the space is shown without sample questions (they may not read them) and with generic starters', async () => {
    const runner = await signedIn('load01');
    const help = await cardAfter(runner, 'help', /Try one of these/);
    const text = activityText(help.activity);
    expect(text).toMatch(/Space: \*\*Retail sales\*\*/);
    expect(buttonTitles(help.activity)).toEqual(['What data can I ask about here?', 'Which tables does this space use?']);
  });

  test('when alice resumes an older conversation, then her next question continues it; when she deletes one, then it is gone', async () => {
    const alice = w().client('alice');
    const first = idsOn(await history(alice), 'conversationId');
    await cardAfter(alice, 'new conversation', /Started a new conversation/);
    const since = Date.now();
    await alice.say(SCENARIO.followUp);
    const newer = await waitForAnswer(w(), alice, since);
    const newerId = idsOn(newer, 'conversationId')[0];
    expect(first).not.toContain(newerId);

    const card = await history(alice);
    const older = first[0] as string;
    const resumed = await alice.click(card, (b) => b.title === 'Resume' && (b.data as { conversationId?: string }).conversationId === older);
    expect(answerText(resumed.body)).toMatch(/^Resumed "/);
    const next = Date.now();
    await alice.say(SCENARIO.question);
    const continued = await waitForAnswer(w(), alice, next);
    expect(idsOn(continued, 'conversationId')).toContain(older);

    const deleted = await alice.click(card, (b) => b.title === 'Delete' && (b.data as { conversationId?: string }).conversationId === newerId);
    expect(answerText(deleted.body)).toMatch(/^Deleted "/);
    expect(idsOn(await history(alice), 'conversationId')).not.toContain(newerId);
  });
});
