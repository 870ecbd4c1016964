import { startCosmosEmulator } from '../../emulators/cosmos/server';
import { ensureDevCa } from '../../emulators/shared/dev-ca';
import type { Config } from '../../src/config';
import type { RunningEmulator } from '../../emulators/shared/types';
import type { CosmosEmulatorInfo } from '../../emulators/cosmos/server';

/** A private Cosmos emulator for one test file (HTTPS with the dev CA; needs NODE_EXTRA_CA_CERTS). */
export async function startPrivateCosmos(): Promise<RunningEmulator<CosmosEmulatorInfo>> {
  if (!process.env.NODE_EXTRA_CA_CERTS) {
    throw new Error('Set NODE_EXTRA_CA_CERTS=$PWD/.local/dev-ca/ca.pem (npm scripts do) so the client trusts the emulator.');
  }
  const ca = ensureDevCa();
  return startCosmosEmulator({ tls: { cert: ca.serverCertPem, key: ca.serverKeyPem, caCertPath: ca.caCertPath } });
}

export function cosmosConfigFor(info: CosmosEmulatorInfo, databaseId: string): Config['cosmos'] {
  return { endpoint: info.endpoint, key: info.key, databaseId, endpointDiscovery: false };
}

let counter = 0;

/** A database id no other test in this process uses. */
export function uniqueDatabaseId(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
