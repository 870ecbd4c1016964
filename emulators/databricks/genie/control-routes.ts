/**
 * `/_control/genie/...`: the HTTP face of GenieControls, for tests and demos on the local stack.
 *   GET  counters                         → GenieCounters plus current latency, rate limit and question arrivals
 *   POST latency      {submittedMs?, askingAiMs?, executingQueryMs?}
 *   POST rate-limit   {postsPerWindow?, windowMs?}
 *   POST fail-messages {count, error?, type?}
 *   POST fail-requests {count, status, retryAfterSeconds?}
 *   POST reset
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpApiError } from '../engine-types';
import type { ControlState } from './controls';
import { readJsonBody, sendError, sendJson } from './wire';

const PREFIX = '/_control/genie/';

function int(body: Record<string, unknown>, key: string, fallback?: number): number {
  const value = body[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new HttpApiError(400, 'INVALID_PARAMETER_VALUE', `Field \`${key}\` must be a non-negative integer.`);
  }
  return value;
}

function optionalInt(body: Record<string, unknown>, key: string): number | undefined {
  return body[key] === undefined ? undefined : int(body, key);
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  return typeof body[key] === 'string' ? body[key] : undefined;
}

export async function handleControlRequest(controls: ControlState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  if (!url.pathname.startsWith(PREFIX)) return false;
  const action = url.pathname.slice(PREFIX.length).replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  try {
    if (action === 'counters' && method === 'GET') {
      sendJson(res, 200, { ...controls.counters(), latency: controls.latency(), rateLimit: controls.rateLimit(), questionArrivals: controls.questionArrivals() });
      return true;
    }
    if (method !== 'POST') throw new HttpApiError(405, 'METHOD_NOT_ALLOWED', `Use POST for ${action}.`);
    const body = await readJsonBody(req);
    switch (action) {
      case 'latency':
        controls.setLatency({
          submittedMs: optionalInt(body, 'submittedMs'),
          askingAiMs: optionalInt(body, 'askingAiMs'),
          executingQueryMs: optionalInt(body, 'executingQueryMs'),
        });
        break;
      case 'rate-limit':
        controls.setRateLimit({ postsPerWindow: optionalInt(body, 'postsPerWindow'), windowMs: optionalInt(body, 'windowMs') });
        break;
      case 'fail-messages':
        controls.failNextMessages(int(body, 'count', 1), { error: optionalString(body, 'error'), type: optionalString(body, 'type') });
        break;
      case 'fail-requests':
        controls.failNextRequests(int(body, 'count', 1), int(body, 'status', 503), optionalInt(body, 'retryAfterSeconds'));
        break;
      case 'reset':
        controls.reset();
        break;
      default:
        throw new HttpApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Unknown Genie control ${action}.`);
    }
    sendJson(res, 200, { ok: true });
  } catch (error) {
    sendError(res, error instanceof HttpApiError ? error : new HttpApiError(500, 'INTERNAL_ERROR', String(error)));
  }
  return true;
}
