/**
 * Starts the OpenTelemetry SDK with the Azure Monitor exporter when (and only when) a connection
 * string is configured. Unset, nothing is loaded: the API's no-op tracer and meter stay in place.
 *
 * Only the bot's own spans are exported (`src/telemetry/*`), each through the redacting processor.
 * The distro's automatic instrumentations (HTTP, Azure SDK, databases, loggers) and live metrics stay
 * off: they would carry URLs with ids, headers and exception messages that no filter here reviewed.
 */
import type { Config } from '../config';
import type { Logger } from '../logging';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { RedactingSpanProcessor } from './redacting-processor';

export interface Telemetry {
  /** True when spans and metrics are exported. */
  readonly exporting: boolean;
  /** Flushes what is buffered and stops the SDK (shutdown). */
  shutdown(): Promise<void>;
}

const OFF = { enabled: false } as const;

/** The processors every exported span passes first (the tests' in-memory pipeline uses the same list). */
export function telemetrySpanProcessors(): SpanProcessor[] {
  return [new RedactingSpanProcessor()];
}

const NO_TELEMETRY: Telemetry = { exporting: false, shutdown: async () => undefined };

export async function startTelemetry(config: Config['telemetry'], logger: Logger): Promise<Telemetry> {
  if (config.connectionString === undefined) return NO_TELEMETRY;
  const { useAzureMonitor, shutdownAzureMonitor } = await import('@azure/monitor-opentelemetry');
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString: config.connectionString },
    enableLiveMetrics: false,
    // Every trace, not the distro's default of 5 per second: a sampled-out turn would have no spans to
    // find by the correlation id its log lines carry. Metrics are never sampled.
    tracesPerSecond: 0,
    samplingRatio: 1,
    instrumentationOptions: { http: OFF, azureSdk: OFF, mongoDb: OFF, mySql: OFF, postgreSql: OFF, redis: OFF, redis4: OFF, bunyan: OFF, winston: OFF },
    spanProcessors: telemetrySpanProcessors(),
  });
  logger.info('telemetry: exporting spans and metrics to Application Insights');
  return {
    exporting: true,
    shutdown: async () => {
      try {
        await shutdownAzureMonitor();
      } catch (error) {
        logger.warn({ err: error }, 'telemetry: flushing at shutdown failed');
      }
    },
  };
}
