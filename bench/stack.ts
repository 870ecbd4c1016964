import { randomBytes } from 'node:crypto';
import { startCosmosEmulator } from '../emulators/cosmos/server';
import { startDatabricksEmulator } from '../emulators/databricks/server';
import { startEntraEmulator } from '../emulators/entra/server';
import { ensureDevCa } from '../emulators/shared/dev-ca';
import { DEMO_DIRECTORY, type Directory, type DirectoryUser } from '../emulators/shared/directory';
import type { LocalStack } from '../src/config/local-stack';
import { type CosmosCountingProxy, startCosmosProxy } from './cosmos-proxy';

/**
 * The emulator stack as `emulators/stack.ts` builds it, with two bench-only additions: generated
 * directory users (`bench0001`…, so B6 can sign in 1,000 distinct people) and a counting proxy in
 * front of Cosmos DB whose endpoint is the one the bots are given.
 */
export interface BenchStack {
  stack: LocalStack;
  cosmos: CosmosCountingProxy;
  generatedUsers: DirectoryUser[];
  stop(): Promise<void>;
}

export function generatedUsers(count: number): DirectoryUser[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    const hex = (i + 1).toString(16).padStart(12, '0');
    return {
      shortName: `bench${n}`,
      objectId: `be7c0000-0000-4000-8000-${hex}`,
      upn: `bench${n}@contoso.example`,
      displayName: `Bench User ${n}`,
      groups: [],
      consented: true,
      summary: 'generated benchmark user (memory benchmark only)',
    };
  });
}

export async function startBenchStack(options: { generatedUsers: number }): Promise<BenchStack> {
  const ca = ensureDevCa();
  const tls = { cert: ca.serverCertPem, key: ca.serverKeyPem, caCertPath: ca.caCertPath };
  const extra = generatedUsers(options.generatedUsers);
  const directory: Directory = { ...DEMO_DIRECTORY, users: [...DEMO_DIRECTORY.users, ...extra] };
  const entra = await startEntraEmulator({ port: 0, tls, directory });
  const databricks = await startDatabricksEmulator({
    port: 0,
    tls,
    entra: { jwksUri: entra.info.jwksUri, issuers: entra.info.issuers, tenantId: entra.info.tenantId, directory: entra.info.directory },
  });
  const cosmosEmulator = await startCosmosEmulator({ port: 0, tls });
  const cosmos = await startCosmosProxy(cosmosEmulator.info.endpoint, tls);
  const stack: LocalStack = {
    tenantId: entra.info.tenantId,
    authority: entra.info.authority,
    caCertPath: ca.caCertPath,
    ssoTokenUrl: entra.info.ssoTokenUrl,
    botAppId: entra.info.botAppId,
    clientSecret: entra.info.clientSecret,
    appIdUri: entra.info.appIdUri,
    entra: { baseUrl: entra.info.baseUrl, controlUrl: entra.info.controlUrl },
    databricks: {
      host: databricks.info.host,
      port: databricks.info.port,
      httpPath: databricks.info.httpPath,
      warehouseId: databricks.info.warehouseId,
      genieSpaceId: databricks.info.genieSpaceId,
      controlUrl: databricks.info.controlUrl,
    },
    cosmos: { endpoint: cosmos.endpoint, key: cosmosEmulator.info.key },
    tokenCacheKey: randomBytes(32).toString('base64'),
    approversGroupId: entra.info.approversGroupId,
  };
  return {
    stack,
    cosmos,
    generatedUsers: extra,
    stop: async () => {
      await cosmos.stop();
      await Promise.allSettled([cosmosEmulator.stop(), databricks.stop(), entra.stop()]);
    },
  };
}
