import { groupConversation } from '../../emulators/teams/activities';
import type { TeamsClient } from '../../emulators/teams/client';
import { demoUser } from '../../emulators/teams/accounts';
import { TEST_GENIE_POSTS_PER_MINUTE } from '../support/test-limits';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from './support/harness';
import { activityText } from '../../emulators/teams/card-text';
import { SCENARIO, sleep, waitForAnswer, withBotOutput } from './support/waits';

jest.setTimeout(E2E_TIMEOUT_MS * 2);

/** The workspace budget, on a scaled window (5 per 10 s instead of 5 per minute; `npm run bench:genie-budget` runs the real minute). */
const LIMIT = 5;
const WINDOW_MS = 10_000;
const USERS = ['load01', 'load02', 'load03', 'load04', 'load05'];
const PER_USER = 4;

interface Arrival {
  at: number;
  user: string;
  admitted: boolean;
}

function maxInAnyWindow(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return Math.max(0, ...sorted.map((t) => sorted.filter((u) => u >= t && u < t + WINDOW_MS).length));
}

/**
 * Between two consecutive grants of V, the most grants any other user got. Questions reach the budget
 * at different times (each turn does sign-in checks and routing first), and the first free slots go
 * to whoever is there; once the questions queue, round-robin must hold between each user's turns.
 */
function mostServedBetweenTurns(order: string[]): number {
  const since = new Map<string, Map<string, number>>();
  let worst = 0;
  for (const user of order) {
    for (const count of since.get(user)?.values() ?? []) worst = Math.max(worst, count);
    since.set(user, new Map());
    for (const [other, counts] of since) if (other !== user) counts.set(user, (counts.get(user) ?? 0) + 1);
  }
  return worst;
}

describe('one Genie budget for two bot instances, end to end', () => {
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;
  const control = (path: string): string => `${w().stack.databricks.controlUrl}/genie/${path}`;
  const setLimit = (postsPerWindow: number, windowMs: number): Promise<Response> =>
    fetch(control('rate-limit'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ postsPerWindow, windowMs }) });

  beforeAll(async () => {
    world = await startWorld({
      bots: 2,
      env: { GENIE_POSTS_PER_MINUTE: String(LIMIT), GENIE_BUDGET_WINDOW_MS: String(WINDOW_MS), GENIE_MAX_QUEUED_PER_USER: String(PER_USER), GENIE_MAX_QUEUE_WAIT_MS: '300000' },
    });
  });
  afterAll(async () => {
    if (world) await setLimit(TEST_GENIE_POSTS_PER_MINUTE, 60_000);
    await world?.stop();
  });

  it(
    `when 5 users ask ${PER_USER} questions each at once through two instances under a budget of ${LIMIT} per window, then the workspace never sees more than ${LIMIT} POSTs in a window and no user waits behind more than one question of another`,
    withBotOutput(() => world, async () => {
      // Sign-ins first (one question each, in their 1:1 chats), so the 20 questions below start together.
      await Promise.all(USERS.map(async (name) => {
        const client = w().client(name, 'personal', { bot: w().bots[USERS.indexOf(name) % 2] });
        const since = Date.now();
        await client.say(SCENARIO.question);
        await waitForAnswer(w(), client, since, 240_000);
        await client.idle();
      }));
      expect((await setLimit(LIMIT, WINDOW_MS)).status).toBe(200);
      const start = Date.now();
      // Four group chats per user (a thread runs one turn at a time), spread over both instances.
      const asks: { client: TeamsClient; since: number }[] = [];
      for (let q = 0; q < PER_USER; q += 1) {
        for (const [i, name] of USERS.entries()) {
          const conversation = groupConversation(`19:budget-${name}-${q}-${start}@thread.v2`, `Budget ${name} ${q}`);
          asks.push({ client: w().client(name, 'group', { conversation, bot: w().bots[(i + q) % 2] }), since: start });
        }
      }
      await Promise.all(asks.map(({ client }) => client.say(SCENARIO.question)));

      // Group-chat answers keep rows out of the chat, so the Genie emulator's own record tells when all 20 were asked.
      const upns = new Map(USERS.map((name) => [demoUser(name).upn.toLowerCase(), name]));
      let log: Arrival[] = [];
      const ours = (): Arrival[] => log.filter((a) => a.at >= start && upns.has(a.user.toLowerCase()));
      for (const deadline = Date.now() + 300_000; ours().length < USERS.length * PER_USER && Date.now() < deadline; await sleep(1000)) {
        log = ((await (await fetch(control('counters'))).json()) as { questionArrivals: Arrival[] }).questionArrivals;
      }
      if (ours().length < USERS.length * PER_USER) {
        const last = asks.map(({ client }) => w().connector.log.list(client.conversation.id).map((r) => activityText(r.activity)).pop() ?? '(nothing)');
        throw new Error(`only ${ours().length} questions reached Genie; last bot messages: ${last.join(' | ').slice(0, 3000)}`);
      }
      const arrivals = log.filter((a) => a.at >= start - WINDOW_MS);
      const order = ours().map((a) => upns.get(a.user.toLowerCase())!);
      console.info(`[figure] e2e budget: ${ours().length} question POSTs from ${start}, most in any ${WINDOW_MS} ms window ${maxInAnyWindow(arrivals.map((a) => a.at))}, order ${order.join(' ')}`);
      expect(arrivals.filter((a) => !a.admitted)).toEqual([]);
      expect(ours()).toHaveLength(USERS.length * PER_USER);
      expect(maxInAnyWindow(arrivals.map((a) => a.at))).toBeLessThanOrEqual(LIMIT);
      expect(mostServedBetweenTurns(order.slice(LIMIT))).toBeLessThanOrEqual(1);
    }),
  );
});
