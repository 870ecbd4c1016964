import { activityText } from '../../emulators/teams/card-text';
import { demoUser } from '../../emulators/teams/accounts';
import type { TeamsClient } from '../../emulators/teams/client';
import type { RecordedActivity } from '../../emulators/teams/types';
import { sparkLexingCases } from '../fixtures/spark-lexing-cases';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from './support/harness';
import { ANSWER_TIMEOUT_MS, waitForCardState, withBotOutput } from './support/waits';

/**
 * Issue 15: what is approved is exactly what runs. Every statement of the Spark-lexing table is sent
 * as carol (`run: …`) through a real bot process on the emulators (the Databricks emulator reads SQL
 * as Spark does): each is refused, or its card shows the canonical text, and that text — nothing
 * else — is what the warehouse runs, changing no more rows than the card counted.
 */
jest.setTimeout(E2E_TIMEOUT_MS * 4);

const T = 'main.retail.orders';
const CAROL = demoUser('carol').upn;
const D = `UPDATE ${T} SET quantity = quantity + 1 WHERE`;
// `id = 1` of the table names order 100001, so the cases change real rows.
const CASES = sparkLexingCases(T, D, '(order_id - 100000)', 'status').filter(([, sql]) => sql.startsWith(D));
const REPLY = /Approve UPDATE on .*\n.*Waiting for approval|I can't run that change/;
/** The card's counted rows; the count is grouped (`5,000 rows of …`). */
const IMPACT = /\b(\d{1,3}(?:,\d{3})*) rows? of main\.retail\.orders would be updated/;

/** The bot's new reply (not an update of an earlier card) to `run: sql`. */
async function ask(world: E2eWorld, carol: TeamsClient, sql: string): Promise<RecordedActivity> {
  const since = Date.now();
  const earlier = new Set(world.connector.log.list(carol.conversation.id).map((r) => r.id));
  await carol.say(`run: ${sql}`);
  return world.connector.log.waitFor((r) => r.activity.type === 'message' && !earlier.has(r.id) && REPLY.test(activityText(r.activity)), {
    conversationId: carol.conversation.id,
    since,
    timeoutMs: ANSWER_TIMEOUT_MS,
  });
}

async function warehouseRuns(world: E2eWorld, sql: string): Promise<number> {
  return (await world.history(CAROL)).filter((q) => q.source === 'warehouse' && q.status === 'FINISHED' && q.sql === sql).length;
}

describe('approved text is the text that runs (Spark lexing, end to end)', () => {
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;
  const test = (name: string, body: () => Promise<void>): void => it(name, withBotOutput(() => world, body));

  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.stop();
  });

  test(`when carol sends the ${CASES.length} statements of the lexing table and approves each, then each is refused or runs exactly its card's canonical text, never changing more rows than the card counted`, async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    const carol = w().client('carol');
    const outcomes: string[] = [];
    for (const [name, sql, expected] of CASES) {
      const reply = await ask(w(), carol, sql);
      const text = activityText(reply.activity);
      if ('refused' in expected) {
        expect({ name, text }).toEqual({ name, text: expect.stringContaining("I can't run that change") });
        outcomes.push(`${name}: refused`);
        continue;
      }
      expect({ name, card: text }).toEqual({ name, card: expect.stringContaining(expected.canonical) });
      const counted = Number(IMPACT.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);
      // expect.any(Number) would accept NaN: a card either shows a count or says it could not count.
      expect({ name, counted: Number.isFinite(counted) || /Could not be counted/.test(text) ? 'a count or why not' : text }).toEqual({ name, counted: 'a count or why not' });
      if (/needs approval by a member of the approvers group/.test(text)) {
        expect({ name, text, needsApprover: counted > 1000 || /Unbounded|Could not be counted/.test(text) }).toEqual({ name, text, needsApprover: true });
        outcomes.push(`${name}: ${Number.isFinite(counted) ? `${counted} rows` : 'not countable'}, needs another approver`);
        continue;
      }
      const runsBefore = await warehouseRuns(w(), expected.canonical);
      await carol.click(reply, 'Approve');
      const done = activityText((await waitForCardState(w(), reply, /Done: \d+ rows? changed|Failed/)).activity);
      const changed = Number(/Done: (\d+) rows? changed/.exec(done)?.[1] ?? NaN);
      expect({ name, changed, counted }).toEqual({ name, changed: counted, counted });
      expect({ name, runs: (await warehouseRuns(w(), expected.canonical)) - runsBefore }).toEqual({ name, runs: 1 });
      outcomes.push(`${name}: ${counted} counted, ${changed} changed`);
    }
    console.info(`[figure] spark lexing e2e: ${CASES.length} statements\n${outcomes.join('\n')}`);
  });

  test('when the rows a change touches grow between request and approval, then nothing runs and the card says why', async () => {
    const carol = w().client('carol');
    const mark = async (ids: string, status: string): Promise<void> => {
      const reply = await ask(w(), carol, `UPDATE ${T} SET status = '${status}' WHERE order_id IN (${ids})`);
      await carol.click(reply, 'Approve');
      await waitForCardState(w(), reply, /Done: \d+ rows? changed/);
    };
    await mark('104001, 104002', 'growing');
    const grow = `UPDATE ${T} SET status = 'grown' WHERE status = 'growing'`;
    const card = await ask(w(), carol, grow);
    expect(activityText(card.activity)).toMatch(/2 rows of main\.retail\.orders would be updated/);
    await mark('104003, 104004, 104005', 'growing');

    await carol.click(card, 'Approve');
    const failed = activityText((await waitForCardState(w(), card, /Failed/)).activity);
    expect(failed).toContain('now touches 5 rows, more than the 2 approved, so nothing ran');
    expect(await warehouseRuns(w(), grow)).toBe(0);
  });
});
