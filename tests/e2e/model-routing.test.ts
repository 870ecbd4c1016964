/**
 * The language-model path end to end: a real bot process in model mode (AZURE_OPENAI_* naming the
 * stack's Azure OpenAI emulator, the production `@langchain/openai` client), Teams-like clients, the
 * Databricks emulator. Each test counts the requests its turn made to the model. The phrase
 * "mark the orders from … to … as shipped" tells the routers apart: the model writes `… BETWEEN …`,
 * the deterministic router cannot and asks for SQL.
 */
import { randomUUID } from 'node:crypto';
import { activityText } from '../../emulators/teams/card-text';
import { demoUser } from '../../emulators/teams/accounts';
import { openAiControlClient } from '../../emulators/openai/control-client';
import type { RecordedRequest } from '../../emulators/openai/controls';
import { SQL_HINT } from '../../src/llm';
import { testStack } from '../support/stack';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from './support/harness';
import { botMessagesSince, executionsOf, waitForAnswer, waitForApprovalCard, waitForText, withBotOutput } from './support/waits';

jest.setTimeout(E2E_TIMEOUT_MS);

const ALICE = demoUser('alice').upn;
const QUESTION = 'What are total sales by region?';
const range = (from: number): string => `mark the orders from ${from} to ${from + 9} as shipped`;
const modelSql = (from: number): string => `UPDATE main.retail.orders SET status = 'shipped' WHERE order_id BETWEEN ${from} AND ${from + 9}`;
const userText = (r: RecordedRequest): string => ((r.body.messages as { role: string; content: string }[]).find((m) => m.role === 'user')?.content ?? '');
const systemText = (r: RecordedRequest): string => ((r.body.messages as { role: string; content: string }[]).find((m) => m.role === 'system')?.content ?? '');

describe('model routing in Teams, end to end (real bot process, @langchain/openai, Azure OpenAI emulator)', () => {
  const stack = testStack();
  const control = openAiControlClient(stack.openai!.controlUrl);
  const deployment = `e2e-${randomUUID().slice(0, 8)}`;
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;
  const test = (name: string, body: () => Promise<void>): void => it(name, withBotOutput(() => world, body));
  /** The model requests made for `text` (a turn's messages, whatever else ran before). */
  const callsFor = async (text: string): Promise<RecordedRequest[]> => (await control.requests(deployment)).filter((r) => userText(r) === text);

  beforeAll(async () => {
    await control.addDeployment(deployment);
    const openai = stack.openai!;
    world = await startWorld({ env: { AZURE_OPENAI_ENDPOINT: openai.endpoint, AZURE_OPENAI_API_KEY: openai.apiKey, AZURE_OPENAI_DEPLOYMENT: deployment, LLM_TIMEOUT_MS: '1500' } });
    // Signs alice in once, so each test below is one turn.
    const alice = w().client('alice');
    const since = Date.now();
    await alice.say('remember my region is West');
    await waitForText(w(), alice, /./, since);
    await alice.idle();
  });
  afterAll(async () => {
    await world?.stop();
  });
  beforeEach(async () => {
    await control.reset(deployment);
  });

  test('when alice asks a data question, then the model routes it to Genie with one request whose prompt holds her memories and lists tables, and she gets West rows', async () => {
    const alice = w().client('alice');
    const since = Date.now();
    await alice.say(QUESTION);
    const answer = await waitForAnswer(w(), alice, since);
    expect(activityText(answer.activity)).toMatch(/\bWest\b/);
    expect(activityText(answer.activity)).not.toMatch(/\b(East|North|South|Central)\b/);

    const calls = await callsFor(QUESTION);
    expect(calls).toHaveLength(1);
    const system = systemText(calls[0]!);
    expect(system).toMatch(/"intent":"question"/);
    expect(system).toMatch(/^- \w+\.\w+\.\w+/m);
    expect(system).toContain('"my region is West"');
    expect(calls[0]!.protocol).toBe('azure');
    // Her prompt names her catalog view: the space's tables she may read, never region_targets (no grant).
    expect(system).toMatch(/^- main\.retail\.orders: /m);
    expect(system).not.toContain('region_targets');
  });

  test('when bob (who may read region_targets) asks, then his recorded prompt names that table and alice\'s never did', async () => {
    const bob = w().client('bob');
    const request = 'how many orders are pending in East?';
    const since = Date.now();
    await bob.say(request);
    await waitForAnswer(w(), bob, since);
    const bobs = await callsFor(request);
    expect(bobs).toHaveLength(1);
    expect(systemText(bobs[0]!)).toMatch(/^- main\.retail\.region_targets: /m);

    const alice = w().client('alice');
    const again = Date.now();
    await alice.say(request);
    await waitForAnswer(w(), alice, again);
    const both = await callsFor(request);
    expect(both).toHaveLength(2);
    expect(systemText(both[1]!)).toMatch(/^- main\.retail\.orders: /m);
    expect(systemText(both[1]!)).not.toContain('region_targets');
  });

  test('when alice asks for a change in words, then the model writes the SQL, the guard accepts it and she gets an approval card for exactly that statement', async () => {
    const alice = w().client('alice');
    const since = Date.now();
    await alice.say(range(100_301));
    const card = await waitForApprovalCard(w(), alice, since);
    expect(activityText(card.activity)).toContain(modelSql(100_301));
    expect(await callsFor(range(100_301))).toHaveLength(1);
    expect(await executionsOf(w(), ALICE, modelSql(100_301))).toBe(0);
  });

  test('when the model writes DDL (alice asks to drop the table), then the guard refuses it, no card is offered and nothing runs', async () => {
    const alice = w().client('alice');
    const since = Date.now();
    await alice.say('drop the orders table');
    const refusal = await waitForText(w(), alice, /can't run that change/, since);
    expect(activityText(refusal.activity)).toMatch(/DROP TABLE main\.retail\.orders/);
    expect(await callsFor('drop the orders table')).toHaveLength(1);
    await alice.idle();
    expect(botMessagesSince(w(), alice, since).some((r) => /Approve/.test(activityText(r.activity)))).toBe(false);
    expect((await w().history(ALICE)).filter((q) => /^\s*DROP/i.test(q.sql))).toEqual([]);
  });

  test('when the model writes two statements, then the guard refuses the whole text and nothing runs', async () => {
    const alice = w().client('alice');
    const request = 'delete order 100398 and then mark order 100399 as delivered';
    const since = Date.now();
    await alice.say(request);
    const refusal = await waitForText(w(), alice, /can't run that change/, since);
    expect(activityText(refusal.activity)).toMatch(/DELETE FROM main\.retail\.orders[^;]*;\s*UPDATE/);
    expect(await callsFor(request)).toHaveLength(1);
    expect((await w().history(ALICE)).filter((q) => q.sql.includes('100399'))).toEqual([]);
  });

  test('when the model is throttled once (429, retry-after 2 s), then the client waits, the second request answers, and the card holds the model’s SQL (2 calls)', async () => {
    await control.fault(deployment, { mode: 'http_429', count: 1, retryAfterSeconds: 2, retryAfterMs: 2000 });
    const alice = w().client('alice');
    const since = Date.now();
    await alice.say(range(100_311));
    const card = await waitForApprovalCard(w(), alice, since);
    expect(activityText(card.activity)).toContain(modelSql(100_311));
    expect((await callsFor(range(100_311))).map((r) => r.fault ?? 'answered')).toEqual(['http_429', 'answered']);
  });

  test('when the model stays throttled, then after three requests the deterministic router sends the question to Genie and alice gets her answer', async () => {
    await control.fault(deployment, { mode: 'http_429', retryAfterSeconds: 1 });
    const alice = w().client('alice');
    const since = Date.now();
    await alice.say(QUESTION);
    const answer = await waitForAnswer(w(), alice, since);
    expect(activityText(answer.activity)).toMatch(/\bWest\b/);
    expect(await callsFor(QUESTION)).toHaveLength(3);
  });

  test('when the content filter refuses the prompt (HTTP 400), then it is not retried and the question still reaches Genie (1 call)', async () => {
    await control.fault(deployment, { mode: 'content_filter_prompt' });
    const alice = w().client('alice');
    const since = Date.now();
    await alice.say(QUESTION);
    await waitForAnswer(w(), alice, since);
    expect(await callsFor(QUESTION)).toHaveLength(1);
  });

  test('when the completion is filtered (finish_reason content_filter), then a change in words gets the clear how-to-give-SQL answer (1 call)', async () => {
    await control.fault(deployment, { mode: 'content_filter_completion' });
    const alice = w().client('alice');
    const since = Date.now();
    await alice.say(range(100_321));
    const reply = await waitForText(w(), alice, /give me the exact SQL/, since);
    expect(activityText(reply.activity)).toContain(SQL_HINT.slice(0, 40));
    expect(await callsFor(range(100_321))).toHaveLength(1);
  });

  test('when the model is slower than LLM_TIMEOUT_MS, then the turn does not hang: three abandoned requests, then Genie answers', async () => {
    await control.fault(deployment, { mode: 'delay', delayMs: 6_000 });
    const alice = w().client('alice');
    const since = Date.now();
    await alice.say(QUESTION);
    await waitForAnswer(w(), alice, since);
    expect(await callsFor(QUESTION)).toHaveLength(3);
  });

  test('when the model fails with 500, then the client retries twice and the question still reaches Genie (3 calls)', async () => {
    await control.fault(deployment, { mode: 'http_500' });
    const alice = w().client('alice');
    const since = Date.now();
    await alice.say(QUESTION);
    await waitForAnswer(w(), alice, since);
    expect((await callsFor(QUESTION)).map((r) => r.fault)).toEqual(['http_500', 'http_500', 'http_500']);
  });

  test('when the model answers malformed JSON, then a change in words gets the clear how-to-give-SQL answer and no card (1 call)', async () => {
    await control.fault(deployment, { mode: 'malformed_json' });
    const alice = w().client('alice');
    const since = Date.now();
    await alice.say(range(100_331));
    await waitForText(w(), alice, /give me the exact SQL/, since);
    expect(await callsFor(range(100_331))).toHaveLength(1);
    await alice.idle();
    expect(botMessagesSince(w(), alice, since).some((r) => /Approve/.test(activityText(r.activity)))).toBe(false);
  });
});
