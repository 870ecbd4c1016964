/**
 * Microsoft Graph `checkMemberGroups`, the one Graph call the bot makes. Every failure becomes a
 * `DIRECTORY.*` error with the HTTP status and Graph's error code in its details; nothing here
 * guesses an answer. Wire shapes (learn.microsoft.com/graph/api/user-checkmembergroups,
 * /graph/errors, /graph/throttling):
 * - `POST /v1.0/me/checkMemberGroups` (delegated) or `/v1.0/users/{id}/checkMemberGroups`, body
 *   `{"groupIds": [...]}` (at most 20), answer `200 {"value": [ids of those groups the subject is in]}`;
 * - errors `{"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}}`;
 * - throttling: `429` with `Retry-After` in seconds.
 */
import { randomUUID } from 'node:crypto';
import { AppError, type ErrorCode } from '../errors';

/** Graph evaluates at most 20 group ids per request. */
export const MAX_GROUP_IDS = 20;
const DEFAULT_TIMEOUT_MS = 5_000;
/** The longest `Retry-After` waited for once inside one check (an approval click must answer quickly). */
const DEFAULT_MAX_RETRY_AFTER_MS = 2_000;

export interface GraphClientOptions {
  /** e.g. `https://graph.microsoft.com` (no version segment). */
  baseUrl: string;
  timeoutMs?: number;
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Whose membership: the token's own user (`me`, delegated) or a user by object id (application token). */
export type GraphSubject = { kind: 'me' } | { kind: 'user'; objectId: string };

export interface GraphClient {
  /** The subset of `groupIds` the subject is a member of (transitively), as Graph answers it. */
  checkMemberGroups(token: string, subject: GraphSubject, groupIds: readonly string[]): Promise<string[]>;
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  return {
    async checkMemberGroups(token, subject, groupIds) {
      if (groupIds.length === 0 || groupIds.length > MAX_GROUP_IDS) {
        throw new AppError('INPUT.INVALID', `checkMemberGroups takes 1 to ${MAX_GROUP_IDS} group ids, got ${groupIds.length}`);
      }
      const path = subject.kind === 'me' ? '/v1.0/me/checkMemberGroups' : `/v1.0/users/${encodeURIComponent(subject.objectId)}/checkMemberGroups`;
      const url = `${base}${path}`;
      let response = await post(url, token, groupIds, timeoutMs);
      const wait = retryAfterMs(response);
      if ((response.status === 429 || response.status === 503) && wait !== undefined && wait <= maxRetryAfterMs) {
        await response.body?.cancel();
        await sleep(wait);
        response = await post(url, token, groupIds, timeoutMs);
      }
      return readAnswer(response, url, groupIds);
    },
  };
}

async function post(url: string, token: string, groupIds: readonly string[], timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json', 'client-request-id': randomUUID() },
      body: JSON.stringify({ groupIds }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    throw new AppError('DIRECTORY.UNAVAILABLE', `Microsoft Graph ${timedOut ? `did not answer within ${timeoutMs} ms` : 'could not be reached'}: POST ${url}`, {
      cause: error,
      details: { failure: timedOut ? 'timeout' : 'network' },
    });
  }
}

async function readAnswer(response: Response, url: string, groupIds: readonly string[]): Promise<string[]> {
  const text = await response.text().catch(() => '');
  if (!response.ok) throw graphError(response, url, text);
  let value: unknown;
  try {
    value = (JSON.parse(text) as { value?: unknown }).value;
  } catch (error) {
    throw new AppError('DIRECTORY.BAD_RESPONSE', `Microsoft Graph answered ${response.status} with invalid JSON: POST ${url}`, { cause: error });
  }
  if (!Array.isArray(value) || !value.every((id): id is string => typeof id === 'string')) {
    throw new AppError('DIRECTORY.BAD_RESPONSE', `Microsoft Graph's checkMemberGroups answer has no "value" list of ids: POST ${url}`);
  }
  const asked = new Set(groupIds.map((id) => id.toLowerCase()));
  const unasked = value.filter((id) => !asked.has(id.toLowerCase()));
  if (unasked.length > 0) throw new AppError('DIRECTORY.BAD_RESPONSE', `Microsoft Graph returned group ids that were not asked about: ${unasked.join(', ')}`);
  return value;
}

function graphError(response: Response, url: string, text: string): AppError {
  let graphCode: string | undefined;
  let graphMessage: string | undefined;
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
    graphCode = typeof error?.code === 'string' ? error.code : undefined;
    graphMessage = typeof error?.message === 'string' ? error.message : undefined;
  } catch {
    // Not Graph's error envelope (a proxy's page, say): the status decides.
  }
  const status = response.status;
  const code: ErrorCode = status === 429 ? 'DIRECTORY.THROTTLED' : status >= 500 ? 'DIRECTORY.UNAVAILABLE' : 'DIRECTORY.DENIED';
  const wait = retryAfterMs(response);
  return new AppError(code, `Microsoft Graph answered ${status}${graphCode ? ` ${graphCode}` : ''}: POST ${url}${graphMessage ? ` (${graphMessage})` : ''}`, {
    details: { status, graphCode, retryAfterSeconds: wait === undefined ? undefined : Math.ceil(wait / 1000) },
  });
}

/** `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get('retry-after')?.trim();
  if (!header) return undefined;
  if (/^\d+$/.test(header)) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
