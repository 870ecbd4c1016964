/**
 * Genie REST calls for the results and feedback clients, with the same rules as `genie-client.ts`:
 * every POST takes a slot from the shared workspace limiter and is retried once after a 429's
 * Retry-After; a GET is retried on transient failures (5xx, network, 429) up to three times. The
 * token is fetched per call (the user's own, through `getToken`) and never kept.
 */
import { type AppError, hasCode } from '../errors';
import type { Logger } from '../logging';
import { genieFetch, normalizeHost, tokenOf, type GenieTransport } from './genie-http';
import type { GenieRateLimiter } from './genie-limiter';
import { type Sleep, timerSleep } from './sleep';

export interface GenieCallOptions {
  host: string;
  getToken: () => Promise<string>;
  limiter: GenieRateLimiter;
  logger: Logger;
  fetchImpl?: typeof fetch;
  sleep?: Sleep;
  requestTimeoutMs?: number;
}

const GET_ATTEMPTS = 3;

function transportOf(options: GenieCallOptions): GenieTransport {
  return { host: normalizeHost(options.host), getToken: options.getToken, fetchImpl: options.fetchImpl ?? fetch, requestTimeoutMs: options.requestTimeoutMs ?? 30_000 };
}

async function limitedPost(options: GenieCallOptions, path: string, body: unknown): Promise<unknown> {
  const transport = transportOf(options);
  const token = await tokenOf(transport);
  const ticket = await options.limiter.acquire(undefined);
  try {
    return await genieFetch(transport, 'POST', path, body, undefined, token);
  } finally {
    ticket.sent();
  }
}

export async function geniePost(options: GenieCallOptions, path: string, body: unknown): Promise<unknown> {
  try {
    return await limitedPost(options, path, body);
  } catch (error) {
    if (!hasCode(error, 'DATABRICKS.RATE_LIMITED') || (error as AppError).details.httpStatus !== 429) throw error;
    const seconds = Number((error as AppError).details.retryAfterSeconds ?? 1);
    options.logger.warn({ retryAfterSeconds: seconds }, 'genie answered 429; retrying once after Retry-After');
    options.limiter.backOff(seconds * 1000);
    return limitedPost(options, path, body);
  }
}

export async function genieGet(options: GenieCallOptions, path: string): Promise<unknown> {
  const sleep = options.sleep ?? timerSleep;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await genieFetch(transportOf(options), 'GET', path, undefined, undefined);
    } catch (error) {
      const transient = hasCode(error, 'DATABRICKS.UNAVAILABLE') || hasCode(error, 'DATABRICKS.RATE_LIMITED');
      if (!transient || attempt >= GET_ATTEMPTS) throw error;
      await sleep(Math.max(Number((error as AppError).details.retryAfterSeconds ?? 0) * 1000, 250 * attempt));
    }
  }
}
