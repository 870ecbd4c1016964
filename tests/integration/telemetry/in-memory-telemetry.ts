/**
 * The OpenTelemetry pipeline of production minus the Azure Monitor exporter: the bot's span
 * processors (`telemetrySpanProcessors()`, the redacting one first) ahead of an in-memory exporter,
 * async-hooks context propagation (as the distro's NodeSDK sets up), and an in-memory metric reader.
 */
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { telemetrySpanProcessors } from '../../../src/telemetry/start';

export interface InMemoryTelemetry {
  spans(): ReadableSpan[];
  metrics(): Promise<ResourceMetrics[]>;
  reset(): void;
  stop(): Promise<void>;
}

export function installInMemoryTelemetry(processors: SpanProcessor[] = telemetrySpanProcessors()): InMemoryTelemetry {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [...processors, new SimpleSpanProcessor(spanExporter)] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(tracerProvider);
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    spans: () => spanExporter.getFinishedSpans(),
    metrics: async () => {
      await reader.forceFlush();
      return metricExporter.getMetrics();
    },
    reset: () => {
      spanExporter.reset();
      metricExporter.reset();
    },
    stop: async () => {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
      trace.disable();
      metrics.disable();
      context.disable();
    },
  };
}
