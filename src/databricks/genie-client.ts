/**
 * The per-turn Genie client: asks a question (starting or continuing a conversation), polls the
 * message with exponential backoff until it finishes, and fetches the result. Every POST first
 * takes a slot from the shared workspace limiter; a 429 is retried once after Retry-After, then
 * surfaces as RATE_LIMITED. Built per turn with that user's `getToken`; holds no token itself.
 */
import { AppError, hasCode } from '../errors';
import type { Logger } from '../logging';
import { genieFetch, messageFailure, normalizeHost, type GenieTransport } from './genie-http';
import { nextPollDelay } from './poll-schedule';
import {
  attachmentsOf,
  messageIdOf,
  messageSchema,
  parseWire,
  queryResultSchema,
  startConversationSchema,
  tableOf,
  type WireMessage,
} from './genie-wire';
import type { GenieRateLimiter } from './genie-limiter';
import type { GenieAnswer, GenieClient, GenieProgress, TableResult } from './types';
import { fromSqlFailure } from './errors';
import { executeAttachmentQuery } from './genie-results';
import { tokenAndSlot } from './genie-slot';
import { type Sleep, sleepUnlessAborted, timerSleep } from './sleep';

export interface GenieClientOptions {
  /** HTTPS base URL of the workspace, e.g. https://localhost:47002 or https://adb-123.azuredatabricks.net */
  host: string;
  spaceId: string;
  getToken: () => Promise<string>;
  limiter: GenieRateLimiter;
  poll: { initialMs: number; maxMs: number; timeoutMs: number };
  logger: Logger;
  /** Rows kept in an answer's table; `totalRowCount` still reports all. Default 1,000. */
  rowCap?: number;
  fetchImpl?: typeof fetch;
  sleep?: Sleep;
  now?: () => number;
  /** Timeout of one HTTP call. Default 30 s. */
  requestTimeoutMs?: number;
}

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'QUERY_RESULT_EXPIRED']);
const GET_ATTEMPTS = 3;

export function createGenieClient(options: GenieClientOptions): GenieClient {
  const transport: GenieTransport = {
    host: normalizeHost(options.host),
    getToken: options.getToken,
    fetchImpl: options.fetchImpl ?? fetch,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
  };
  const sleep = options.sleep ?? timerSleep;
  const now = options.now ?? Date.now;
  const rowCap = options.rowCap ?? 1000;
  const logger = options.logger.child({ module: 'genie-client' });
  const space = `/api/2.0/genie/spaces/${encodeURIComponent(options.spaceId)}`;
  const conversationPath = (cid: string): string => `${space}/conversations/${encodeURIComponent(cid)}`;
  const messagePath = (cid: string, mid: string): string => `${conversationPath(cid)}/messages/${encodeURIComponent(mid)}`;

  const pause = async (ms: number, signal: AbortSignal | undefined): Promise<void> => (ms > 0 ? sleepUnlessAborted(sleep, ms, signal) : undefined);

  async function limitedPost(path: string, body: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    const [token, ticket] = await tokenAndSlot(transport, options.limiter, signal);
    if (ticket.waitedMs > 0) logger.debug({ waitedMs: ticket.waitedMs }, 'genie POST queued for a rate slot');
    try {
      return await genieFetch(transport, 'POST', path, body, signal, token);
    } finally {
      ticket.sent();
    }
  }

  /** A POST through the shared limiter; one retry after a 429's Retry-After. */
  async function post(path: string, body: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    try {
      return await limitedPost(path, body, signal);
    } catch (error) {
      if (!hasCode(error, 'DATABRICKS.RATE_LIMITED') || (error as AppError).details.httpStatus !== 429) throw error;
      const seconds = Number((error as AppError).details.retryAfterSeconds ?? 1);
      logger.warn({ retryAfterSeconds: seconds }, 'genie answered 429; retrying once after Retry-After');
      options.limiter.backOff(seconds * 1000);
      return limitedPost(path, body, signal);
    }
  }

  /** A GET, retried on transient failures (5xx, network, 429) a few times; GETs are idempotent. */
  async function get(path: string, signal: AbortSignal | undefined): Promise<unknown> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await genieFetch(transport, 'GET', path, undefined, signal);
      } catch (error) {
        const transient = hasCode(error, 'DATABRICKS.UNAVAILABLE') || hasCode(error, 'DATABRICKS.RATE_LIMITED');
        if (!transient || attempt >= GET_ATTEMPTS) throw error;
        const retryAfter = Number((error as AppError).details.retryAfterSeconds ?? 0) * 1000;
        await pause(Math.max(retryAfter, options.poll.initialMs * attempt), signal);
      }
    }
  }

  async function fetchResult(cid: string, mid: string, aid: string, signal: AbortSignal | undefined): Promise<TableResult> {
    let reExecuted = false;
    for (let attempt = 1; ; attempt += 1) {
      let body: unknown;
      try {
        body = await get(`${messagePath(cid, mid)}/attachments/${encodeURIComponent(aid)}/query-result`, signal);
      } catch (error) {
        if (!hasCode(error, 'DATABRICKS.GENIE_FAILED')) throw error;
        body = await get(`${messagePath(cid, mid)}/query-result/${encodeURIComponent(aid)}`, signal);
      }
      let result = parseWire(queryResultSchema, body, 'query result');
      if (result.statement_response.status.state === 'CLOSED' && !reExecuted) {
        // An expired result (message status QUERY_RESULT_EXPIRED): run it again once, as this user (genie-results.ts).
        reExecuted = true;
        result = await executeAttachmentQuery((path, b) => post(path, b, signal), `${messagePath(cid, mid)}/attachments/${encodeURIComponent(aid)}`, logger);
      }
      const state = result.statement_response.status.state;
      if (state === 'SUCCEEDED') return tableOf(result, rowCap);
      if (state === 'FAILED' || state === 'CANCELED' || state === 'CLOSED') {
        const message = result.statement_response.status.error?.message ?? `Genie query ${state.toLowerCase()}`;
        throw fromSqlFailure(undefined, message);
      }
      if (attempt >= 5) throw new AppError('DATABRICKS.TIMEOUT', `Genie query result still ${state}.`, { details: { conversationId: cid, messageId: mid } });
      await pause(options.poll.initialMs, signal);
    }
  }

  async function answerOf(message: WireMessage, signal: AbortSignal | undefined): Promise<GenieAnswer> {
    const conversationId = message.conversation_id;
    const messageId = messageIdOf(message);
    const { text, query, moreQueries, clarification, suggestedQuestions } = attachmentsOf(message);
    const table = query ? await fetchResult(conversationId, messageId, query.attachmentId, signal) : undefined;
    const more = [];
    for (const extra of moreQueries) more.push({ query: extra, table: await fetchResult(conversationId, messageId, extra.attachmentId, signal) });
    const answer: GenieAnswer = { spaceId: options.spaceId, conversationId, messageId, status: 'COMPLETED', text, query, table, suggestedQuestions };
    return { ...answer, ...(more.length > 0 ? { moreQueries: more } : {}), ...(clarification ? { clarification } : {}) };
  }

  async function ask(
    question: string,
    askOptions: { conversationId?: string; signal?: AbortSignal; onProgress?: (p: GenieProgress) => void } = {},
  ): Promise<GenieAnswer> {
    const { conversationId: existing, signal, onProgress } = askOptions;
    const started = now();
    let message: WireMessage;
    if (existing) {
      message = parseWire(messageSchema, await post(`${conversationPath(existing)}/messages`, { content: question }, signal), 'message');
    } else {
      const startedConversation = parseWire(startConversationSchema, await post(`${space}/start-conversation`, { content: question }, signal), 'conversation');
      message = startedConversation.message ?? {
        conversation_id: startedConversation.conversation_id,
        message_id: startedConversation.message_id,
        status: 'SUBMITTED',
      };
    }
    const ids = { conversationId: message.conversation_id, messageId: messageIdOf(message) };
    const deadline = now() + options.poll.timeoutMs;
    logger.debug({ ...ids, questionLength: question.length, continued: existing !== undefined }, 'genie message submitted');
    let lastStatus = '';
    for (;;) {
      if (message.status !== lastStatus) {
        lastStatus = message.status;
        onProgress?.({ status: lastStatus, elapsedMs: now() - started });
      }
      if (TERMINAL.has(message.status)) break;
      const remaining = deadline - now();
      if (remaining <= 0) {
        throw new AppError('DATABRICKS.TIMEOUT', `Genie message still ${lastStatus} after ${options.poll.timeoutMs} ms.`, {
          details: { ...ids, lastStatus },
        });
      }
      await pause(Math.min(nextPollDelay(now() - started, options.poll), remaining), signal);
      message = parseWire(messageSchema, await get(messagePath(ids.conversationId, ids.messageId), signal), 'message');
    }
    logger.debug({ ...ids, status: message.status, elapsedMs: now() - started }, 'genie message finished');
    if (message.status === 'FAILED') throw messageFailure(message.error, ids);
    if (message.status !== 'COMPLETED') {
      throw new AppError('DATABRICKS.GENIE_FAILED', `Genie message ended ${message.status}.`, { details: { ...ids, status: message.status } });
    }
    return answerOf(message, signal);
  }

  async function getMessage(conversationId: string, messageId: string): Promise<GenieAnswer> {
    const message = parseWire(messageSchema, await get(messagePath(conversationId, messageId), undefined), 'message');
    const ids = { conversationId, messageId };
    if (message.status === 'FAILED') throw messageFailure(message.error, ids);
    if (message.status !== 'COMPLETED' && message.status !== 'QUERY_RESULT_EXPIRED') {
      throw new AppError('DATABRICKS.GENIE_FAILED', `Genie message is ${message.status}, not COMPLETED.`, { details: { ...ids, status: message.status } });
    }
    return answerOf(message, undefined);
  }

  return {
    spaceId: options.spaceId,
    ask,
    getMessage,
  };
}
