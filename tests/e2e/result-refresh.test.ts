/**
 * A private result card in a group chat, refreshed where its answer is not cached: on another bot
 * instance, and on the same instance after a restart. The asker gets the card she saw first (Genie's
 * text, SQL and rows, read again with her own token); another member gets neither rows nor text.
 */
import { adaptiveCardOf, activityText } from '../../emulators/teams/card-text';
import type { GenieCounters } from '../../emulators/databricks/genie';
import type { RecordedActivity } from '../../emulators/teams/types';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from './support/harness';
import { SCENARIO, hasTable, withBotOutput } from './support/waits';

jest.setTimeout(E2E_TIMEOUT_MS);

describe('refreshing a private result card where the answer is not cached, end to end', () => {
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;
  const test = (name: string, body: () => Promise<void>): void => it(name, withBotOutput(() => world, body));
  const genieCounters = async (): Promise<GenieCounters> => (await (await fetch(`${w().stack.databricks.controlUrl}/genie/counters`)).json()) as GenieCounters;

  let shared: RecordedActivity | undefined;
  let firstView: unknown;
  let firstText = '';

  beforeAll(async () => {
    world = await startWorld({ bots: 2 });
  });
  afterAll(async () => {
    await world?.stop();
  });

  /** Alice asks in the group chat on instance A; her own view (refreshed on A) is the reference. */
  async function askOnA(): Promise<RecordedActivity> {
    if (shared) return shared;
    const alice = w().client('alice', 'group');
    const since = Date.now();
    await alice.say(SCENARIO.question);
    const card = await w().connector.log.waitFor((r) => r.receivedAt >= since && hasTable(alice.view(r.id)), { conversationId: alice.conversation.id, timeoutMs: 60_000 });
    await alice.idle();
    firstView = adaptiveCardOf(alice.view(card));
    firstText = activityText(alice.view(card));
    shared = card;
    return card;
  }

  test('when alice refreshes her private card on the other instance, then she sees the same card as on the first one (text, SQL, rows), and Genie runs no new question or query', async () => {
    const card = await askOnA();
    expect(firstText).toMatch(/\bWest\b/);
    expect(firstText).toMatch(/Total sales by region/);
    expect(JSON.stringify(firstView)).toMatch(/SELECT/);
    const before = await genieCounters();

    const aliceOnB = w().client('alice', 'group', { bot: w().bots[1], autoSso: false, autoRefresh: false });
    const refreshed = await aliceOnB.refresh(card);
    expect(refreshed.status).toBe(200);
    expect(activityText(aliceOnB.view(card))).toBe(firstText);
    expect(adaptiveCardOf(aliceOnB.view(card))).toEqual(firstView);
    expect(activityText(aliceOnB.view(card))).not.toMatch(/no longer available/);
    const after = await genieCounters();
    expect({ questions: after.questions - before.questions, queries: after.queriesRun - before.queriesRun }).toEqual({ questions: 0, queries: 0 });
  });

  test('when bob refreshes alice’s card on the other instance, then he gets neither her rows nor her answer text', async () => {
    const card = await askOnA();
    const bobOnB = w().client('bob', 'group', { bot: w().bots[1], autoSso: false, autoRefresh: false });
    const refreshed = await bobOnB.refresh(card);
    expect(refreshed.status).toBe(200);
    const seen = activityText(bobOnB.view(card));
    expect(hasTable(bobOnB.view(card))).toBe(false);
    expect(seen).toMatch(/Only .* can see this result/);
    expect(seen).not.toMatch(/\bWest\b/);
    expect(JSON.stringify(adaptiveCardOf(bobOnB.view(card)))).not.toMatch(/SELECT|Total sales by region/);
  });

  test('when instance A restarts and alice refreshes there, then she again sees the same card', async () => {
    const card = await askOnA();
    await w().bots[0]?.restart();
    const aliceOnA = w().client('alice', 'group', { autoSso: false, autoRefresh: false });
    const refreshed = await aliceOnA.refresh(card);
    expect(refreshed.status).toBe(200);
    expect(adaptiveCardOf(aliceOnA.view(card))).toEqual(firstView);
  });
});
