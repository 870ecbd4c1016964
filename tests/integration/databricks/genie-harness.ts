/**
 * A private Entra + Databricks emulator pair for the Genie tests, so fault injection and rate-limit
 * settings never leak into other workers' tests on the shared stack. Tokens are real: an SSO token
 * from the Entra emulator exchanged on-behalf-of for an Azure Databricks token.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { GenieOptions } from '../../../emulators/databricks/genie';
import type { DatabricksEmulatorInfo } from '../../../emulators/databricks/server';
import type { EngineResult, QueryHistoryEntry } from '../../../emulators/databricks/engine-types';
import type { EntraEmulatorInfo } from '../../../emulators/entra/server';
import { DATABRICKS_RESOURCE_ID } from '../../../emulators/shared/directory';
import { createGenieClient, type GenieClientOptions } from '../../../src/databricks/genie-client';
import { createGenieRateLimiter, type GenieRateLimiter } from '../../support/genie-rate-limiter';
import type { GenieClient } from '../../../src/databricks/types';
import { silentLogger } from '../../../src/logging';

export interface GenieHarness {
  databricks: DatabricksEmulatorInfo;
  /** Runs SQL in the workspace engine as the token's user (row-parity checks). */
  runAs(user: string, sql: string): Promise<EngineResult>;
  history(): Promise<QueryHistoryEntry[]>;
  baseUrl: string;
  spaceId: string;
  tokenFor(user: string): Promise<string>;
  client(user: string, limiter: GenieRateLimiter, overrides?: Partial<GenieClientOptions>): GenieClient;
  control(action: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

async function oboToken(entra: EntraEmulatorInfo, user: string): Promise<string> {
  const sso = await fetch(entra.ssoTokenUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }) });
  const assertion = ((await sso.json()) as { access_token: string }).access_token;
  const response = await fetch(`${entra.authority}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      assertion,
      client_id: entra.botAppId,
      client_secret: entra.clientSecret,
      scope: `${DATABRICKS_RESOURCE_ID}/user_impersonation`,
    }),
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`OBO for ${user} failed: ${body.error ?? response.status}`);
  return body.access_token;
}

interface ChildInfo {
  entra: EntraEmulatorInfo;
  databricks: DatabricksEmulatorInfo;
  helperUrl: string;
}

function startChild(genie: GenieOptions): Promise<{ child: ChildProcess; info: ChildInfo }> {
  const root = resolve(__dirname, '../../..');
  const child = spawn(resolve(root, 'node_modules/.bin/tsx'), [resolve(__dirname, 'genie-emulator-process.ts'), JSON.stringify(genie)], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolvePromise({ child, info: JSON.parse(line) as ChildInfo }));
    child.once('exit', (code) => reject(new Error(`Genie emulator process exited with ${code}`)));
  });
}

export async function startGenieHarness(genie: GenieOptions = {}): Promise<GenieHarness> {
  const { child, info } = await startChild(genie);
  const entra = { info: info.entra };
  const databricks = { info: info.databricks };
  const tokens = new Map<string, string>();
  const tokenFor = async (user: string): Promise<string> => {
    const cached = tokens.get(user);
    if (cached) return cached;
    const token = await oboToken(entra.info, user);
    tokens.set(user, token);
    return token;
  };
  const baseUrl = databricks.info.baseUrl;
  const helper = async (path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${info.helperUrl}${path}`, { method: body ? 'POST' : 'GET', body: body ? JSON.stringify(body) : undefined });
    const json: unknown = await response.json();
    if (!response.ok) throw new Error(`helper ${path}: ${JSON.stringify(json)}`);
    return json;
  };
  return {
    databricks: databricks.info,
    runAs: async (user, sql) => (await helper('/run-as', { token: await tokenFor(user), sql })) as EngineResult,
    history: async () => (await helper('/history')) as QueryHistoryEntry[],
    baseUrl,
    spaceId: databricks.info.genieSpaceId,
    tokenFor,
    client: (user, limiter, overrides = {}) =>
      createGenieClient({
        host: baseUrl,
        spaceId: databricks.info.genieSpaceId,
        getToken: () => tokenFor(user),
        limiter,
        poll: { initialMs: 20, maxMs: 200, timeoutMs: 10_000 },
        logger: silentLogger(),
        ...overrides,
      }),
    async control(action, body) {
      const response = await fetch(`${databricks.info.controlUrl}/genie/${action}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`control ${action} answered ${response.status}`);
      return response.json() as Promise<unknown>;
    },
    stop: async () => {
      const exited = new Promise((done) => child.once('exit', done));
      child.stdin?.end();
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export function generousLimiter(): GenieRateLimiter {
  return createGenieRateLimiter({ postsPerMinute: 10_000 });
}
