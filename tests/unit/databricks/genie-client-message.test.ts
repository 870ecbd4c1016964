import { createGenieClient } from '../../../src/databricks/genie-client';
import { createGenieRateLimiter } from '../../support/genie-rate-limiter';
import { isAppError, type AppError } from '../../../src/errors';
import { silentLogger } from '../../../src/logging';

const BASE = '/api/2.0/genie/spaces/space1/conversations/c1/messages/m1';

function message(status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'm1', message_id: 'm1', conversation_id: 'c1', space_id: 'space1', status, content: 'q', ...extra };
}

const RESULT = {
  statement_response: {
    statement_id: 's1',
    status: { state: 'SUCCEEDED' },
    manifest: { schema: { columns: [{ name: 'region', type_name: 'STRING', position: 0 }, { name: 'total', type_name: 'DECIMAL', position: 1 }] }, total_row_count: 2 },
    result: { data_array: [['West', '10.00'], ['East', null]] },
  },
};

/** Genie answering GETs from a route table; records every request. */
function genie(routes: Record<string, { status: number; body: unknown }>) {
  const calls: { method: string; path: string; authorization: string | null }[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    calls.push({ method, path: url.pathname, authorization: new Headers(init?.headers).get('authorization') });
    const reply = routes[`${method} ${url.pathname}`] ?? { status: 404, body: { error_code: 'NOT_FOUND', message: 'no route' } };
    return new Response(JSON.stringify(reply.body), { status: reply.status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  const client = createGenieClient({
    host: 'https://adb-1.example.net',
    spaceId: 'space1',
    getToken: async () => 'tok-alice',
    limiter: createGenieRateLimiter({ postsPerMinute: 5 }),
    poll: { initialMs: 1, maxMs: 2, timeoutMs: 1000 },
    logger: silentLogger(),
    fetchImpl,
  });
  return { client, calls };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('Genie client: reading a message again', () => {
  it('when a finished message is read again, then GETs return its text, SQL, suggestions and rows, with the caller’s token and no POST', async () => {
    const { client, calls } = genie({
      [`GET ${BASE}`]: {
        status: 200,
        body: message('COMPLETED', {
          attachments: [
            { attachment_id: 't1', text: { id: 't1', content: 'West leads with 10.00.' } },
            { attachment_id: 'a1', query: { id: 'q1', title: 'Total sales by region', query: 'SELECT 1', statement_id: 's1' } },
            { attachment_id: 'a2', suggested_questions: { questions: ['What about East?'] } },
          ],
        }),
      },
      [`GET ${BASE}/attachments/a1/query-result`]: { status: 200, body: RESULT },
    });
    const answer = await client.getMessage('c1', 'm1');
    expect(answer).toMatchObject({
      spaceId: 'space1',
      conversationId: 'c1',
      messageId: 'm1',
      status: 'COMPLETED',
      text: 'West leads with 10.00.',
      query: { attachmentId: 'a1', sql: 'SELECT 1', title: 'Total sales by region' },
      suggestedQuestions: ['What about East?'],
    });
    expect(answer.table?.rows).toEqual([['West', '10.00'], ['East', null]]);
    expect(calls).toEqual([
      { method: 'GET', path: BASE, authorization: 'Bearer tok-alice' },
      { method: 'GET', path: `${BASE}/attachments/a1/query-result`, authorization: 'Bearer tok-alice' },
    ]);
  });

  it('when the message read again has text only, then no query result is fetched', async () => {
    const { client, calls } = genie({ [`GET ${BASE}`]: { status: 200, body: message('COMPLETED', { attachments: [{ attachment_id: 't1', text: { content: 'Ask me about sales.' } }] }) } });
    expect(await client.getMessage('c1', 'm1')).toMatchObject({ text: 'Ask me about sales.', query: undefined, table: undefined });
    expect(calls).toHaveLength(1);
  });

  it('when the message is not the caller’s (404), failed, or not finished, then reading it again fails with GENIE_FAILED', async () => {
    const missing = genie({ [`GET ${BASE}`]: { status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Conversation c1 does not exist.' } } });
    expect((await failure(missing.client.getMessage('c1', 'm1'))).code).toBe('DATABRICKS.GENIE_FAILED');
    expect(missing.calls).toHaveLength(1);
    const failed = genie({ [`GET ${BASE}`]: { status: 200, body: message('FAILED', { error: { error: 'Genie could not answer.', type: 'GENERIC_CHAT_COMPLETION_EXCEPTION' } }) } });
    expect((await failure(failed.client.getMessage('c1', 'm1'))).code).toBe('DATABRICKS.GENIE_FAILED');
    const running = genie({ [`GET ${BASE}`]: { status: 200, body: message('EXECUTING_QUERY') } });
    const error = await failure(running.client.getMessage('c1', 'm1'));
    expect(error.code).toBe('DATABRICKS.GENIE_FAILED');
    expect(error.details).toMatchObject({ status: 'EXECUTING_QUERY' });
  });
});
