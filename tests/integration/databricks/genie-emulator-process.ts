/**
 * Child process for the Genie tests: a private Entra + Databricks emulator pair (run under tsx, so
 * PGlite and thrift load as in production rather than inside jest's module sandbox). Prints one JSON
 * line with the endpoints, then serves a loopback helper to run SQL as a user (row-parity checks).
 * Argument: the Genie options as JSON.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDatabricksEmulator } from '../../../emulators/databricks/server';
import { startEntraEmulator } from '../../../emulators/entra/server';
import { ensureDevCa } from '../../../emulators/shared/dev-ca';

async function main(): Promise<void> {
  const genie = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
  const ca = ensureDevCa();
  const tls = { cert: ca.serverCertPem, key: ca.serverKeyPem, caCertPath: ca.caCertPath };
  const entra = await startEntraEmulator({ port: 0, tls });
  const databricks = await startDatabricksEmulator({
    port: 0,
    tls,
    entra: { jwksUri: entra.info.jwksUri, issuers: entra.info.issuers, tenantId: entra.info.tenantId, directory: entra.info.directory },
    genie,
  });
  const helper = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        try {
          if (req.url === '/history') {
            res.end(JSON.stringify(databricks.engine.history()));
            return;
          }
          const { token, sql } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { token: string; sql: string };
          const user = await databricks.engine.authenticate(`Bearer ${token}`);
          res.end(JSON.stringify(await databricks.engine.runAs(user, sql)));
        } catch (error) {
          res.statusCode = 500;
          res.end(JSON.stringify({ error: String(error) }));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => helper.listen(0, '127.0.0.1', resolve));
  const stop = async (): Promise<void> => {
    helper.close();
    await Promise.allSettled([databricks.stop(), entra.stop()]);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.resume();
  process.stdout.write(
    `${JSON.stringify({ entra: entra.info, databricks: databricks.info, helperUrl: `http://127.0.0.1:${(helper.address() as AddressInfo).port}` })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
