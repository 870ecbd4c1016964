/**
 * Spans through `@opentelemetry/api` only: with no SDK registered (no connection string) every call
 * here is the API's no-op, so the bot pays nothing beyond it.
 */
import { randomUUID } from 'node:crypto';
import { type Attributes, type Span, SpanStatusCode, isSpanContextValid, trace } from '@opentelemetry/api';
import { isAppError } from '../errors';
import { ATTR } from './attributes';

export const TRACER_NAME = 'teams-data-agent';

/** An error's kind for telemetry: the AppError code, else the error's class name (never its message). */
function errorTypeOf(error: unknown): string {
  if (isAppError(error)) return error.code;
  return error instanceof Error ? error.name : 'unknown';
}

/**
 * Runs `work` in a new active span (children started inside it, Cosmos and token calls included,
 * nest under it). A failure records the exception (type only survives export: see the redacting
 * processor), `error.type` and an ERROR status, and is rethrown unchanged.
 */
export function traced<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  // Taken per call: the distro replaces the API's proxy provider when it starts (`trace.disable()`),
  // which orphans a tracer taken at import time.
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      const type = errorTypeOf(error);
      span.recordException(error instanceof Error ? error : String(error));
      span.setAttribute(ATTR.errorType, type);
      span.setStatus({ code: SpanStatusCode.ERROR, message: type });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Runs `work`, then reports whether it succeeded (a metric's `outcome` dimension); the result or error passes through. */
export async function withOutcome<T>(work: () => Promise<T>, report: (outcome: 'ok' | 'error') => void): Promise<T> {
  let outcome: 'ok' | 'error' = 'error';
  try {
    const result = await work();
    outcome = 'ok';
    return result;
  } finally {
    report(outcome);
  }
}

/**
 * The correlation id of a turn: the active trace id when telemetry records one (so a log line and the
 * Application Insights operation share it), a random UUID otherwise.
 */
export function correlationIdOfActiveTrace(): string {
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context) ? context.traceId : randomUUID();
}
