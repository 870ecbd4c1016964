/**
 * A private Databricks emulator for tests that change its state (stopped warehouse, injected 5xx,
 * latency, data) or need tokens the Entra emulator would never issue (expired, wrong audience,
 * unsigned). It runs in a child process (PGlite cannot load inside jest's VM) with its own JWKS;
 * the test signs tokens with the key the child hands back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { importJWK, SignJWT, type JWK, type JWTPayload, type KeyLike } from 'jose';
import type { DatabricksEmulatorInfo } from '../../../emulators/databricks/server';
import { DATABRICKS_RESOURCE_ID, DEMO_DIRECTORY, TENANT_ID, findUser } from '../../../emulators/shared/directory';

export interface PrivateDatabricks {
  info: DatabricksEmulatorInfo;
  issuer: string;
  /** A Databricks-audience token for `user` (short name), signed by the trusted key unless overridden. */
  token(user: string, claims?: JWTPayload, options?: { key?: KeyLike | Uint8Array; kid?: string; alg?: string }): Promise<string>;
  control(path: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

const ROOT = resolve(__dirname, '../../..');

function waitForLine(child: ChildProcess): Promise<string> {
  return new Promise((resolveLine, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolveLine(line));
    child.once('exit', (code) => reject(new Error(`private emulator exited with ${code}: ${stderr}`)));
  });
}

export async function startPrivateDatabricks(): Promise<PrivateDatabricks> {
  const child = spawn(resolve(ROOT, 'node_modules/.bin/tsx'), [resolve(__dirname, 'emulator-private-main.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
  });
  const started = JSON.parse(await waitForLine(child)) as { info: DatabricksEmulatorInfo; issuer: string; privateJwk: JWK };
  const signingKey = await importJWK(started.privateJwk, 'RS256');
  const { info, issuer } = started;

  return {
    info,
    issuer,
    async token(user, claims = {}, options = {}) {
      const person = findUser(DEMO_DIRECTORY, user);
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        aud: DATABRICKS_RESOURCE_ID, iss: issuer, tid: TENANT_ID, upn: person?.upn ?? user, oid: person?.objectId,
        scp: 'user_impersonation', iat: now, nbf: now, exp: now + 3600, ...claims,
      })
        .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? 'test-key', typ: 'JWT' })
        .sign(options.key ?? signingKey);
    },
    async control(path, body) {
      const response = await fetch(`${info.controlUrl}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return response.json();
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
