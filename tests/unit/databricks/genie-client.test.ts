import { createGenieClient, type GenieClientOptions } from '../../../src/databricks/genie-client';
import { namedObject, retryAfterSeconds } from '../../../src/databricks/genie-http';
import { createGenieRateLimiter } from '../../support/genie-rate-limiter';
import type { GenieProgress } from '../../../src/databricks/types';
import { isAppError, type AppError } from '../../../src/errors';
import { silentLogger } from '../../../src/logging';
import { FakeClock } from './genie-fake-clock';

type Reply = { status: number; body: unknown; headers?: Record<string, string> };
type Call = { method: string; path: string; body: unknown; authorization: string | null };

const SPACE = 'space1';
const BASE = `/api/2.0/genie/spaces/${SPACE}`;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body, headers };
}

function message(status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'm1', message_id: 'm1', conversation_id: 'c1', space_id: SPACE, status, content: 'q', ...extra };
}

const COMPLETED_WITH_QUERY = message('COMPLETED', {
  attachments: [
    { attachment_id: 'a1', query: { id: 'q1', title: 'Total sales by region', description: 'Sums amount', query: 'SELECT 1', statement_id: 's1' } },
    { attachment_id: 'a2', suggested_questions: { questions: ['What about East?'] } },
  ],
});

const RESULT = {
  statement_response: {
    statement_id: 's1',
    status: { state: 'SUCCEEDED' },
    manifest: { schema: { columns: [{ name: 'region', type_name: 'STRING', position: 0 }, { name: 'total', type_name: 'DECIMAL', position: 1 }] }, total_row_count: 3 },
    result: { data_array: [['West', '10.00'], ['East', null], ['North', 3]] },
  },
};

/** A scripted Genie server: each route answers from its own queue (the last reply repeats). */
function fakeGenie(routes: Record<string, Reply[]>): { fetchImpl: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const headers = new Headers(init?.headers);
    calls.push({ method, path: url.pathname, body: init?.body ? JSON.parse(String(init.body)) : undefined, authorization: headers.get('authorization') });
    const queue = routes[`${method} ${url.pathname}`];
    if (!queue || queue.length === 0) return new Response(JSON.stringify({ error_code: 'NOT_FOUND', message: 'no route' }), { status: 404 });
    const reply = queue.length > 1 ? queue.shift()! : queue[0]!;
    return new Response(JSON.stringify(reply.body), { status: reply.status, headers: { 'content-type': 'application/json', ...reply.headers } });
  }) as typeof fetch;
  return { fetchImpl, calls };
}

function client(clock: FakeClock, fetchImpl: typeof fetch, overrides: Partial<GenieClientOptions> = {}) {
  return createGenieClient({
    host: 'https://adb-1.example.net/',
    spaceId: SPACE,
    getToken: async () => 'tok-123',
    limiter: createGenieRateLimiter({ postsPerMinute: 5, now: clock.now, sleep: clock.sleep }),
    poll: { initialMs: 1000, maxMs: 4000, timeoutMs: 60_000 },
    logger: silentLogger(),
    fetchImpl,
    sleep: clock.sleep,
    now: clock.now,
    ...overrides,
  });
}

async function settle<T>(clock: FakeClock, promise: Promise<T>): Promise<T> {
  const guarded = promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  await clock.runUntilIdle();
  const outcome = await guarded;
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

async function failure(clock: FakeClock, promise: Promise<unknown>): Promise<AppError> {
  try {
    await settle(clock, promise);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('Genie client', () => {
  it('when a question completes with a query, then it polls at a tenth of the time waited (floor and cap from the options) and returns a typed answer', async () => {
    const clock = new FakeClock();
    const { fetchImpl, calls } = fakeGenie({
      [`POST ${BASE}/start-conversation`]: [json(200, { conversation_id: 'c1', message_id: 'm1', conversation: { id: 'c1' }, message: message('SUBMITTED') })],
      [`GET ${BASE}/conversations/c1/messages/m1`]: [
        json(200, message('ASKING_AI')),
        json(200, message('ASKING_AI')),
        json(200, message('EXECUTING_QUERY')),
        json(200, message('EXECUTING_QUERY')),
        json(200, COMPLETED_WITH_QUERY),
      ],
      [`GET ${BASE}/conversations/c1/messages/m1/attachments/a1/query-result`]: [json(200, RESULT)],
    });
    const progress: GenieProgress[] = [];
    const pollTimes: number[] = [];
    const wrapped = (async (input: string | URL | Request, init?: RequestInit) => {
      if ((init?.method ?? 'GET') === 'GET') pollTimes.push(clock.now());
      return fetchImpl(input, init);
    }) as typeof fetch;

    const answer = await settle(clock, client(clock, wrapped, { rowCap: 2 }).ask('total sales by region', { onProgress: (p) => progress.push(p) }));

    expect(calls[0]).toMatchObject({ method: 'POST', body: { content: 'total sales by region' }, authorization: 'Bearer tok-123' });
    expect(pollTimes.slice(0, 5)).toEqual([1000, 2000, 3000, 4000, 5000]);
    expect(progress.map((p) => p.status)).toEqual(['SUBMITTED', 'ASKING_AI', 'EXECUTING_QUERY', 'COMPLETED']);
    expect(answer).toEqual({
      spaceId: SPACE,
      conversationId: 'c1',
      messageId: 'm1',
      status: 'COMPLETED',
      text: undefined,
      query: { attachmentId: 'a1', sql: 'SELECT 1', title: 'Total sales by region', description: 'Sums amount', statementId: 's1' },
      table: { columns: [{ name: 'region', type: 'STRING' }, { name: 'total', type: 'DECIMAL' }], rows: [['West', '10.00'], ['East', null]], totalRowCount: 3, truncated: true },
      suggestedQuestions: ['What about East?'],
    });
  });

  it('when continuing a conversation, then it posts a follow-up message to that conversation', async () => {
    const clock = new FakeClock();
    const { fetchImpl, calls } = fakeGenie({
      [`POST ${BASE}/conversations/c1/messages`]: [json(200, message('SUBMITTED'))],
      [`GET ${BASE}/conversations/c1/messages/m1`]: [json(200, message('COMPLETED', { attachments: [{ attachment_id: 't', text: { content: 'Please rephrase.' } }] }))],
    });
    const answer = await settle(clock, client(clock, fetchImpl).ask('only West', { conversationId: 'c1' }));
    expect(calls[0]).toMatchObject({ method: 'POST', path: `${BASE}/conversations/c1/messages` });
    expect(answer.text).toBe('Please rephrase.');
    expect(answer.query).toBeUndefined();
    expect(answer.table).toBeUndefined();
  });

  it('when the message ends FAILED, then GENIE_FAILED carries the error type and ids', async () => {
    const clock = new FakeClock();
    const { fetchImpl } = fakeGenie({
      [`POST ${BASE}/start-conversation`]: [json(200, { conversation_id: 'c1', message_id: 'm1' })],
      [`GET ${BASE}/conversations/c1/messages/m1`]: [json(200, message('FAILED', { error: { error: 'model overloaded', type: 'GENERIC_CHAT_COMPLETION_EXCEPTION' } }))],
    });
    const error = await failure(clock, client(clock, fetchImpl).ask('q'));
    expect(error.code).toBe('DATABRICKS.GENIE_FAILED');
    expect(error.details).toMatchObject({ errorType: 'GENERIC_CHAT_COMPLETION_EXCEPTION', conversationId: 'c1', messageId: 'm1' });
  });

  it('when the message failed on permissions, then PERMISSION_DENIED names the object', async () => {
    const clock = new FakeClock();
    const { fetchImpl } = fakeGenie({
      [`POST ${BASE}/start-conversation`]: [json(200, { conversation_id: 'c1', message_id: 'm1' })],
      [`GET ${BASE}/conversations/c1/messages/m1`]: [
        json(200, message('FAILED', { error: { error: "[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\nUser dave@contoso.example does not have SELECT on Table 'main.retail.orders'. SQLSTATE: 42501", type: 'SQL_EXECUTION_EXCEPTION' } })),
      ],
    });
    const error = await failure(clock, client(clock, fetchImpl).ask('q'));
    expect(error.code).toBe('DATABRICKS.PERMISSION_DENIED');
    expect(error.details.object).toBe('main.retail.orders');
  });

  it('when Genie answers 429 once, then the POST is retried after Retry-After', async () => {
    const clock = new FakeClock();
    const { fetchImpl, calls } = fakeGenie({
      [`POST ${BASE}/start-conversation`]: [
        json(429, { error_code: 'RESOURCE_EXHAUSTED', message: 'slow down' }, { 'retry-after': '7' }),
        json(200, { conversation_id: 'c1', message_id: 'm1', message: message('COMPLETED') }),
      ],
    });
    const postTimes: number[] = [];
    const wrapped = (async (input: string | URL | Request, init?: RequestInit) => {
      postTimes.push(clock.now());
      return fetchImpl(input, init);
    }) as typeof fetch;
    const answer = await settle(clock, client(clock, wrapped).ask('q'));
    expect(answer.conversationId).toBe('c1');
    expect(postTimes).toEqual([0, 7000]);
    expect(calls).toHaveLength(2);
  });

  it('when Genie answers 429 twice, then RATE_LIMITED surfaces with retryAfterSeconds', async () => {
    const clock = new FakeClock();
    const { fetchImpl, calls } = fakeGenie({
      [`POST ${BASE}/start-conversation`]: [json(429, { error_code: 'RESOURCE_EXHAUSTED', message: 'slow down' }, { 'retry-after': '3' })],
    });
    const error = await failure(clock, client(clock, fetchImpl).ask('q'));
    expect(error.code).toBe('DATABRICKS.RATE_LIMITED');
    expect(error.details.retryAfterSeconds).toBe(3);
    expect(calls).toHaveLength(2);
  });

  it('when the message never finishes, then TIMEOUT comes after the overall timeout with the ids', async () => {
    const clock = new FakeClock();
    const { fetchImpl } = fakeGenie({
      [`POST ${BASE}/start-conversation`]: [json(200, { conversation_id: 'c1', message_id: 'm1' })],
      [`GET ${BASE}/conversations/c1/messages/m1`]: [json(200, message('EXECUTING_QUERY'))],
    });
    const error = await failure(clock, client(clock, fetchImpl, { poll: { initialMs: 1000, maxMs: 4000, timeoutMs: 20_000 } }).ask('q'));
    expect(error.code).toBe('DATABRICKS.TIMEOUT');
    expect(error.details).toMatchObject({ conversationId: 'c1', messageId: 'm1', lastStatus: 'EXECUTING_QUERY' });
    expect(clock.now()).toBe(20_000);
  });

  it('when the caller aborts while polling, then ask rejects with the abort reason and stops polling', async () => {
    const clock = new FakeClock();
    const { fetchImpl, calls } = fakeGenie({
      [`POST ${BASE}/start-conversation`]: [json(200, { conversation_id: 'c1', message_id: 'm1' })],
      [`GET ${BASE}/conversations/c1/messages/m1`]: [json(200, message('ASKING_AI'))],
    });
    const controller = new AbortController();
    const asking = client(clock, fetchImpl).ask('q', { signal: controller.signal, onProgress: (p) => p.status === 'ASKING_AI' && controller.abort(new Error('user left')) });
    await expect(settle(clock, asking)).rejects.toThrow('user left');
    expect(calls.filter((c) => c.method === 'GET')).toHaveLength(1);
  });

  it('when HTTP statuses fail, then they map to UNAUTHENTICATED, PERMISSION_DENIED, GENIE_FAILED and UNAVAILABLE', async () => {
    const cases: [number, string][] = [
      [401, 'DATABRICKS.UNAUTHENTICATED'],
      [403, 'DATABRICKS.PERMISSION_DENIED'],
      [404, 'DATABRICKS.GENIE_FAILED'],
      [503, 'DATABRICKS.UNAVAILABLE'],
    ];
    for (const [status, code] of cases) {
      const clock = new FakeClock();
      const { fetchImpl } = fakeGenie({ [`POST ${BASE}/start-conversation`]: [json(status, { error_code: 'X', message: `status ${status}` })] });
      const error = await failure(clock, client(clock, fetchImpl).ask('q'));
      expect([status, error.code]).toEqual([status, code]);
    }
  });

  it('when a poll gets a transient 503, then the GET is retried and the answer still arrives', async () => {
    const clock = new FakeClock();
    const { fetchImpl } = fakeGenie({
      [`POST ${BASE}/start-conversation`]: [json(200, { conversation_id: 'c1', message_id: 'm1' })],
      [`GET ${BASE}/conversations/c1/messages/m1`]: [json(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'blip' }), json(200, message('COMPLETED'))],
    });
    const answer = await settle(clock, client(clock, fetchImpl).ask('q'));
    expect(answer.messageId).toBe('m1');
  });

  it('when the network fails, then UNAVAILABLE', async () => {
    const clock = new FakeClock();
    const fetchImpl = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    }) as typeof fetch;
    const error = await failure(clock, client(clock, fetchImpl).ask('q'));
    expect(error.code).toBe('DATABRICKS.UNAVAILABLE');
  });

  it('when the new query-result path is missing, then the older path is used', async () => {
    const clock = new FakeClock();
    const { fetchImpl, calls } = fakeGenie({
      [`POST ${BASE}/start-conversation`]: [json(200, { conversation_id: 'c1', message_id: 'm1', conversation: { id: 'c1' }, message: message('SUBMITTED') })],
      [`GET ${BASE}/conversations/c1/messages/m1`]: [json(200, COMPLETED_WITH_QUERY)],
      [`GET ${BASE}/conversations/c1/messages/m1/query-result/a1`]: [json(200, RESULT)],
    });
    const answer = await settle(clock, client(clock, fetchImpl).ask('total sales by region'));
    expect(answer.table?.rows).toHaveLength(3);
    expect(answer.table?.rows[2]).toEqual(['North', '3']);
    expect(calls.map((c) => c.path)).toContain(`${BASE}/conversations/c1/messages/m1/attachments/a1/query-result`);
  });

  it('when a Databricks message names an object quoted or backticked, then the object is extracted', () => {
    expect(namedObject("User x does not have SELECT on Table 'main.retail.orders'.")).toBe('main.retail.orders');
    expect(namedObject('Table or view `main`.`retail`.`nope` cannot be found.')).toBe('main.retail.nope');
    expect(namedObject('nothing here')).toBeUndefined();
  });

  it('when Retry-After is seconds or an HTTP date, then it is read as seconds', () => {
    expect(retryAfterSeconds('7')).toBe(7);
    expect(retryAfterSeconds(new Date(10_000).toUTCString(), 4_000)).toBe(6);
    expect(retryAfterSeconds(null)).toBeUndefined();
  });
});
