import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR } from '../../../src/telemetry/attributes';
import { traceTurn } from '../../../src/telemetry/turn';

describe('the turn span’s activity type', () => {
  const exporter = new InMemorySpanExporter();
  beforeAll(() => trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })));
  afterAll(() => trace.disable());

  it('when an activity has a known type, then the span and the turn metric name it; any other text becomes "other"', async () => {
    await traceTurn('message', 'personal', async () => undefined);
    await traceTurn('message"; DROP TABLE x; --eyJhbGciOi', 'personal', async () => undefined);
    expect(exporter.getFinishedSpans().map((s) => s.attributes[ATTR.activityType])).toEqual(['message', 'other']);
  });
});
