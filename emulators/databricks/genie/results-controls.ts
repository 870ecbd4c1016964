/**
 * Test controls over stored Genie messages (local only, like every `/_control` route):
 *   POST /_control/genie/expire   {messageId}  → its query results expire, as Genie's do after a while:
 *        the message reads QUERY_RESULT_EXPIRED and its results are gone until `execute-query`
 *   GET  /_control/genie/feedback              → [{messageId, rating, comment?}] as Genie recorded them
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpApiError } from '../engine-types';
import { queriesOf, type GenieState } from './state';
import { readJsonBody, sendError, sendJson } from './wire';

export async function handleResultsControl(state: GenieState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const action = url.pathname.replace(/^\/_control\/genie\//, '').replace(/\/+$/, '');
  try {
    if (action === 'feedback' && req.method === 'GET') {
      const records = state.allMessages().flatMap((m) => (m.feedback ? [{ messageId: m.messageId, ...m.feedback }] : []));
      sendJson(res, 200, records);
      return true;
    }
    if (action === 'expire' && req.method === 'POST') {
      const messageId = (await readJsonBody(req)).messageId;
      const message = state.allMessages().find((m) => m.messageId === messageId);
      if (!message) throw new HttpApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Message ${String(messageId)} does not exist.`);
      const queries = queriesOf(message);
      if (queries.length === 0) throw new HttpApiError(400, 'INVALID_PARAMETER_VALUE', 'The message has no query result to expire.');
      for (const query of queries) {
        query.expired = true;
        query.result = undefined;
      }
      state.setStatus(message, 'QUERY_RESULT_EXPIRED');
      sendJson(res, 200, { ok: true, expired: queries.length });
      return true;
    }
  } catch (error) {
    sendError(res, error instanceof HttpApiError ? error : new HttpApiError(500, 'INTERNAL_ERROR', String(error)));
    return true;
  }
  return false;
}
