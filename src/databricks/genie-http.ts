/**
 * One authenticated HTTPS call to the Genie REST API, with a per-request timeout, and every failure
 * mapped to an AppError here: HTTP errors through `errors.ts`, Genie-specific cases on top
 * (404 on a conversation → GENIE_FAILED, 429 → RATE_LIMITED with details.retryAfterSeconds).
 * The token is fetched per call and never kept.
 */
import { AppError, isAppError } from '../errors';
import { fromRestFailure, fromSqlFailure, mapDatabricksError, parseDatabricksMessage } from './errors';

export interface GenieTransport {
  host: string;
  getToken: () => Promise<string>;
  fetchImpl: typeof fetch;
  requestTimeoutMs: number;
}

export function normalizeHost(host: string): string {
  const withScheme = /^https?:\/\//i.test(host) ? host : `https://${host}`;
  return withScheme.replace(/\/+$/, '');
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date); undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.max(0, Math.ceil(Number(header)));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function errorFromResponse(status: number, body: unknown, retryAfter: number | undefined, path: string): AppError {
  if (status === 429) {
    return new AppError('DATABRICKS.RATE_LIMITED', `Genie rate limit hit on ${path}`, {
      details: { httpStatus: 429, retryAfterSeconds: retryAfter ?? 60 },
    });
  }
  const mapped = fromRestFailure(status, body);
  if (status === 404 || (status === 400 && mapped.code === 'DATABRICKS.QUERY_FAILED')) {
    return new AppError('DATABRICKS.GENIE_FAILED', mapped.message, { cause: mapped, details: { ...mapped.details, path } });
  }
  return mapped;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { message: text.slice(0, 500) };
  }
}

/** The caller's Databricks token; a failure that is not already an AppError becomes UNAUTHENTICATED. */
export async function tokenOf(transport: GenieTransport): Promise<string> {
  try {
    return await transport.getToken();
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError('DATABRICKS.UNAUTHENTICATED', 'Could not get a Databricks token for Genie.', { cause: error });
  }
}

/** `token` may be fetched beforehand (POSTs take it before queueing, so a slow OBO does not hold a slot). */
export async function genieFetch(
  transport: GenieTransport,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body: unknown,
  signal: AbortSignal | undefined,
  presetToken?: string,
): Promise<unknown> {
  signal?.throwIfAborted();
  const token = presetToken ?? (await tokenOf(transport));
  const timeout = AbortSignal.timeout(transport.requestTimeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await transport.fetchImpl(`${transport.host}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: combined,
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (timeout.aborted) {
      throw new AppError('DATABRICKS.TIMEOUT', `Genie did not answer ${method} ${path} within ${transport.requestTimeoutMs} ms.`, { cause: error });
    }
    const mapped = mapDatabricksError(error);
    throw mapped.code === 'DATABRICKS.QUERY_FAILED' ? new AppError('DATABRICKS.UNAVAILABLE', mapped.message, { cause: error }) : mapped;
  }
  const parsed = await readBody(response);
  if (!response.ok) throw errorFromResponse(response.status, parsed, retryAfterSeconds(response.headers.get('retry-after')), path);
  return parsed;
}

/** The securable a Databricks message names: `on Table 'a.b.c'` or `` `a`.`b`.`c` ``. */
export function namedObject(text: string): string | undefined {
  const quoted = /\bon\s+(?:table|view|schema|catalog|function|volume)\s+'([^']+)'/i.exec(text)?.[1];
  const ticked = /((?:`[^`]+`\.){1,2}`[^`]+`)/.exec(text)?.[1]?.replace(/`/g, '');
  return quoted ?? ticked;
}

/** A FAILED message: SQL failures keep their Databricks code (e.g. PERMISSION_DENIED with the object), others GENIE_FAILED. */
export function messageFailure(
  error: { error?: string; type?: string } | null | undefined,
  ids: { conversationId: string; messageId: string },
): AppError {
  const text = error?.error ?? 'Genie reported that the message failed.';
  const facts = parseDatabricksMessage(text);
  if (facts.errorClass || facts.sqlState) {
    const mapped = fromSqlFailure(facts.sqlState, text);
    if (mapped.code !== 'DATABRICKS.QUERY_FAILED') {
      const object = namedObject(text) ?? mapped.details.object;
      return new AppError(mapped.code, text, { details: { ...mapped.details, object, errorType: error?.type, ...ids } });
    }
  }
  return new AppError('DATABRICKS.GENIE_FAILED', text, { details: { errorType: error?.type, ...ids } });
}
