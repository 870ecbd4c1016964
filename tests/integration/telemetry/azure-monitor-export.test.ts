/**
 * The production export path: `startTelemetry` with a connection string whose IngestionEndpoint is a
 * local HTTPS sink (dev CA), the real @azure/monitor-opentelemetry distro and exporter, and what
 * reaches the wire (`/v2.1/track` envelopes) read back.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { silentLogger } from '../../../src/logging';
import { ATTR } from '../../../src/telemetry/attributes';
import { startTelemetry } from '../../../src/telemetry/start';
import { traced } from '../../../src/telemetry/trace';

jest.setTimeout(60_000);

const CA_DIR = join(__dirname, '../../../.local/dev-ca');
const SQL = "UPDATE main.retail.orders SET quantity = CAST(status AS INT) WHERE order_id = 100401";
const ROW_VALUE = 'shipped';

interface Envelope { name: string; tags: Record<string, string>; data: { baseType: string; baseData: { name?: string; properties?: Record<string, string> } } }

describe('export to Application Insights through the Azure Monitor distro (local ingestion sink)', () => {
  let server: Server;
  const bodies: string[] = [];

  beforeAll(async () => {
    process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED = 'true';
    // The exporter (1.x) starts its long-interval statsbeat unless the legacy variable is set
    // (export/base.js: trackStatsbeat = !process.env.APPLICATION_INSIGHTS_NO_STATSBEAT); its 15 s timer
    // outlives shutdown and would fire in whatever test file this worker runs next.
    process.env.APPLICATION_INSIGHTS_NO_STATSBEAT = 'true';
    server = createServer({ key: readFileSync(join(CA_DIR, 'server-key.pem')), cert: readFileSync(join(CA_DIR, 'server.pem')) }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        bodies.push((req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('when spans end, then the envelopes carry the operation id = correlation id, the counts, and no SQL text or row value', async () => {
    const port = (server.address() as AddressInfo).port;
    const telemetry = await startTelemetry({ connectionString: `InstrumentationKey=4f1c2b3a-1111-4222-8333-944455556666;IngestionEndpoint=https://localhost:${port}/` }, silentLogger());
    expect(telemetry.exporting).toBe(true);
    let traceId = '';
    await traced('approval.decide', { [ATTR.approvalDecision]: 'approve' }, async (decide) => {
      traceId = decide.spanContext().traceId;
      await traced('approval.execute', {}, async (span) => {
        span.setAttribute(ATTR.rowsChanged, 50);
        // What a careless instrumentation would add; the redacting processor must stop it.
        span.setAttribute('db.query.text', SQL);
      });
      await traced('databricks.sql', { [ATTR.sqlOperation]: 'execute' }, async () => {
        throw new Error(`[DATATYPE_MISMATCH] invalid input syntax for type integer: "${ROW_VALUE}" SQLSTATE: 42K09`);
      }).catch(() => undefined);
    });
    await telemetry.shutdown();

    const envelopes = bodies.flatMap((b) => JSON.parse(b) as Envelope[]);
    const dependencies = envelopes.filter((e) => e.data.baseType === 'RemoteDependencyData');
    expect(dependencies.map((e) => e.data.baseData.name).sort()).toEqual(['approval.decide', 'approval.execute', 'databricks.sql']);
    expect(new Set(dependencies.map((e) => e.tags['ai.operation.id']))).toEqual(new Set([traceId]));
    expect(dependencies.find((e) => e.data.baseData.name === 'approval.execute')!.data.baseData.properties).toMatchObject({ [ATTR.rowsChanged]: '50', 'db.query.text': '[redacted]' });
    expect(envelopes.some((e) => e.data.baseType === 'ExceptionData')).toBe(true);
    const wire = bodies.join('\n');
    expect(wire).not.toContain(ROW_VALUE);
    expect(wire).not.toContain('CAST(status');
  });
});
