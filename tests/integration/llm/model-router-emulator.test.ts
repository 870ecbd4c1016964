/**
 * The model router through the production client (`@langchain/openai`, as `createIntentRouter`
 * builds it) against the Azure OpenAI emulator of the shared stack, over HTTPS: routing, NL→SQL,
 * and every model failure, each with the number of requests the emulator received.
 * "mark the orders from … to … as shipped" tells the two routers apart: the model writes
 * `… BETWEEN …`, the deterministic router cannot and asks for SQL (`change-without-sql`).
 */
import { randomUUID } from 'node:crypto';
import { openAiControlClient } from '../../../emulators/openai/control-client';
import type { LlmConfig } from '../../../src/config';
import { createIntentRouter } from '../../../src/llm';
import type { Intent } from '../../../src/llm';
import { testStack } from '../../support/stack';

const RANGE = 'mark the orders from 100301 to 100310 as shipped';
const MODEL_SQL = "UPDATE main.retail.orders SET status = 'shipped' WHERE order_id BETWEEN 100301 AND 100310";

describe('model routing through @langchain/openai against the Azure OpenAI emulator', () => {
  const stack = testStack();
  const openai = stack.openai!;
  const control = openAiControlClient(openai.controlUrl);
  let deployment = '';

  const azure = (timeoutMs = 10_000): LlmConfig => ({ kind: 'azure-openai', endpoint: openai.endpoint, apiKey: openai.apiKey, deployment, apiVersion: '2024-10-21', timeoutMs });
  const route = (text: string, config: LlmConfig = azure()): Promise<Intent> => createIntentRouter(config).route(text, { memories: [] });
  const calls = async (): Promise<number> => (await control.requests(deployment)).length;

  beforeEach(async () => {
    deployment = `int-${randomUUID().slice(0, 8)}`;
    await control.addDeployment(deployment);
  });

  it('when the model routes a data question, then it is a question and the request carries the routing prompt and the message', async () => {
    expect(await route('What are total sales by region?')).toEqual({ kind: 'question', question: 'What are total sales by region?' });
    const [request] = await control.requests(deployment);
    expect(request?.protocol).toBe('azure');
    expect(request?.apiVersion).toBe('2024-10-21');
    const messages = request?.body.messages as { role: string; content: string }[];
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[0]?.content).toMatch(/"intent":"question"/);
    expect(messages[0]?.content).toMatch(/^- \w+\.\w+\.\w+/m);
    expect(messages[1]?.content).toBe('What are total sales by region?');
    expect(request?.body.temperature).toBe(0);
    expect(request?.body.stream).toBeFalsy();
  });

  it('when a change is asked, then the model writes SQL for a table of the prompt and the intent is an llm change', async () => {
    expect(await route(RANGE)).toEqual({ kind: 'change', sql: MODEL_SQL, source: 'llm' });
    expect(await calls()).toBe(1);
  });

  it('when the endpoint is OpenAI-compatible (/v1, Bearer key), then routing works the same way', async () => {
    const config: LlmConfig = { kind: 'openai-compatible', baseUrl: `${openai.endpoint}/v1`, apiKey: openai.apiKey, model: deployment, timeoutMs: 10_000 };
    expect(await route(RANGE, config)).toEqual({ kind: 'change', sql: MODEL_SQL, source: 'llm' });
    const [request] = await control.requests(deployment);
    expect(request?.protocol).toBe('openai');
    expect(request?.body.model).toBe(deployment);
  });

  it('when the model is throttled once with retry-after, then the client waits it out and the second request answers (2 calls)', async () => {
    await control.fault(deployment, { mode: 'http_429', count: 1, retryAfterSeconds: 3, retryAfterMs: 3000 });
    expect(await route(RANGE)).toEqual({ kind: 'change', sql: MODEL_SQL, source: 'llm' });
    const requests = await control.requests(deployment);
    expect(requests.map((r) => r.fault ?? 'answered')).toEqual(['http_429', 'answered']);
    // A lower bound, not a performance figure: the client's own backoff alone is 1–2 s.
    expect(Date.parse(requests[1]!.receivedAt) - Date.parse(requests[0]!.receivedAt)).toBeGreaterThanOrEqual(2900);
  });

  it('when the model stays throttled, then after the first try and two retries the deterministic router answers (3 calls)', async () => {
    await control.fault(deployment, { mode: 'http_429', retryAfterSeconds: 1 });
    expect((await route(RANGE)).kind).toBe('change-without-sql');
    expect(await calls()).toBe(3);
  });

  it('when a 429 names no wait, or a wait over 60 s, then LangChain does not retry it and the deterministic router answers at once (1 call each)', async () => {
    const config: LlmConfig = { kind: 'openai-compatible', baseUrl: `${openai.endpoint}/v1`, apiKey: openai.apiKey, model: deployment, timeoutMs: 10_000 };
    await control.fault(deployment, { mode: 'http_429', count: 1 });
    expect((await route(RANGE, config)).kind).toBe('change-without-sql');
    expect(await calls()).toBe(1);
    await control.fault(deployment, { mode: 'http_429', count: 1, retryAfterSeconds: 120 });
    expect((await route(RANGE)).kind).toBe('change-without-sql');
    expect(await calls()).toBe(2);
  });

  it('when the prompt is refused by the content filter (HTTP 400), then it is not retried and the deterministic router answers (1 call)', async () => {
    await control.fault(deployment, { mode: 'content_filter_prompt' });
    expect((await route(RANGE)).kind).toBe('change-without-sql');
    expect(await route('What are total sales by region?')).toEqual({ kind: 'question', question: 'What are total sales by region?' });
    expect(await calls()).toBe(2);
  });

  it('when the completion is filtered (finish_reason content_filter, no content), then the deterministic router answers (1 call)', async () => {
    await control.fault(deployment, { mode: 'content_filter_completion', count: 1 });
    expect((await route(RANGE)).kind).toBe('change-without-sql');
    expect(await calls()).toBe(1);
  });

  it('when the model answers text that is not the routing JSON, then the deterministic router answers (1 call)', async () => {
    await control.fault(deployment, { mode: 'malformed_json', count: 1 });
    expect((await route(RANGE)).kind).toBe('change-without-sql');
    expect(await calls()).toBe(1);
  });

  it('when the model fails with 500, then the client retries twice and the deterministic router answers (3 calls)', async () => {
    await control.fault(deployment, { mode: 'http_500' });
    expect((await route(RANGE)).kind).toBe('change-without-sql');
    expect(await calls()).toBe(3);
  });

  it('when one 500 is followed by an answer, then the retry gets the model’s answer (2 calls)', async () => {
    await control.fault(deployment, { mode: 'http_500', count: 1 });
    expect(await route(RANGE)).toEqual({ kind: 'change', sql: MODEL_SQL, source: 'llm' });
    expect(await calls()).toBe(2);
  });

  it('when the model is slower than LLM_TIMEOUT_MS, then each request is abandoned and the deterministic router answers (3 calls)', async () => {
    await control.fault(deployment, { mode: 'delay', delayMs: 5_000 });
    expect((await route(RANGE, azure(800))).kind).toBe('change-without-sql');
    expect(await calls()).toBe(3);
  });

  it('when the key is wrong, then the emulator answers 401 and the deterministic router answers (no request reaches the deployment)', async () => {
    expect((await route(RANGE, { ...azure(), apiKey: 'not-the-key' } as LlmConfig)).kind).toBe('change-without-sql');
    expect(await calls()).toBe(0);
    const response = await fetch(`${openai.endpoint}/openai/deployments/${deployment}/chat/completions?api-version=2024-10-21`, { method: 'POST', headers: { 'api-key': 'wrong', 'content-type': 'application/json' }, body: '{"messages":[]}' });
    expect(response.status).toBe(401);
  });

  it('when the deployment or api-version is wrong, or the messages are missing, then the emulator answers as Azure does', async () => {
    const post = (path: string, body: unknown): Promise<Response> =>
      fetch(`${openai.endpoint}${path}`, { method: 'POST', headers: { 'api-key': openai.apiKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const missing = await post('/openai/deployments/no-such-deployment/chat/completions?api-version=2024-10-21', { messages: [{ role: 'user', content: 'hi' }] });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('DeploymentNotFound');
    expect((await post(`/openai/deployments/${deployment}/chat/completions`, { messages: [{ role: 'user', content: 'hi' }] })).status).toBe(404);
    expect((await post(`/openai/deployments/${deployment}/chat/completions?api-version=2024-10-21`, { messages: [] })).status).toBe(400);
  });

  it('when a fault rule is malformed, then the control route refuses it with the reason', async () => {
    await expect(control.fault(deployment, { mode: 'nonsense' } as never)).rejects.toThrow(/mode must be one of/);
    await expect(control.fault(deployment, { mode: 'delay' })).rejects.toThrow(/needs delayMs/);
    await expect(control.fault(deployment, { mode: 'http_429', count: 0 })).rejects.toThrow(/count must be a positive integer/);
  });
});
