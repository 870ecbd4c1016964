import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge, parseJsonObject, readBody, sendJson } from '../entra/http';
import { listenLocal } from '../shared/idle-connections';
import type { RunningEmulator, TlsMaterial } from '../shared/types';
import { DEPLOYMENT_NAME, OpenAiControls, parseOpenAiFaultRule } from './controls';
import { answerFor, type ChatMessage } from './rules';
import { type Answer, type Protocol, completionBody, sendError, sendPromptFiltered, sendServerError, sendStream, sendThrottled } from './responses';

export interface OpenAiEmulatorInfo {
  /** The Azure OpenAI resource endpoint (`AZURE_OPENAI_ENDPOINT`); OpenAI's base URL is `${endpoint}/v1`. */
  endpoint: string;
  apiKey: string;
  /** The deployment that exists from the start (tests add their own through the control route). */
  deployment: string;
  controlUrl: string;
}

export interface OpenAiEmulatorOptions {
  port?: number;
  tls: TlsMaterial;
  deployment?: string;
}

interface OpenAiState {
  apiKey: string;
  controls: OpenAiControls;
}

export const DEFAULT_DEPLOYMENT = 'gpt-4o';

/**
 * Azure OpenAI and OpenAI chat completions over HTTPS, answered by rule (rules.ts):
 * - `POST /openai/deployments/{deployment}/chat/completions?api-version=…` with the `api-key` header (Azure);
 * - `POST /v1/chat/completions` with `Authorization: Bearer <key>`, the deployment named by `model` (OpenAI).
 * Test controls (typed client: `control-client.ts`), per deployment:
 * - `GET /_control/deployments`, `POST /_control/deployments {name}` (adds one)
 * - `GET /_control/deployments/{d}/requests` (every request received, full bodies, faulted ones included)
 * - `POST /_control/deployments/{d}/faults {mode, count?, delayMs?, retryAfterSeconds?, retryAfterMs?}`,
 *   `POST /_control/deployments/{d}/faults/clear`, `POST /_control/deployments/{d}/reset`
 */
export async function startOpenAiEmulator(options: OpenAiEmulatorOptions): Promise<RunningEmulator<OpenAiEmulatorInfo>> {
  const deployment = options.deployment ?? DEFAULT_DEPLOYMENT;
  const state: OpenAiState = { apiKey: randomBytes(24).toString('hex'), controls: new OpenAiControls([deployment]) };
  const server: Server = createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) => {
    route(state, req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLarge) return sendError(res, 413, { code: 'RequestEntityTooLarge', message: error.message });
      sendServerError(res, 'azure');
    });
  });
  const { port, stop } = await listenLocal(server, options.port);
  const endpoint = `https://localhost:${port}`;
  return { info: { endpoint, apiKey: state.apiKey, deployment, controlUrl: `${endpoint}/_control` }, stop };
}

function sameKey(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function route(state: OpenAiState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://localhost');
  const path = url.pathname.replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  if (path.startsWith('/_control')) return control(state, method, path.slice('/_control'.length), req, res);

  const azure = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(path);
  const openai = path === '/v1/chat/completions';
  // Azure answers unknown paths and a missing api-version with 404 "Resource not found".
  if (!azure && !openai) return sendError(res, 404, { code: '404', message: 'Resource not found' });
  if (method !== 'POST') return sendError(res, 405, { code: '405', message: `The HTTP method '${method}' is not allowed.` });
  const protocol: Protocol = azure ? 'azure' : 'openai';
  const apiVersion = url.searchParams.get('api-version') ?? undefined;
  if (azure && !apiVersion) return sendError(res, 404, { code: '404', message: 'Resource not found' });

  if (protocol === 'azure' ? !sameKey(headerOf(req, 'api-key'), state.apiKey) : !sameKey(/^Bearer (.+)$/.exec(headerOf(req, 'authorization') ?? '')?.[1], state.apiKey)) {
    // Azure: learn.microsoft.com/azure/ai-foundry/openai/reference (401 for a wrong key); OpenAI: invalid_api_key.
    return protocol === 'azure'
      ? sendError(res, 401, { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.' })
      : sendError(res, 401, { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' });
  }
  const body = parseJsonObject(await readBody(req));
  if (!body) return sendError(res, 400, { message: 'We could not parse the JSON body of your request.', type: 'invalid_request_error', param: null, code: null });
  const deployment = azure ? decodeURIComponent(azure[1] as string) : typeof body.model === 'string' ? body.model : '';
  if (!state.controls.has(deployment)) {
    return protocol === 'azure'
      ? sendError(res, 404, { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.' })
      : sendError(res, 404, { message: `The model \`${deployment}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' });
  }
  const messages = body.messages;
  const valid = Array.isArray(messages) && messages.length > 0 && messages.every((m) => typeof m === 'object' && m !== null && typeof (m as ChatMessage).role === 'string');
  const fault = valid ? state.controls.takeFault(deployment) : undefined;
  state.controls.record(deployment, { protocol, apiVersion, fault: fault?.mode, body });
  if (!valid) {
    return sendError(res, 400, { message: "'messages' must be a non-empty array of messages with a role.", type: 'invalid_request_error', param: 'messages', code: null });
  }
  if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  if (res.destroyed || req.socket.destroyed) return;
  switch (fault?.mode) {
    case 'http_429':
      return sendThrottled(res, protocol, apiVersion, fault.retryAfterSeconds, fault.retryAfterMs);
    case 'http_500':
      return sendServerError(res, protocol);
    case 'content_filter_prompt':
      return sendPromptFiltered(res);
    default:
      break;
  }
  const text = answerFor(messages as ChatMessage[]);
  const answer: Answer =
    fault?.mode === 'content_filter_completion'
      ? { content: null, finishReason: 'content_filter' }
      : fault?.mode === 'malformed_json'
        ? { content: `Sure! Here is the routing you asked for: ${text.slice(0, Math.max(1, text.length - 2))}`, finishReason: 'stop' }
        : withTools(body, text);
  const promptText = (messages as ChatMessage[]).map((m) => JSON.stringify(m.content ?? '')).join('\n');
  const completion = completionBody(protocol, answer, promptText);
  if (body.stream === true) return sendStream(res, completion, (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true);
  return sendJson(res, 200, completion, { 'x-request-id': String(completion.id), 'apim-request-id': String(completion.id) });
}

/** With `tools` (and a `tool_choice` other than none) the answer is a call of the chosen (or first) function. */
function withTools(body: Record<string, unknown>, text: string): Answer {
  const tools = Array.isArray(body.tools) ? (body.tools as { type?: unknown; function?: { name?: unknown } }[]) : [];
  const choice = body.tool_choice as { function?: { name?: unknown } } | string | undefined;
  if (tools.length === 0 || choice === 'none') return { content: text, finishReason: 'stop' };
  const named = typeof choice === 'object' && typeof choice.function?.name === 'string' ? choice.function.name : undefined;
  const name = named ?? tools.map((t) => t.function?.name).find((n): n is string => typeof n === 'string');
  if (!name) return { content: text, finishReason: 'stop' };
  return { content: null, toolCall: { name, arguments: text.startsWith('{') ? text : JSON.stringify({ text }) }, finishReason: 'tool_calls' };
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function control(state: OpenAiState, method: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (path === '/deployments') {
    if (method === 'GET') return sendJson(res, 200, { deployments: state.controls.names() });
    const body = parseJsonObject(await readBody(req));
    if (method !== 'POST' || !body) return sendJson(res, 400, { error: 'POST a JSON object {name}' });
    if (typeof body.name !== 'string' || !DEPLOYMENT_NAME.test(body.name)) return sendJson(res, 400, { error: 'name must be 1–64 letters, digits, ".", "_" or "-"' });
    state.controls.addDeployment(body.name);
    return sendJson(res, 200, { ok: true });
  }
  const match = /^\/deployments\/([^/]+)(\/.*)$/.exec(path);
  const name = match ? decodeURIComponent(match[1] as string) : '';
  if (!match || !state.controls.has(name)) return sendJson(res, 404, { error: 'no such deployment' });
  const action = match[2];
  if (method === 'GET' && action === '/requests') return sendJson(res, 200, { requests: state.controls.requests(name) });
  if (method !== 'POST') return sendJson(res, 404, { error: 'not_found' });
  const body = parseJsonObject(await readBody(req));
  if (!body) return sendJson(res, 400, { error: 'body must be a JSON object' });
  if (action === '/faults') {
    const rule = parseOpenAiFaultRule(body);
    if (typeof rule === 'string') return sendJson(res, 400, { error: rule });
    state.controls.addFault(name, rule);
    return sendJson(res, 200, { ok: true });
  }
  if (action === '/faults/clear') {
    state.controls.clearFaults(name);
    return sendJson(res, 200, { ok: true });
  }
  if (action === '/reset') {
    state.controls.reset(name);
    return sendJson(res, 200, { ok: true });
  }
  return sendJson(res, 404, { error: 'not_found' });
}
