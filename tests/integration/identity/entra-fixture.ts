import { randomBytes } from 'node:crypto';
import { DATABRICKS_SCOPE, GRAPH_MEMBERSHIP_SCOPE, type Config } from '../../../src/config';
import { createIdentityService } from '../../../src/identity';
import type { IdentityService, TokenCacheStore } from '../../../src/identity/ports';
import { silentLogger } from '../../../src/logging';
import { type EntraControlClient, entraControlClient } from '../../../emulators/entra/control-client';
import { type EntraEmulatorInfo, type EntraEmulatorOptions, startEntraEmulator } from '../../../emulators/entra/server';
import { ensureDevCa } from '../../../emulators/shared/dev-ca';
import type { RunningEmulator } from '../../../emulators/shared/types';

/** One Entra emulator per test file: counters and faults stay private to the file. */
export interface EntraFixture {
  emulator: RunningEmulator<EntraEmulatorInfo>;
  control: EntraControlClient;
  identityConfig: Config['identity'];
  encryptionKey: string;
  newService(store: TokenCacheStore, overrides?: Partial<Config['identity']>): IdentityService;
}

export async function startEntraFixture(options: Omit<EntraEmulatorOptions, 'tls'> = {}): Promise<EntraFixture> {
  const ca = ensureDevCa();
  const emulator = await startEntraEmulator({ ...options, tls: { cert: ca.serverCertPem, key: ca.serverKeyPem, caCertPath: ca.caCertPath } });
  const info = emulator.info;
  const identityConfig: Config['identity'] = {
    tenantId: info.tenantId,
    authority: info.authority,
    knownAuthorities: [new URL(info.authority).host],
    clientId: info.botAppId,
    clientSecret: info.clientSecret,
    appIdUri: info.appIdUri,
    allowedTenantIds: [info.tenantId],
    databricksScope: DATABRICKS_SCOPE,
    graphScope: GRAPH_MEMBERSHIP_SCOPE,
    signInLink: 'http://localhost:3978/auth-start.html',
  };
  const encryptionKey = randomBytes(32).toString('base64');
  return {
    emulator,
    control: entraControlClient(info),
    identityConfig,
    encryptionKey,
    newService: (store, overrides = {}) =>
      createIdentityService({ config: { ...identityConfig, ...overrides }, cacheStore: store, encryptionKey, logger: silentLogger() }),
  };
}

export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}
