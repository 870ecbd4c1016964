/**
 * The Genie Conversation API of the Databricks emulator, mounted by the server under
 * `/api/2.0/genie/`. Conversations are per user; every POST counts against the workspace-wide
 * rate limit (429 RESOURCE_EXHAUSTED with Retry-After); answers run as the asking user.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpApiError, type ApiHandler, type WorkspaceEngine, type WorkspaceUser } from '../engine-types';
import { ControlState, DEFAULT_LATENCY, DEFAULT_RATE_LIMIT, type GenieControls, type PhaseLatency, type RateLimit } from './controls';
import { handleControlRequest } from './control-routes';
import { handleTimingControl } from './timing-controls';
import { rerunQuery, startMessage, type RunnerDeps } from './message-runner';
import { DEFAULT_SPACES } from './demo-spaces';
import { getSpaceBody, listConversationsBody, listSpacesBody, requireSpace } from './space-routes';
import type { GenieSpaceDefinition } from './spaces';
import { DownloadStore } from './downloads';
import { handleResultsControl } from './results-controls';
import { GenieState, queriesOf, type ConversationRecord, type MessageRecord, type StoredQuery } from './state';
import { conversationJson, messageJson, notFound, readJsonBody, sendError, sendJson, statementResponseJson } from './wire';

export { DEFAULT_SPACE_ID, RETAIL_SPACE, type GenieSpaceDefinition } from './spaces';
export { DEFAULT_SPACES, HR_SPACE_ID, SANDBOX_SPACE_ID } from './demo-spaces';
export type { GenieControls, GenieCounters, PhaseLatency, RateLimit } from './controls';

export interface GenieOptions {
  spaces?: GenieSpaceDefinition[];
  latency?: Partial<PhaseLatency>;
  rateLimit?: Partial<RateLimit>;
  /** Rows kept per result (the real API caps at 5,000). */
  rowLimit?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export type GenieHandler = ApiHandler & {
  controls: GenieControls;
  /** Serves `/_control/genie/...` (local test controls); false for any other path. */
  handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** Serves the pre-signed external links of full-result downloads (no Authorization header); false for any other path. */
  serveExternalLink(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
};

/** Genie's documented cap on a feedback comment (Genie Send Message Feedback: `comment` <= 5000 characters). */
export const FEEDBACK_COMMENT_MAX = 5000;

const PREFIX = '/api/2.0/genie/';
const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

function requireContent(body: Record<string, unknown>): string {
  const content = body.content;
  if (typeof content !== 'string' || content.trim() === '') {
    throw new HttpApiError(400, 'INVALID_PARAMETER_VALUE', 'Field `content` is required and must be a non-empty string.');
  }
  if (content.length > 10_000) throw new HttpApiError(400, 'INVALID_PARAMETER_VALUE', 'Field `content` is too long.');
  return content;
}

export function createGenieHandler(engine: WorkspaceEngine, options: GenieOptions = {}): GenieHandler {
  const now = options.now ?? Date.now;
  const spaces = options.spaces ?? DEFAULT_SPACES;
  const state = new GenieState(now);
  const controls = new ControlState(
    {
      latency: { ...DEFAULT_LATENCY, ...options.latency },
      rateLimit: { ...DEFAULT_RATE_LIMIT, ...options.rateLimit },
      onReset: () => {
        state.clear();
        downloads.clear();
      },
    },
    now,
  );
  const downloads = new DownloadStore({ engine, now, chunkRows: 2000 });
  const deps: RunnerDeps = { engine, state, controls, rowLimit: options.rowLimit ?? 5000, sleep: options.sleep ?? defaultSleep };

  const conversationOf = (spaceId: string, cid: string, user: WorkspaceUser): ConversationRecord => {
    const conversation = state.conversationOf(spaceId, cid, user);
    if (!conversation) throw notFound(`Conversation ${cid}`);
    return conversation;
  };
  const messageOf = (conversation: ConversationRecord, mid: string): MessageRecord => {
    const message = conversation.messages.find((m) => m.messageId === mid);
    if (!message) throw notFound(`Message ${mid}`);
    return message;
  };
  const queryOf = (message: MessageRecord, aid: string | undefined): StoredQuery => {
    const query = aid === undefined ? message.query : queriesOf(message).find((q) => q.attachmentId === aid);
    if (!query) throw notFound(`Query attachment ${aid ?? ''}`);
    return query;
  };
  const queryResult = (message: MessageRecord, aid: string | undefined): Record<string, unknown> => {
    const query = queryOf(message, aid);
    // An expired result: Statement Execution's CLOSED ("the result is no longer available"); the
    // message reads QUERY_RESULT_EXPIRED until execute-query runs the SQL again.
    if (query.expired) return { statement_response: { statement_id: query.result?.statementId, status: { state: 'CLOSED' } } };
    if (query.result) return { statement_response: statementResponseJson(query.result) };
    const failed = message.status === 'FAILED';
    return {
      statement_response: {
        status: failed ? { state: 'FAILED', error: { error_code: 'SQL_EXECUTION_EXCEPTION', message: message.error?.error } } : { state: 'RUNNING' },
      },
    };
  };

  async function route(req: IncomingMessage, res: ServerResponse, user: WorkspaceUser, parts: string[], url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    if (parts.length === 1 && parts[0] === 'spaces' && method === 'GET') return sendJson(res, 200, listSpacesBody(spaces, user, url));
    if (parts[0] !== 'spaces' || parts.length < 2) throw notFound('Endpoint');
    const rest = parts.slice(2);
    if (rest.length === 0 && method === 'GET') return sendJson(res, 200, getSpaceBody(spaces, parts[1]!, user, url));
    const space = requireSpace(spaces, parts[1]!, user);

    if (rest.length === 1 && rest[0] === 'start-conversation' && method === 'POST') {
      const content = requireContent(await readJsonBody(req));
      const conversation = state.createConversation(space.spaceId, user, content);
      const message = state.addMessage(conversation, content);
      startMessage(deps, space, conversation, message, user);
      return sendJson(res, 200, {
        conversation: conversationJson(conversation),
        conversation_id: conversation.conversationId,
        message: messageJson(message),
        message_id: message.messageId,
      });
    }
    if (rest[0] !== 'conversations') throw notFound('Endpoint');
    if (rest.length === 1 && method === 'GET') {
      return sendJson(res, 200, listConversationsBody(space, user, url, (all) => state.list(space.spaceId, all ? undefined : user)));
    }
    const conversation = conversationOf(space.spaceId, rest[1] ?? '', user);
    if (rest.length === 2 && method === 'DELETE') {
      state.delete(conversation.conversationId);
      return sendJson(res, 200, {});
    }
    if (rest.length === 2 && method === 'GET') return sendJson(res, 200, conversationJson(conversation));
    if (rest[2] !== 'messages') throw notFound('Endpoint');
    if (rest.length === 3 && method === 'POST') {
      const content = requireContent(await readJsonBody(req));
      const message = state.addMessage(conversation, content);
      startMessage(deps, space, conversation, message, user);
      return sendJson(res, 200, messageJson(message));
    }
    if (rest.length === 3 && method === 'GET') return sendJson(res, 200, { messages: conversation.messages.map(messageJson) });
    const message = messageOf(conversation, rest[3] ?? '');
    const tail = rest.slice(4);
    if (tail.length === 0 && method === 'GET') return sendJson(res, 200, messageJson(message));
    if (tail.length === 1 && tail[0] === 'feedback' && method === 'POST') {
      const body = await readJsonBody(req);
      const rating = body.rating;
      if (rating !== 'POSITIVE' && rating !== 'NEGATIVE' && rating !== 'NONE') {
        throw new HttpApiError(400, 'INVALID_PARAMETER_VALUE', 'Field `rating` must be one of POSITIVE, NEGATIVE, NONE.');
      }
      const comment = body.comment;
      if (comment !== undefined && typeof comment !== 'string') throw new HttpApiError(400, 'INVALID_PARAMETER_VALUE', 'Field `comment` must be a string.');
      if (typeof comment === 'string' && comment.length > FEEDBACK_COMMENT_MAX) {
        throw new HttpApiError(400, 'INVALID_PARAMETER_VALUE', `Field \`comment\` must be at most ${FEEDBACK_COMMENT_MAX} characters.`);
      }
      message.feedback = comment === undefined ? { rating } : { rating, comment };
      controls.count.feedback += 1;
      return sendJson(res, 200, {});
    }
    if (tail[0] === 'attachments' && tail[2] === 'downloads' && tail.length === 3 && method === 'POST') {
      const query = queryOf(message, tail[1]);
      controls.count.downloads += 1;
      return sendJson(res, 200, downloads.start(message, query, user));
    }
    if (tail[0] === 'attachments' && tail[2] === 'downloads' && tail.length === 4 && method === 'GET') {
      queryOf(message, tail[1]);
      const baseUrl = `https://${req.headers.host ?? 'localhost'}`;
      return sendJson(res, 200, downloads.status(message, tail[1] ?? '', tail[3] ?? '', url.searchParams.get('download_id_signature'), user, baseUrl));
    }
    if (tail[0] === 'query-result' && method === 'GET' && tail.length <= 2) return sendJson(res, 200, queryResult(message, tail[1]));
    if (tail[0] === 'attachments' && tail.length === 3 && tail[2] === 'query-result' && method === 'GET') {
      return sendJson(res, 200, queryResult(message, tail[1]));
    }
    if (tail[0] === 'attachments' && tail.length === 3 && tail[2] === 'execute-query' && method === 'POST') {
      await rerunQuery(deps, message, queryOf(message, tail[1]), user);
      return sendJson(res, 200, queryResult(message, tail[1]));
    }
    throw notFound('Endpoint');
  }

  async function handle(req: IncomingMessage, res: ServerResponse, user: WorkspaceUser, url: URL): Promise<boolean> {
    if (!url.pathname.startsWith(PREFIX)) return false;
    const method = req.method ?? 'GET';
    if (method === 'POST') controls.count.posts += 1;
    else if (method === 'DELETE') controls.count.deletes += 1;
    else controls.count.gets += 1;
    try {
      const fault = controls.takeHttpFailure();
      if (fault) {
        controls.count.injectedHttpFailures += 1;
        const retry = fault.retryAfterSeconds ?? (fault.status === 429 ? 1 : undefined);
        throw new HttpApiError(
          fault.status,
          fault.status === 429 ? 'RESOURCE_EXHAUSTED' : 'TEMPORARILY_UNAVAILABLE',
          fault.status === 429 ? 'Too many requests to Genie. Please retry later. [injected]' : 'Genie is temporarily unavailable. [injected]',
          retry === undefined ? {} : { 'retry-after': String(retry) },
        );
      }
      if (method === 'POST') {
        const admission = controls.admitQuestion(user.upn);
        if (!admission.admitted) {
          controls.count.rateLimited += 1;
          throw new HttpApiError(429, 'RESOURCE_EXHAUSTED', 'The Genie API rate limit for this workspace has been exceeded. Please retry later.', {
            'retry-after': String(admission.retryAfterSeconds),
          });
        }
        controls.count.questions += 1;
      }
      const parts = url.pathname.slice(PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
      await route(req, res, user, parts, url);
    } catch (error) {
      if (error instanceof HttpApiError) sendError(res, error);
      else sendError(res, new HttpApiError(500, 'INTERNAL_ERROR', error instanceof Error ? error.message : String(error)));
    }
    return true;
  }

  return {
    handle,
    controls,
    handleControl: async (req, res, url) =>
      handleTimingControl(state, req, res, url) || (await handleResultsControl(state, req, res, url)) || handleControlRequest(controls, req, res, url),
    serveExternalLink: (req, res, url) => downloads.serveLink(req, res, url),
  };
}
