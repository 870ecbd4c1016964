import { randomUUID } from 'node:crypto';
import type { CosmosClient } from '@azure/cosmos';
import { startCosmosEmulator } from '../../../emulators/cosmos/server';
import { ensureDevCa } from '../../../emulators/shared/dev-ca';
import type { RunningEmulator } from '../../../emulators/shared/types';
import type { CosmosEmulatorInfo } from '../../../emulators/cosmos/server';
import { userKeyOf } from '../../../src/context/request-context';
import type { TokenCacheStore } from '../../../src/identity';
import { createCosmosClient, createCosmosTokenCacheStore, ensureContainers } from '../../../src/persistence';
import { claimsOf, startEntraFixture, type EntraFixture } from './entra-fixture';
import { LOAD_USERS, describeLoad, runLoad } from './load-scenario';

const ALICE = { tenantId: '7e4a1c00-0000-4000-8000-000000000001', objectId: 'a11ce000-0000-4000-8000-000000000001' };

let fx: EntraFixture;
let cosmos: RunningEmulator<CosmosEmulatorInfo>;
let client: CosmosClient;
let store: TokenCacheStore;
let rawRead: (key: string) => Promise<unknown>;

beforeAll(async () => {
  fx = await startEntraFixture();
  const ca = ensureDevCa();
  cosmos = await startCosmosEmulator({ tls: { cert: ca.serverCertPem, key: ca.serverKeyPem, caCertPath: ca.caCertPath } });
  client = createCosmosClient({ endpoint: cosmos.info.endpoint, key: cosmos.info.key, databaseId: 'identity', endpointDiscovery: false });
  const containers = await ensureContainers(client, `identity-${randomUUID()}`);
  store = createCosmosTokenCacheStore(containers.tokenCache);
  rawRead = async (key) => {
    const { resources } = await containers.tokenCache.items.query({ query: 'SELECT * FROM c WHERE c.partitionKey = @k', parameters: [{ name: '@k', value: key }] }).fetchAll();
    return resources[0];
  };
});
afterAll(async () => {
  client?.dispose();
  await Promise.allSettled([fx?.emulator.stop(), cosmos?.stop()]);
});
beforeEach(async () => { await fx.control.reset(); });

describe('the token cache in Cosmos DB, shared by two instances', () => {
  test('when alice signs in on one instance, then another instance serves her turns from Cosmos with no token request', async () => {
    const user = await fx.newService(store).signIn(await fx.control.ssoToken('alice'));
    const token = await fx.newService(store).tokenProviderFor(user).getDatabricksToken();
    expect(claimsOf(token).oid).toBe(ALICE.objectId);
    expect((await fx.control.counters()).tokenRequests).toBe(1);
    const doc = (await rawRead(userKeyOf(ALICE))) as { value: string };
    expect(doc.value).toMatch(/^tc1\./);
    expect(JSON.stringify(doc)).not.toContain(token.split('.')[1]!);
  });

  test('when 50 users take 20 interleaved turns over 2 instances, then exactly 50 OBO requests and no cross-user token', async () => {
    const result = await runLoad(fx, [fx.newService(store), fx.newService(store)], 'sequential-first', 11);
    expect(result.mismatches).toEqual([]);
    expect(result.counters.byGrant).toMatchObject({ on_behalf_of: LOAD_USERS.length, refresh_token: 0 });
    console.info(describeLoad('identity load, Cosmos store', result));
    // 1000 turns over HTTPS take ~26 s on 2 idle cores, on Node 20 and 22 alike: jest's 30 s default
    // failed it on a loaded machine. What is tested is the counts, not the speed.
  }, 120_000);
});
