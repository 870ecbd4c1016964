/**
 * Child-process entry for a private Databricks emulator (PGlite cannot load inside jest's VM):
 * serves its own JWKS, starts the emulator, prints one JSON line with the info and the test
 * signing key, and stops on SIGTERM.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import { startDatabricksEmulator } from '../../../emulators/databricks/server';
import { ensureDevCa } from '../../../emulators/shared/dev-ca';
import { DEMO_DIRECTORY, TENANT_ID } from '../../../emulators/shared/directory';

async function main(): Promise<void> {
  const ca = ensureDevCa();
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const jwksServer = createServer({ cert: ca.serverCertPem, key: ca.serverKeyPem }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, 'localhost', () => resolve()));
  const jwksUri = `https://localhost:${(jwksServer.address() as AddressInfo).port}/keys`;
  const issuer = `https://login.test.example/${TENANT_ID}/v2.0`;
  const emulator = await startDatabricksEmulator({
    port: 0,
    tls: { cert: ca.serverCertPem, key: ca.serverKeyPem, caCertPath: ca.caCertPath },
    entra: { jwksUri, issuers: [issuer], tenantId: TENANT_ID, directory: DEMO_DIRECTORY },
  });
  process.stdout.write(`${JSON.stringify({ info: emulator.info, issuer, privateJwk: await exportJWK(privateKey) })}\n`);
  process.on('SIGTERM', () => {
    jwksServer.closeAllConnections();
    jwksServer.close();
    void emulator.stop().finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
