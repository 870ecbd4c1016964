/**
 * §4 case 9 with a slow handler: Genie takes ~18 s, longer than Teams waits for the bot, and Teams
 * delivers the same activity (same id) again while the first delivery is still being worked on — to
 * the same instance and to a second one. One agent run, one Genie question, one answer card.
 */
import { messageActivity } from '../../../emulators/teams/activities';
import { demoUser } from '../../../emulators/teams/accounts';
import { activityText } from '../../../emulators/teams/card-text';
import type { GenieCounters, PhaseLatency } from '../../../emulators/databricks/genie';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from '../support/harness';
import { SCENARIO, botMessagesSince, hasTable, sleep, waitForAnswer, withBotOutput } from '../support/waits';

jest.setTimeout(E2E_TIMEOUT_MS);

const SLOW_GENIE_MS = 18_000;
/** Teams gives a bot about 15 s before it redelivers; a redelivery must be answered well inside that. */
const QUICK_MS = 5_000;
const ERROR_TITLES = /Administrator consent needed|Sign-in needed|Microsoft sign-in unavailable|Permission denied|Databricks unavailable|Busy at the moment|Timed out|Unexpected error|I could not do that/;

interface Delivery {
  instance: number;
  status: number;
  ms: number;
}

describe('Teams redelivers a message while the first delivery is still in flight (case 9, slow handler)', () => {
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;
  const test = (name: string, body: () => Promise<void>): void => it(name, withBotOutput(() => world, body));
  const genie = async (path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${w().stack.databricks.controlUrl}/genie/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`genie control ${path}: HTTP ${response.status}`);
    return response.json();
  };
  const counters = async (): Promise<GenieCounters & { latency: PhaseLatency }> => (await genie('counters')) as GenieCounters & { latency: PhaseLatency };
  const logCounts = (): { runs: number; ignored: number } => {
    const output = w().bots.map((b) => b.output()).join('\n');
    return { runs: output.split('turn answered').length - 1, ignored: output.split('redelivered activity ignored').length - 1 };
  };
  let normalLatency: PhaseLatency | undefined;

  beforeAll(async () => {
    world = await startWorld({ bots: 2, env: { LOG_LEVEL: 'info' } });
    normalLatency = (await counters()).latency;
  });
  afterAll(async () => {
    if (world && normalLatency) await genie('latency', normalLatency).catch(() => undefined);
    await world?.stop();
  });

  test('when Genie takes 18 s and Teams delivers the same activity five more times to both instances meanwhile, then each redelivery gets a quick 200, Genie is asked once, and one answer card arrives with no error card', async () => {
    const alice = w().client('alice');
    const aliceOnSecond = w().client('alice', 'personal', { bot: w().bots[1], conversation: alice.conversation, autoSso: false, autoRefresh: false });
    const upn = demoUser('alice').upn;

    const warmUp = Date.now();
    await alice.say(SCENARIO.followUp);
    await waitForAnswer(w(), alice, warmUp);
    await alice.idle();

    const genieQueries = async (since: number): Promise<number> => (await w().history(upn)).filter((q) => q.source === 'genie' && Date.parse(q.startedAt) >= since).length;
    const before = await counters();
    const logsBefore = logCounts();
    const since = Date.now();
    await genie('latency', { askingAiMs: SLOW_GENIE_MS });
    try {
      const activity = messageActivity(alice.context, SCENARIO.question);
      const timed = async (instance: number): Promise<Delivery> => {
        const started = Date.now();
        const result = await (instance === 0 ? alice : aliceOnSecond).post(activity);
        return { instance, status: result.status, ms: Date.now() - started };
      };
      const first = await timed(0);
      const redeliveries: Delivery[] = [];
      for (const [delayMs, instance] of [[1000, 0], [500, 1], [3000, 1], [4000, 0], [4000, 1]] as const) {
        await sleep(delayMs);
        redeliveries.push(await timed(instance));
      }
      const answeredDuringRedeliveries = botMessagesSince(w(), alice, since).some((r) => hasTable(r.activity));
      const answer = await waitForAnswer(w(), alice, since);
      await sleep(3000);

      expect(first.status).toBe(200);
      expect(answeredDuringRedeliveries).toBe(false);
      expect(redeliveries.map((d) => d.status)).toEqual([200, 200, 200, 200, 200]);
      expect(redeliveries.filter((d) => d.ms > QUICK_MS)).toEqual([]);
      expect(activityText(answer.activity)).toMatch(/\bWest\b/);
      const messages = botMessagesSince(w(), alice, since);
      expect(messages.filter((r) => hasTable(r.activity))).toHaveLength(1);
      const everyVersion = messages.flatMap((r) => r.versions.map((v) => activityText(v.activity)));
      expect(everyVersion.filter((text) => ERROR_TITLES.test(text))).toEqual([]);
      const after = await counters();
      expect(after.questions - before.questions).toBe(1);
      expect(after.messagesCompleted - before.messagesCompleted).toBe(1);
      expect(after.rateLimited - before.rateLimited).toBe(0);
      expect(await genieQueries(since)).toBe(1);
      const logs = logCounts();
      expect({ runs: logs.runs - logsBefore.runs, ignored: logs.ignored - logsBefore.ignored }).toEqual({ runs: 1, ignored: 5 });
    } finally {
      await genie('latency', normalLatency ?? {});
    }
    expect((await counters()).latency).toEqual(normalLatency);
  });
});
