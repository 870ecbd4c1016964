import { randomBytes } from 'node:crypto';
import type { LocalStack } from '../src/config/local-stack';
import { startCosmosEmulator } from './cosmos/server';
import { startDatabricksEmulator } from './databricks/server';
import type { GenieOptions } from './databricks/genie';
import { startEntraEmulator } from './entra/server';
import { startGraphEmulator } from './graph/server';
import { startOpenAiEmulator } from './openai/server';
import { ensureDevCa } from './shared/dev-ca';
import type { Directory } from './shared/directory';

export interface StackPorts {
  entra: number;
  databricks: number;
  cosmos: number;
  graph: number;
  openai: number;
}

export const DEFAULT_PORTS: StackPorts = { entra: 47001, databricks: 47002, cosmos: 47003, graph: 47004, openai: 47005 };

export interface RunningStack {
  stack: LocalStack;
  stop(): Promise<void>;
}

/** Starts the five emulators in this process, wired to each other, on the given ports (0 = any). */
export async function startStack(options: { ports?: Partial<StackPorts>; caDir?: string; genie?: GenieOptions; directory?: Directory } = {}): Promise<RunningStack> {
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  const ca = ensureDevCa(options.caDir);
  const tls = { cert: ca.serverCertPem, key: ca.serverKeyPem, caCertPath: ca.caCertPath };
  const entra = await startEntraEmulator({ port: ports.entra, tls, directory: options.directory });
  const databricks = await startDatabricksEmulator({
    port: ports.databricks,
    tls,
    entra: { jwksUri: entra.info.jwksUri, issuers: entra.info.issuers, tenantId: entra.info.tenantId, directory: entra.info.directory },
    genie: options.genie,
  });
  const cosmos = await startCosmosEmulator({ port: ports.cosmos, tls });
  const graph = await startGraphEmulator({
    port: ports.graph,
    tls,
    entra: { jwksUri: entra.info.jwksUri, issuers: entra.info.issuers, tenantId: entra.info.tenantId, directory: entra.info.directory },
  });
  const openai = await startOpenAiEmulator({ port: ports.openai, tls });
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
      genieSpaceIds: databricks.info.genieSpaceIds,
      controlUrl: databricks.info.controlUrl,
    },
    cosmos: { endpoint: cosmos.info.endpoint, key: cosmos.info.key },
    graph: { baseUrl: graph.info.baseUrl, controlUrl: graph.info.controlUrl },
    openai: { ...openai.info },
    tokenCacheKey: randomBytes(32).toString('base64'),
    approversGroupId: entra.info.approversGroupId,
  };
  return {
    stack,
    stop: async () => {
      await Promise.allSettled([openai.stop(), graph.stop(), cosmos.stop(), databricks.stop(), entra.stop()]);
    },
  };
}
