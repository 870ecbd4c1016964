import { SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR, REDACTED } from '../../../src/telemetry/attributes';
import { RedactingSpanProcessor } from '../../../src/telemetry/redacting-processor';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJhbGljZSJ9.c2lnbmF0dXJl';
const SQL = "UPDATE main.retail.orders SET status = 'shipped' WHERE order_id = 1";

function recorded(build: (span: import('@opentelemetry/api').Span) => void): import('@opentelemetry/sdk-trace-base').ReadableSpan {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new RedactingSpanProcessor(), new SimpleSpanProcessor(exporter)] });
  const span = provider.getTracer('test').startSpan('s');
  build(span);
  span.end();
  return exporter.getFinishedSpans()[0]!;
}

describe('RedactingSpanProcessor (ahead of every exporter)', () => {
  it('when a span carries an attribute outside the allow-list, then its value is replaced before export', () => {
    const span = recorded((s) => s.setAttributes({ 'http.request.header.authorization': `Bearer ${JWT}`, 'db.query.text': SQL }));
    expect(span.attributes).toEqual({ 'http.request.header.authorization': REDACTED, 'db.query.text': REDACTED });
  });

  it('when an allow-listed attribute holds text that is not a short code, then that value is replaced too', () => {
    const span = recorded((s) => s.setAttributes({ [ATTR.genieStatus]: JWT, [ATTR.errorType]: SQL, [ATTR.rowsChanged]: 50, [ATTR.approvalOutcome]: 'executed' }));
    expect(span.attributes).toEqual({ [ATTR.genieStatus]: REDACTED, [ATTR.errorType]: REDACTED, [ATTR.rowsChanged]: 50, [ATTR.approvalOutcome]: 'executed' });
  });

  it('when an exception is recorded, then its type survives and its message, stack and the status message do not', () => {
    const error = new TypeError(`invalid input syntax for type integer: "shipped" in ${SQL}`);
    const span = recorded((s) => {
      s.recordException(error);
      s.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    });
    expect(span.events[0]!.attributes).toEqual({ 'exception.type': 'TypeError', 'exception.message': REDACTED, 'exception.stacktrace': REDACTED });
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR });
  });
});
