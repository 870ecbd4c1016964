import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson } from '../entra/http';

/**
 * Response bodies of the chat-completions API, as the real services send them:
 * - shape: platform.openai.com/docs/api-reference/chat/object (id `chatcmpl-…`, `object`, `created`,
 *   `model`, `choices[].message` with `content`/`refusal`/`tool_calls`, `finish_reason`, `usage`) and
 *   the streaming chunks, platform.openai.com/docs/api-reference/chat-streaming (`data: [DONE]` last);
 * - Azure additions: `prompt_filter_results` and per-choice `content_filter_results`, and the content
 *   filter outcomes (HTTP 400 `content_filter` with `innererror.code: "ResponsibleAIPolicyViolation"`
 *   and `innererror.content_filter_result`, or HTTP 200 with `finish_reason: "content_filter"`):
 *   learn.microsoft.com/azure/ai-foundry/openai/concepts/content-filter ("Scenario details");
 * - throttling: HTTP 429 with `retry-after` (and, on Azure, `retry-after-ms`),
 *   learn.microsoft.com/azure/ai-foundry/openai/quotas-limits.
 */
export type Protocol = 'azure' | 'openai';

export const EMULATED_MODEL = 'gpt-4o-2024-08-06';

const SAFE = { filtered: false, severity: 'safe' };
const NOT_FILTERED = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };
const FILTERED = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: { filtered: true, severity: 'medium' } };

const tokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));
const id = (prefix: string): string => `${prefix}${randomBytes(12).toString('base64url')}`;

export interface Answer {
  /** Message content, or null (tool call, filtered completion). */
  content: string | null;
  toolCall?: { name: string; arguments: string };
  finishReason: 'stop' | 'tool_calls' | 'content_filter';
}

export function completionBody(protocol: Protocol, answer: Answer, promptText: string): Record<string, unknown> {
  const completionText = answer.content ?? answer.toolCall?.arguments ?? '';
  const message: Record<string, unknown> = { role: 'assistant', content: answer.content, refusal: null };
  if (answer.toolCall) message.tool_calls = [{ id: id('call_'), type: 'function', function: answer.toolCall }];
  const choice: Record<string, unknown> = { index: 0, message, logprobs: null, finish_reason: answer.finishReason };
  if (protocol === 'azure') choice.content_filter_results = answer.finishReason === 'content_filter' ? FILTERED : NOT_FILTERED;
  const body: Record<string, unknown> = {
    id: id('chatcmpl-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: EMULATED_MODEL,
    system_fingerprint: 'fp_emulator',
    choices: [choice],
    usage: { prompt_tokens: tokens(promptText), completion_tokens: tokens(completionText), total_tokens: tokens(promptText) + tokens(completionText) },
  };
  if (protocol === 'azure') body.prompt_filter_results = [{ prompt_index: 0, content_filter_results: NOT_FILTERED }];
  return body;
}

/** The same answer as server-sent events: a role chunk, the content or tool call, the finish, usage if asked, `[DONE]`. */
export function sendStream(res: ServerResponse, body: Record<string, unknown>, includeUsage: boolean): void {
  const choice = (body.choices as Record<string, unknown>[])[0] as { message: Record<string, unknown>; finish_reason: string };
  const base = { id: body.id, object: 'chat.completion.chunk', created: body.created, model: body.model, system_fingerprint: body.system_fingerprint };
  const chunk = (delta: Record<string, unknown>, finish: string | null): Record<string, unknown> => ({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const toolCalls = choice.message.tool_calls as { id: string; type: string; function: unknown }[] | undefined;
  const events = [
    chunk({ role: 'assistant', content: '', refusal: null }, null),
    toolCalls ? chunk({ tool_calls: toolCalls.map((t, index) => ({ index, ...t })) }, null) : chunk({ content: choice.message.content ?? '' }, null),
    chunk({}, choice.finish_reason),
    ...(includeUsage ? [{ ...base, choices: [], usage: body.usage }] : []),
  ];
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  for (const event of events) res.write(`data: ${JSON.stringify(event)}\n\n`);
  res.end('data: [DONE]\n\n');
}

export function sendError(res: ServerResponse, status: number, error: Record<string, unknown>, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  sendJson(res, status, { error }, { 'x-request-id': id('req_'), ...headers });
}

/** Azure's 429 (its message names the wait, as the real one does); OpenAI's `rate_limit_exceeded`. */
export function sendThrottled(res: ServerResponse, protocol: Protocol, apiVersion: string | undefined, retryAfterSeconds?: number, retryAfterMs?: number): void {
  const headers: Record<string, string> = {};
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  if (retryAfterMs !== undefined && protocol === 'azure') headers['retry-after-ms'] = String(retryAfterMs);
  if (protocol === 'azure') {
    const wait = retryAfterSeconds === undefined ? '' : ` Please retry after ${retryAfterSeconds} seconds.`;
    return sendError(res, 429, { code: '429', message: `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version ${apiVersion ?? ''} have exceeded token rate limit of your current OpenAI S0 pricing tier.${wait}` }, headers);
  }
  return sendError(res, 429, { message: 'Rate limit reached for requests (injected by the emulator).', type: 'requests', param: null, code: 'rate_limit_exceeded' }, headers);
}

export function sendServerError(res: ServerResponse, protocol: Protocol): void {
  if (protocol === 'azure') return sendError(res, 500, { code: 'InternalServerError', message: 'The server had an error while processing your request. Sorry about that! (injected by the emulator)' });
  return sendError(res, 500, { message: 'The server had an error while processing your request. Sorry about that! (injected by the emulator)', type: 'server_error', param: null, code: null });
}

/** The prompt was filtered: HTTP 400, Azure only (OpenAI has no such refusal). */
export function sendPromptFiltered(res: ServerResponse): void {
  sendError(res, 400, {
    message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
    type: null,
    param: 'prompt',
    code: 'content_filter',
    status: 400,
    innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: FILTERED },
  });
}
