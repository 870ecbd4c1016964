import { createGenieRateLimiter, percentile } from '../../support/genie-rate-limiter';
import type { GenieCounters } from '../../../emulators/databricks/genie';
import { isAppError, type AppError } from '../../../src/errors';
import { createGenieFeedback } from '../../../src/databricks/genie-feedback';
import { silentLogger } from '../../../src/logging';
import { generousLimiter, startGenieHarness, type GenieHarness } from './genie-harness';

jest.setTimeout(60_000);

let h: GenieHarness;

beforeAll(async () => {
  h = await startGenieHarness({ latency: { submittedMs: 10, askingAiMs: 20, executingQueryMs: 10 }, rateLimit: { postsPerWindow: 1000, windowMs: 60_000 } });
});

afterAll(async () => {
  await h?.stop();
});

beforeEach(async () => {
  await h.control('reset', {});
  await h.control('rate-limit', { postsPerWindow: 1000, windowMs: 60_000 });
  await h.control('latency', { submittedMs: 10, askingAiMs: 20, executingQueryMs: 10 });
});

async function counters(): Promise<GenieCounters> {
  return (await h.control('counters')) as GenieCounters;
}

async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('Genie client against the emulator over HTTPS', () => {
  it('when alice asks and then follows up, then the follow-up continues the same conversation and refines the query', async () => {
    const alice = h.client('alice', generousLimiter());
    const first = await alice.ask('What are total sales by region?');
    expect(first.query?.sql).toContain('GROUP BY o.region');
    expect(first.table?.rows.map((r) => r[0])).toEqual(['West']);

    const followUp = await alice.ask('by month instead', { conversationId: first.conversationId });
    expect(followUp.conversationId).toBe(first.conversationId);
    expect(followUp.messageId).not.toBe(first.messageId);
    expect(followUp.query?.sql).toContain("date_trunc('month', o.order_date)");
    expect(followUp.table?.columns.map((c) => c.name)).toEqual(['month', 'total_sales']);
    expect(followUp.table!.rows.length).toBeGreaterThan(1);
    expect(followUp.suggestedQuestions.length).toBeGreaterThan(0);
  });

  it('when alice, bob and carol ask the same question, then each sees only the rows their row filter allows', async () => {
    const ask = (user: string) => h.client(user, generousLimiter()).ask('What are total sales by region?');
    const [alice, bob, carol] = await Promise.all([ask('alice'), ask('bob'), ask('carol')]);
    expect(alice.table?.rows.map((r) => r[0])).toEqual(['West']);
    expect(bob.table?.rows.map((r) => r[0])).toEqual(['East']);
    expect(carol.table?.rows.map((r) => r[0]).sort()).toEqual(['Central', 'East', 'North', 'South', 'West']);
    const carolWest = carol.table!.rows.find((r) => r[0] === 'West');
    expect(carolWest?.[1]).toBe(alice.table!.rows[0]![1]);

    const direct = await h.runAs('bob', bob.query!.sql);
    expect(bob.table!.rows).toEqual(direct.rows);
    const genieHistory = (await h.history()).filter((e) => e.source === 'genie');
    expect(genieHistory.map((e) => e.upn)).toEqual(expect.arrayContaining(['alice@contoso.example', 'bob@contoso.example', 'carol@contoso.example']));
  });

  it('when customers are listed, then emails are masked outside pii_readers', async () => {
    const [alice, carol] = await Promise.all([
      h.client('alice', generousLimiter()).ask('list customers'),
      h.client('carol', generousLimiter()).ask('list customers'),
    ]);
    const emailIndex = alice.table!.columns.findIndex((c) => c.name === 'email');
    expect(emailIndex).toBeGreaterThan(0);
    expect(alice.table!.rows.every((r) => r[emailIndex] !== null && !/^[^*]+@contoso/.test(String(r[emailIndex])))).toBe(true);
    expect(alice.table!.rows.map((r) => r[emailIndex])).not.toEqual(carol.table!.rows.slice(0, alice.table!.rows.length).map((r) => r[emailIndex]));
    expect(carol.table!.rows.some((r) => String(r[emailIndex]).includes('@'))).toBe(true);
  });

  it("when bob uses alice's conversation id, then Genie answers 404 and the client reports GENIE_FAILED", async () => {
    const first = await h.client('alice', generousLimiter()).ask('How many orders are pending?');
    const error = await appErrorOf(h.client('bob', generousLimiter()).ask('only East', { conversationId: first.conversationId }));
    expect(error.code).toBe('DATABRICKS.GENIE_FAILED');
    const response = await fetch(`${h.baseUrl}/api/2.0/genie/spaces/${h.spaceId}/conversations/${first.conversationId}/messages/${first.messageId}`, {
      headers: { authorization: `Bearer ${await h.tokenFor('bob')}` },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('when the question cannot be answered, then the answer is a text asking to rephrase, with no query', async () => {
    const answer = await h.client('alice', generousLimiter()).ask('What is the weather tomorrow?');
    expect(answer.status).toBe('COMPLETED');
    expect(answer.text).toMatch(/rephrase/i);
    expect(answer.query).toBeUndefined();
    expect(answer.table).toBeUndefined();
  });

  it('when feedback is sent, then the message carries the rating and conversations can be listed and deleted', async () => {
    const client = h.client('alice', generousLimiter());
    const answer = await client.ask('total sales by product');
    await createGenieFeedback({ host: h.baseUrl, spaceId: h.spaceId, getToken: () => h.tokenFor('alice'), limiter: generousLimiter(), logger: silentLogger() }).send(answer.conversationId, answer.messageId, 'POSITIVE');
    const auth = { authorization: `Bearer ${await h.tokenFor('alice')}` };
    const base = `${h.baseUrl}/api/2.0/genie/spaces/${h.spaceId}`;
    const message = (await (await fetch(`${base}/conversations/${answer.conversationId}/messages/${answer.messageId}`, { headers: auth })).json()) as Record<string, unknown>;
    expect(message.feedback).toEqual({ rating: 'POSITIVE' });
    const messageBase = `${base}/conversations/${answer.conversationId}/messages/${answer.messageId}`;
    const aid = answer.query!.attachmentId;
    for (const path of [`attachments/${aid}/query-result`, `query-result/${aid}`, 'query-result']) {
      const result = (await (await fetch(`${messageBase}/${path}`, { headers: auth })).json()) as { statement_response: { status: { state: string }; result: { data_array: unknown[] } } };
      expect([path, result.statement_response.status.state]).toEqual([path, 'SUCCEEDED']);
      expect(result.statement_response.result.data_array).toEqual(answer.table!.rows);
    }
    const rerun = await fetch(`${messageBase}/attachments/${aid}/execute-query`, { method: 'POST', headers: auth });
    expect(rerun.status).toBe(200);
    expect(((await rerun.json()) as { statement_response: { statement_id: string } }).statement_response.statement_id).not.toBe(answer.query!.statementId);
    const list = (await (await fetch(`${base}/conversations`, { headers: auth })).json()) as { conversations: { conversation_id: string }[] };
    expect(list.conversations.map((c) => c.conversation_id)).toContain(answer.conversationId);
    const bobList = (await (await fetch(`${base}/conversations`, { headers: { authorization: `Bearer ${await h.tokenFor('bob')}` } })).json()) as { conversations: unknown[] };
    expect(bobList.conversations).toEqual([]);
    expect((await fetch(`${base}/conversations/${answer.conversationId}`, { method: 'DELETE', headers: auth })).status).toBe(200);
    const after = await fetch(`${base}/conversations/${answer.conversationId}/messages/${answer.messageId}`, { headers: auth });
    expect(after.status).toBe(404);
    const spaces = (await (await fetch(`${h.baseUrl}/api/2.0/genie/spaces`, { headers: auth })).json()) as { spaces: { space_id: string }[] };
    expect(spaces.spaces.map((s) => s.space_id)).toEqual([h.spaceId]);
    expect((await counters()).feedback).toBe(1);
  });

  it('when the next message FAILS, then the client raises GENIE_FAILED with the error type', async () => {
    await h.control('fail-messages', { count: 1 });
    const error = await appErrorOf(h.client('alice', generousLimiter()).ask('total sales by region'));
    expect(error.code).toBe('DATABRICKS.GENIE_FAILED');
    expect(error.details.errorType).toBe('GENERIC_CHAT_COMPLETION_EXCEPTION');
    expect((await counters()).messagesFailed).toBe(1);
  });

  it('when Genie answers 429 once, then the client waits Retry-After and succeeds; twice, then RATE_LIMITED', async () => {
    await h.control('fail-requests', { count: 1, status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    const answer = await h.client('alice', generousLimiter()).ask('total sales by region');
    expect(answer.table?.rows).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);

    await h.control('fail-requests', { count: 2, status: 429, retryAfterSeconds: 1 });
    const error = await appErrorOf(h.client('alice', generousLimiter()).ask('total sales by region'));
    expect(error.code).toBe('DATABRICKS.RATE_LIMITED');
    expect(error.details.retryAfterSeconds).toBe(1);
  });

  it('when polls hit a transient 503, then the client retries the GET and completes', async () => {
    await h.control('latency', { askingAiMs: 150 });
    const asking = h.client('alice', generousLimiter()).ask('how many orders by status');
    await new Promise((resolve) => setTimeout(resolve, 40));
    await h.control('fail-requests', { count: 1, status: 503 });
    const answer = await asking;
    expect(answer.table?.rows.length).toBeGreaterThan(0);
    expect((await counters()).injectedHttpFailures).toBe(1);
  });

  it('when Genie is slower than the overall timeout, then TIMEOUT with the ids to continue later', async () => {
    await h.control('latency', { askingAiMs: 3000 });
    const error = await appErrorOf(h.client('alice', generousLimiter(), { poll: { initialMs: 20, maxMs: 100, timeoutMs: 400 } }).ask('total sales by region'));
    expect(error.code).toBe('DATABRICKS.TIMEOUT');
    expect(error.details).toMatchObject({ lastStatus: 'ASKING_AI' });
    expect(typeof error.details.conversationId).toBe('string');
  });

  it.each([
    'What are total sales by region?',
    'How many orders are pending?',
    'Who are the top 5 customers by revenue?',
    'Show monthly sales for 2024',
    'What is the average order value by product?',
    'How many orders were cancelled in each region?',
    'units sold by category in Q1 2024',
    'how many customers ordered in West since 2024',
    'show the latest 10 orders in East',
    'list customers',
    'bottom 2 products by sales before 2025-01-01',
    'sales by status in March 2024',
  ])('when carol asks "%s", then Genie answers with a query that ran on the engine', async (question) => {
    const answer = await h.client('carol', generousLimiter()).ask(question);
    expect(answer.query?.sql).toContain('main.retail.');
    expect(answer.table?.columns.length).toBeGreaterThan(0);
    expect(answer.table!.totalRowCount).toBeGreaterThan(0);
  });

  it('when 20 questions arrive at once under a 5-per-window limit, then the shared limiter queues them and no 429 reaches a user', async () => {
    const windowMs = 1000;
    await h.control('rate-limit', { postsPerWindow: 5, windowMs });
    const limiter = createGenieRateLimiter({ postsPerMinute: 5, windowMs, safetyMarginMs: 100 });
    const users = ['alice', 'bob', 'carol'];
    const started = Date.now();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => h.client(users[i % users.length]!, limiter).ask(i % 2 === 0 ? 'total sales by region' : 'how many orders are pending')),
    );
    const elapsed = Date.now() - started;
    const rejected = outcomes.filter((o) => o.status === 'rejected');
    expect(rejected).toEqual([]);
    const stats = limiter.stats();
    const c = await counters();
    expect(c.maxQuestionsInWindow).toBeLessThanOrEqual(5);
    expect(c.rateLimited).toBe(0);
    expect(c.questions).toBeGreaterThanOrEqual(20);
    expect(stats.granted).toBeGreaterThanOrEqual(20);
    console.info(
      `[figure] genie 20 concurrent @5/${windowMs}ms: p95 queue wait ${percentile(stats.waitsMs, 95)} ms, max ${Math.max(...stats.waitsMs)} ms, ` +
        `server 429s ${c.rateLimited}, total ${elapsed} ms`,
    );
  });
});
