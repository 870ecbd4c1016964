/**
 * Genie's own service time, for the bench (local only, like every `/_control` route):
 *   GET /_control/genie/timings?since=<epoch ms> → [{messageId, status, createdAt, finishedAt}]
 * for the messages created at or after `since`: when the emulator accepted the question and when it
 * reached its last status (COMPLETED / FAILED), both from the emulator's clock. A client's turn time
 * minus `finishedAt - createdAt` is what the client added (its polling included).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpApiError } from '../engine-types';
import type { GenieState, MessageStatus } from './state';
import { sendError, sendJson } from './wire';

const FINISHED: ReadonlySet<MessageStatus> = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

export interface GenieMessageTiming {
  messageId: string;
  status: MessageStatus;
  createdAt: number;
  /** When the message reached a final status; absent while it is still running. */
  finishedAt?: number;
}

export function handleTimingControl(state: GenieState, req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  if (url.pathname.replace(/\/+$/, '') !== '/_control/genie/timings' || req.method !== 'GET') return false;
  const since = Number(url.searchParams.get('since') ?? '0');
  if (!Number.isFinite(since) || since < 0) {
    sendError(res, new HttpApiError(400, 'INVALID_PARAMETER_VALUE', '`since` must be a non-negative epoch time in milliseconds.'));
    return true;
  }
  const timings: GenieMessageTiming[] = state
    .allMessages()
    .filter((m) => m.createdAt >= since)
    .sort((a, b) => a.createdAt - b.createdAt)
    .map((m) => ({ messageId: m.messageId, status: m.status, createdAt: m.createdAt, ...(FINISHED.has(m.status) ? { finishedAt: m.updatedAt } : {}) }));
  sendJson(res, 200, timings);
  return true;
}
