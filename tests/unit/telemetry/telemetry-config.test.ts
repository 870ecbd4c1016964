import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { loadConfig, redactConfig } from '../../../src/config';
import { silentLogger } from '../../../src/logging';
import { startTelemetry } from '../../../src/telemetry/start';
import { correlationIdOfActiveTrace, traced } from '../../../src/telemetry/trace';
import { buildAzureEnv, configProblems } from '../../fixtures/azure-env';

const distroLoaded = jest.fn();
jest.mock('@azure/monitor-opentelemetry', () => {
  distroLoaded();
  return { useAzureMonitor: jest.fn(), shutdownAzureMonitor: jest.fn() };
});

const IKEY = '4f1c2b3a-1111-4222-8333-944455556666';
const VALID = `InstrumentationKey=${IKEY};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/;ApplicationId=0b7e`;

function problemsOf(env: Record<string, string>): string[] {
  return configProblems({ ...buildAzureEnv(), ...env });
}

describe('APPLICATIONINSIGHTS_CONNECTION_STRING', () => {
  it.each([
    ['no key=value pairs', 'just-some-text', /Key=Value pairs/],
    ['no instrumentation key', 'IngestionEndpoint=https://example.in.applicationinsights.azure.com/', /no InstrumentationKey/],
    ['an instrumentation key that is not a GUID', 'InstrumentationKey=abc123', /InstrumentationKey is not a GUID/],
    ['a plain-http ingestion endpoint', `InstrumentationKey=${IKEY};IngestionEndpoint=http://example.com/`, /IngestionEndpoint is not an https/],
    ['an ingestion endpoint that is no URL', `InstrumentationKey=${IKEY};IngestionEndpoint=westeurope`, /IngestionEndpoint is not an https/],
  ])('when it has %s, then start-up fails with one clear problem that does not quote the value', (_case, value, message) => {
    const problems = problemsOf({ APPLICATIONINSIGHTS_CONNECTION_STRING: value });
    expect(problems).toEqual([expect.stringMatching(message)]);
    expect(problems[0]).toMatch(/^APPLICATIONINSIGHTS_CONNECTION_STRING: /);
    expect(problems[0]).not.toContain(value);
  });

  it('when it is well formed, then it is kept for the exporter and redacted wherever the config is logged', () => {
    const config = loadConfig({ env: { ...buildAzureEnv(), APPLICATIONINSIGHTS_CONNECTION_STRING: VALID } });
    expect(config.telemetry.connectionString).toBe(VALID);
    const logged = JSON.stringify(redactConfig(config));
    expect(logged).not.toContain(IKEY);
    expect(redactConfig(config).telemetry).toEqual({ connectionString: '[redacted]' });
  });

  it('when it is unset (local profile too), then telemetry is off and nothing about it is logged as set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'otel-config-'));
    const stack = join(dir, 'stack.json');
    writeFileSync(stack, JSON.stringify({
      tenantId: 't-1', authority: 'https://localhost:47001/t-1', caCertPath: '/tmp/ca.pem', ssoTokenUrl: 'https://localhost:47001/_local/sso-token', botAppId: 'bot-app', clientSecret: 's', appIdUri: 'api://localhost/botid-bot-app',
      entra: { baseUrl: 'https://localhost:47001', controlUrl: 'https://localhost:47001/_control' },
      databricks: { host: 'localhost', port: 47002, httpPath: '/sql/1.0/warehouses/wh', warehouseId: 'wh', genieSpaceId: 'space', controlUrl: 'https://localhost:47002/_control' },
      cosmos: { endpoint: 'https://localhost:47003/', key: 'k' }, graph: { baseUrl: 'https://localhost:47004/', controlUrl: 'https://localhost:47004/_control' },
      tokenCacheKey: Buffer.alloc(32, 1).toString('base64'),
    }));
    const config = loadConfig({ env: { LOCAL_STACK_FILE: stack }, cwd: dir });
    expect(config.telemetry).toEqual({ connectionString: undefined });
    expect(redactConfig(config).telemetry).toEqual({ connectionString: undefined });
  });
});

describe('startTelemetry without a connection string', () => {
  it('when unset, then the distro is never loaded, spans are the API no-op and the correlation id is a random UUID', async () => {
    const telemetry = await startTelemetry({ connectionString: undefined }, silentLogger());
    expect(telemetry.exporting).toBe(false);
    expect(distroLoaded).not.toHaveBeenCalled();
    const seen = await traced('turn', {}, async (span) => ({ recording: span.isRecording(), active: trace.getActiveSpan(), id: correlationIdOfActiveTrace() }));
    expect(seen.recording).toBe(false);
    expect(seen.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await telemetry.shutdown();
  });

  it('when set, then the Azure Monitor distro is started with the redacting processor and no automatic instrumentation', async () => {
    const telemetry = await startTelemetry({ connectionString: VALID }, silentLogger());
    const distro = jest.requireMock<{ useAzureMonitor: jest.Mock }>('@azure/monitor-opentelemetry');
    expect(telemetry.exporting).toBe(true);
    const options = distro.useAzureMonitor.mock.calls[0]![0] as { azureMonitorExporterOptions: { connectionString: string }; spanProcessors: { constructor: { name: string } }[]; instrumentationOptions: Record<string, { enabled: boolean }>; enableLiveMetrics: boolean };
    expect(options.azureMonitorExporterOptions.connectionString).toBe(VALID);
    expect(options.spanProcessors.map((p) => p.constructor.name)).toEqual(['RedactingSpanProcessor']);
    expect(Object.values(options.instrumentationOptions).every((o) => o.enabled === false)).toBe(true);
    expect(options.enableLiveMetrics).toBe(false);
  });
});
