import type { AddressInfo } from 'node:net';
import { createHttpsServer } from '@vercel/cosmosdb-server';
import { keepIdleConnections } from '../shared/idle-connections';
import { makeBatchesAtomic } from './atomic-batch';
import { scopeQueriesToPartitions } from './partition-scoped-queries';
import type { RunningEmulator, TlsMaterial } from '../shared/types';

export interface CosmosEmulatorInfo {
  endpoint: string;
  key: string;
}

/** The well-known Cosmos DB emulator key; the in-memory server does not check it. */
export const COSMOS_EMULATOR_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

/**
 * `@vercel/cosmosdb-server` over HTTPS with the development certificate. State lives in memory.
 * `keepAlive` keeps client connections open as the real service does (the package otherwise answers
 * `connection: close`, so every SDK request paid a TLS handshake); the long idle timeout keeps the
 * server from closing a socket just as the SDK reuses it (the SDK's agent never drops idle sockets).
 */
export async function startCosmosEmulator(options: { port?: number; tls: TlsMaterial }): Promise<RunningEmulator<CosmosEmulatorInfo>> {
  const server = createHttpsServer({ cert: options.tls.cert, key: options.tls.key, keepAlive: true });
  keepIdleConnections(server);
  scopeQueriesToPartitions(server);
  makeBatchesAtomic(server);
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, 'localhost', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    info: { endpoint: `https://localhost:${port}/`, key: COSMOS_EMULATOR_KEY },
    stop: () => new Promise<void>((done) => {
      server.closeAllConnections?.();
      server.close(() => done());
    }),
  };
}
