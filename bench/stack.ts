import { ensureDevCa } from '../emulators/shared/dev-ca';
import { startStack } from '../emulators/stack';
import { DEMO_DIRECTORY, type Directory, type DirectoryUser } from '../emulators/shared/directory';
import type { LocalStack } from '../src/config/local-stack';
import { type CosmosCountingProxy, startCosmosProxy } from './cosmos-proxy';

/**
 * The emulator stack of `emulators/stack.ts`, with two bench-only additions: generated
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
  const running = await startStack({ ports: { entra: 0, databricks: 0, cosmos: 0, graph: 0, openai: 0 }, directory });
  const cosmos = await startCosmosProxy(running.stack.cosmos.endpoint, tls);
  return {
    stack: { ...running.stack, cosmos: { ...running.stack.cosmos, endpoint: cosmos.endpoint } },
    cosmos,
    generatedUsers: extra,
    stop: async () => {
      await cosmos.stop();
      await running.stop();
    },
  };
}
