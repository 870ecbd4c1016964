import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { REDACTED, isSafeAttribute, safeAttributes } from './attributes';

/**
 * Runs on every span while it is ending (before it is read-only and before any exporter sees it):
 * attributes outside `ATTR` or with unsafe values become `[redacted]`, event attributes likewise
 * (an exception event keeps its type, not its message or stack), and the status message is dropped.
 * Installed ahead of the Azure Monitor exporter, so it also covers spans other libraries start.
 */
export class RedactingSpanProcessor implements SpanProcessor {
  onStart(_span: Span, _context: Context): void {}

  onEnding(span: Span): void {
    for (const [key, value] of Object.entries(span.attributes)) {
      if (!isSafeAttribute(key, value)) span.setAttribute(key, REDACTED);
    }
    for (const event of span.events as TimedEvent[]) {
      if (event.attributes) event.attributes = safeAttributes(event.attributes);
    }
    if (span.status.message !== undefined) span.setStatus({ code: span.status.code });
  }

  onEnd(_span: ReadableSpan): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
