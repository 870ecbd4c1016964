/**
 * The results and feedback clients against the Genie emulator with real OBO tokens, and the
 * emulator's own rules where it decides safety: only the conversation's owner downloads or
 * re-executes, a download needs its signature, pre-signed links are fetched without a bearer token,
 * and a feedback comment over Genie's 5,000 characters is refused.
 */
import { createGenieFeedback } from '../../../src/databricks/genie-feedback';
import { createGenieResults, type GenieResults } from '../../../src/databricks/genie-results';
import type { Cell } from '../../../src/databricks/types';
import { silentLogger } from '../../../src/logging';
import { generousLimiter, startGenieHarness, type GenieHarness } from './genie-harness';

jest.setTimeout(120_000);

describe('Genie full results, re-execution and feedback against the emulator', () => {
  let h: GenieHarness;
  const limiter = generousLimiter();
  const calls = (user: string) => ({ host: h.baseUrl, spaceId: h.spaceId, getToken: () => h.tokenFor(user), limiter, logger: silentLogger() });
  const results = (user: string): GenieResults => createGenieResults({ ...calls(user), poll: { initialMs: 20, maxMs: 200, timeoutMs: 20_000 } });
  const raw = async (user: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const response = await fetch(`${h.baseUrl}/api/2.0/genie/spaces/${h.spaceId}${path}`, {
      method,
      headers: { authorization: `Bearer ${await h.tokenFor(user)}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    h = await startGenieHarness();
    await h.control('rate-limit', { postsPerWindow: 100_000 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when alice downloads every unit sold, then she gets all her West rows in several chunks; bob cannot start or read her download; a wrong signature is refused', async () => {
    const answer = await h.client('alice', limiter).ask('List every unit sold');
    const ref = { conversationId: answer.conversationId, messageId: answer.messageId, attachmentId: answer.query?.attachmentId ?? '' };
    const rows: Cell[][] = [];
    const chunks: number[] = [];
    const { rowCount } = await results('alice').download(ref, { columns: async () => undefined, rows: async (r) => void (rows.push(...r), chunks.push(r.length)) });
    const expected = Number((await h.runAs('alice', 'SELECT SUM(quantity) FROM main.retail.orders')).rows[0]?.[0]);
    expect(rowCount).toBe(expected);
    expect(rows).toHaveLength(expected);
    expect(chunks.length).toBeGreaterThan(1);
    expect(new Set(rows.map((r) => r[2]))).toEqual(new Set(['West']));

    const base = `/conversations/${ref.conversationId}/messages/${ref.messageId}/attachments/${ref.attachmentId}`;
    expect((await raw('bob', 'POST', `${base}/downloads`)).status).toBe(404);
    const started = await raw('alice', 'POST', `${base}/downloads`);
    const id = String(started.json.download_id);
    expect((await raw('bob', 'GET', `${base}/downloads/${id}?download_id_signature=${String(started.json.download_id_signature)}`)).status).toBe(404);
    expect((await raw('alice', 'GET', `${base}/downloads/${id}?download_id_signature=forged`)).status).toBe(403);
    expect((await raw('alice', 'GET', `${base}/downloads/${id}`)).status).toBe(400);
  });

  it('when a result has expired, then only its owner can execute it again, and the page reader does so once', async () => {
    const answer = await h.client('alice', limiter).ask('Show the latest 30 orders');
    const ref = { conversationId: answer.conversationId, messageId: answer.messageId, attachmentId: answer.query?.attachmentId ?? '' };
    await h.control('expire', { messageId: ref.messageId });
    const before = (await h.control('counters')) as { executeQueries: number };
    const base = `/conversations/${ref.conversationId}/messages/${ref.messageId}/attachments/${ref.attachmentId}`;
    expect((await raw('bob', 'POST', `${base}/execute-query`)).status).toBe(404);
    const page = await results('alice').readPage(ref, 1, 20);
    expect(page.rows).toHaveLength(10);
    expect(page.totalRowCount).toBe(30);
    expect(((await h.control('counters')) as { executeQueries: number }).executeQueries - before.executeQueries).toBe(1);
    expect((await results('alice').readPage(ref, 0, 20)).rows).toHaveLength(20);
    expect(((await h.control('counters')) as { executeQueries: number }).executeQueries - before.executeQueries).toBe(1);
  });

  it('when alice reads back an expired answer (a refresh or share of an old card), then its query is executed again once, as her', async () => {
    const alice = h.client('alice', limiter);
    const answer = await alice.ask('What are total sales by region, and also how many orders are pending?');
    expect(answer.moreQueries).toHaveLength(1);
    await h.control('expire', { messageId: answer.messageId });
    const before = (await h.control('counters')) as { executeQueries: number };
    const again = await alice.getMessage(answer.conversationId, answer.messageId);
    expect(again.table?.rows).toEqual(answer.table?.rows);
    expect(again.moreQueries?.[0]?.table?.rows).toEqual(answer.moreQueries?.[0]?.table?.rows);
    expect(((await h.control('counters')) as { executeQueries: number }).executeQueries - before.executeQueries).toBe(2);
    await expect(h.client('bob', limiter).getMessage(answer.conversationId, answer.messageId)).rejects.toMatchObject({ code: 'DATABRICKS.GENIE_FAILED' });
  });

  it('when alice sends a comment, then Genie stores it; over 5,000 characters the client refuses before sending and the emulator answers 400', async () => {
    const answer = await h.client('alice', limiter).ask('What are total sales by region?');
    await createGenieFeedback(calls('alice')).send(answer.conversationId, answer.messageId, 'NEGATIVE', ' Wrong totals ');
    const records = (await h.control('feedback')) as { messageId: string; rating: string; comment?: string }[];
    expect(records.find((r) => r.messageId === answer.messageId)).toEqual({ messageId: answer.messageId, rating: 'NEGATIVE', comment: 'Wrong totals' });
    await expect(createGenieFeedback(calls('alice')).send(answer.conversationId, answer.messageId, 'NEGATIVE', 'x'.repeat(5001))).rejects.toMatchObject({ code: 'INPUT.TOO_LARGE' });
    const tooLong = await raw('alice', 'POST', `/conversations/${answer.conversationId}/messages/${answer.messageId}/feedback`, { rating: 'NEGATIVE', comment: 'x'.repeat(5001) });
    expect(tooLong).toEqual({ status: 400, json: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Field `comment` must be at most 5000 characters.' } });
    expect((await raw('bob', 'POST', `/conversations/${answer.conversationId}/messages/${answer.messageId}/feedback`, { rating: 'POSITIVE' })).status).toBe(404);
  });

  it('when alice asks something vague, then Genie asks her to clarify and suggests questions', async () => {
    const answer = await h.client('alice', limiter).ask('Show me the numbers');
    expect(answer.clarification).toMatch(/Which numbers do you mean/);
    expect(answer.query).toBeUndefined();
    expect(answer.suggestedQuestions.length).toBeGreaterThan(0);
  });
});
