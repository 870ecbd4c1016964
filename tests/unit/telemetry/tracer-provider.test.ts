import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { traced } from '../../../src/telemetry/trace';

describe('traced() and the global tracer provider', () => {
  afterAll(() => trace.disable());

  it('when the SDK starts after the first span (the distro resets the API proxy on start), then later spans are recorded', async () => {
    await traced('before', {}, async (span) => expect(span.isRecording()).toBe(false));
    // What useAzureMonitor does: the API's proxy provider is replaced, then the SDK's provider is set.
    trace.disable();
    const exporter = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    await traced('after', {}, async (span) => expect(span.isRecording()).toBe(true));
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['after']);
  });
});
