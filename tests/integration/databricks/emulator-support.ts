/**
 * A private Databricks emulator for tests that change its state (stopped warehouse, injected 5xx,
 * latency, data) or need tokens the Entra emulator would never issue (expired, wrong audience,
 * unsigned): a local RS256 key, its JWKS served over HTTPS, and a token minter.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import { startDatabricksEmulator, type RunningDatabricksEmulator } from '../../../emulators/databricks/server';
import { ensureDevCa } from '../../../emulators/shared/dev-ca';
import { DATABRICKS_RESOURCE_ID, DEMO_DIRECTORY, TENANT_ID, findUser } from '../../../emulators/shared/directory';

export interface PrivateDatabricks {
  emulator: RunningDatabricksEmulator;
  issuer: string;
  /** A Databricks-audience token for `user` (short name), signed by the trusted key unless overridden. */
  token(user: string, claims?: JWTPayload, options?: { key?: KeyLike; kid?: string }): Promise<string>;
  control(path: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startPrivateDatabricks(): Promise<PrivateDatabricks> {
  const ca = ensureDevCa();
  const { privateKey, publicKey } = await generateKeyPair('RS256');
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

  return {
    emulator,
    issuer,
    async token(user, claims = {}, options = {}) {
      const person = findUser(DEMO_DIRECTORY, user);
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        aud: DATABRICKS_RESOURCE_ID, iss: issuer, tid: TENANT_ID, upn: person?.upn ?? user, oid: person?.objectId,
        scp: 'user_impersonation', iat: now, nbf: now, exp: now + 3600, ...claims,
      })
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'test-key', typ: 'JWT' })
        .sign(options.key ?? privateKey);
    },
    async control(path, body) {
      const response = await fetch(`${emulator.info.controlUrl}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return response.json();
    },
    async stop() {
      await emulator.stop();
      jwksServer.closeAllConnections();
      await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
    },
  };
}
