/** Reads recorded spans for the telemetry tests: trees, traces and every string they would export. */
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

export const JWT = /eyJ[\w-]{8,}\.[\w-]{8,}\./;

export function attr(span: ReadableSpan, key: string): unknown {
  return span.attributes[key];
}

export function inTrace(spans: ReadableSpan[], traceId: string): ReadableSpan[] {
  return spans.filter((s) => s.spanContext().traceId === traceId);
}

/** True when `ancestor` is on `span`'s parent chain. */
export function descendsFrom(spans: ReadableSpan[], span: ReadableSpan, ancestor: ReadableSpan): boolean {
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  let parentId = span.parentSpanContext?.spanId;
  while (parentId) {
    if (parentId === ancestor.spanContext().spanId) return true;
    parentId = byId.get(parentId)?.parentSpanContext?.spanId;
  }
  return false;
}

/** Every string a span would carry to the exporter: its name, attribute values, events and status message. */
export function exportedStrings(span: ReadableSpan): { where: string; value: string }[] {
  const out: { where: string; value: string }[] = [{ where: `${span.name} (name)`, value: span.name }];
  for (const [key, value] of Object.entries(span.attributes)) out.push({ where: `${span.name} ${key}`, value: JSON.stringify(value) });
  for (const event of span.events) {
    out.push({ where: `${span.name} event`, value: event.name });
    for (const [key, value] of Object.entries(event.attributes ?? {})) out.push({ where: `${span.name} event ${event.name} ${key}`, value: JSON.stringify(value) });
  }
  if (span.status.message) out.push({ where: `${span.name} status`, value: span.status.message });
  return out;
}

/** Where any of `secrets` (or a JWT) occurs in what the spans export. */
export function leaks(spans: ReadableSpan[], secrets: string[]): string[] {
  const found: string[] = [];
  for (const span of spans) {
    for (const { where, value } of exportedStrings(span)) {
      if (JWT.test(value)) found.push(`${where}: a JWT`);
      for (const secret of secrets) if (value.includes(secret)) found.push(`${where}: contains ${JSON.stringify(secret.slice(0, 40))}`);
    }
  }
  return found;
}

/** Cell texts of the table rows (header row excluded) in an Adaptive Card, as shown and without digit grouping. */
export function rowValues(card: unknown): string[] {
  const values = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const element = node as { type?: unknown; rows?: unknown; firstRowAsHeader?: unknown };
    if (element.type === 'Table' && Array.isArray(element.rows)) {
      const rows = element.firstRowAsHeader === false ? element.rows : element.rows.slice(1);
      for (const text of textsOf(rows)) {
        values.add(text);
        values.add(text.replace(/,/g, ''));
      }
      return;
    }
    Object.values(node).forEach(walk);
  };
  walk(card);
  return [...values].filter((v) => v.length >= 3);
}

function textsOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(textsOf);
  if (typeof node !== 'object' || node === null) return [];
  const element = node as { type?: unknown; text?: unknown };
  if (element.type === 'TextBlock' && typeof element.text === 'string') return [element.text];
  return Object.values(node).flatMap(textsOf);
}
