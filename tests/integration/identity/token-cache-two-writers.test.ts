/**
 * Two bot instances refresh one user's MSAL cache partition at the same time, through the real Cosmos
 * token-cache store on the emulator: the writes are conditional (If-Match on the ETag each read), so
 * the second writer merges instead of silently dropping the first writer's tokens.
 */
import { randomBytes } from 'node:crypto';
import type { CosmosClient } from '@azure/cosmos';
import type { TokenCacheContext } from '@azure/msal-node';
import type { CosmosEmulatorInfo } from '../../../emulators/cosmos/server';
import type { RunningEmulator } from '../../../emulators/shared/types';
import { userKeyOf } from '../../../src/context/request-context';
import { createCacheCipher } from '../../../src/identity/cache-crypto';
import { createPartitionCachePlugin } from '../../../src/identity/partition-cache-plugin';
import { silentLogger } from '../../../src/logging';
import { createCosmosClient } from '../../../src/persistence/cosmos-client';
import { ensureContainers } from '../../../src/persistence/containers';
import { createCosmosTokenCacheStore } from '../../../src/persistence/token-cache-store';
import { cosmosConfigFor, startPrivateCosmos, uniqueDatabaseId } from '../../support/cosmos-emulator';

const ALICE = { tenantId: 't-1', objectId: 'alice-oid' };
const HOME = `${ALICE.objectId}.${ALICE.tenantId}`;
const cipher = createCacheCipher(randomBytes(32).toString('base64'));
const logger = silentLogger();

let emulator: RunningEmulator<CosmosEmulatorInfo>;
let client: CosmosClient;
let store: ReturnType<typeof createCosmosTokenCacheStore>;

/** An MSAL-shaped cache of alice holding the given access-token keys. */
function cacheWith(...accessTokens: string[]): string {
  return JSON.stringify({
    Account: { [`${HOME}-account`]: { home_account_id: HOME, realm: ALICE.tenantId, local_account_id: ALICE.objectId } },
    AccessToken: Object.fromEntries(accessTokens.map((key) => [key, { home_account_id: HOME, secret: `secret-of-${key}` }])),
    RefreshToken: { [`${HOME}-rt`]: { home_account_id: HOME } },
    IdToken: {},
    AppMetadata: {},
  });
}

function msalContext(serialized: string): TokenCacheContext {
  return { cacheHasChanged: true, tokenCache: { serialize: () => serialized, deserialize: () => undefined } } as unknown as TokenCacheContext;
}

async function stored(): Promise<Record<string, Record<string, unknown>>> {
  const blob = await store.read(userKeyOf(ALICE));
  return JSON.parse(cipher.decrypt(blob ?? '', userKeyOf(ALICE)) ?? '{}') as Record<string, Record<string, unknown>>;
}

beforeAll(async () => {
  emulator = await startPrivateCosmos();
  const databaseId = uniqueDatabaseId('token-cache');
  client = createCosmosClient(cosmosConfigFor(emulator.info, databaseId));
  store = createCosmosTokenCacheStore((await ensureContainers(client, databaseId)).tokenCache);
});

afterAll(async () => {
  client.dispose();
  await emulator.stop();
});

describe('token cache writes from two instances', () => {
  it('when both instances read the same version and then each writes a new token, then the stored cache holds both tokens', async () => {
    await store.write(userKeyOf(ALICE), cipher.encrypt(cacheWith('at-old'), userKeyOf(ALICE)));
    const instanceA = createPartitionCachePlugin({ user: ALICE, store, cipher, logger });
    const instanceB = createPartitionCachePlugin({ user: ALICE, store, cipher, logger });
    await instanceA.beforeCacheAccess(msalContext(''));
    await instanceB.beforeCacheAccess(msalContext(''));

    await instanceA.afterCacheAccess(msalContext(cacheWith('at-old', 'at-databricks')));
    await instanceB.afterCacheAccess(msalContext(cacheWith('at-old', 'at-graph')));

    expect(Object.keys((await stored()).AccessToken ?? {}).sort()).toEqual(['at-databricks', 'at-graph', 'at-old']);
  });

  it('when the partition did not exist and two instances create it at once, then the second merges into the first', async () => {
    await store.remove(userKeyOf(ALICE));
    const instanceA = createPartitionCachePlugin({ user: ALICE, store, cipher, logger });
    const instanceB = createPartitionCachePlugin({ user: ALICE, store, cipher, logger });
    await instanceA.beforeCacheAccess(msalContext(''));
    await instanceB.beforeCacheAccess(msalContext(''));
    await instanceA.afterCacheAccess(msalContext(cacheWith('at-a')));
    await instanceB.afterCacheAccess(msalContext(cacheWith('at-b')));
    expect(Object.keys((await stored()).AccessToken ?? {}).sort()).toEqual(['at-a', 'at-b']);
  });

  it('when one instance writes twice in a turn, then its second write uses the version of its first (no needless merge, no conflict)', async () => {
    await store.remove(userKeyOf(ALICE));
    const instance = createPartitionCachePlugin({ user: ALICE, store, cipher, logger });
    await instance.beforeCacheAccess(msalContext(''));
    await instance.afterCacheAccess(msalContext(cacheWith('at-1')));
    await instance.afterCacheAccess(msalContext(cacheWith('at-2')));
    expect(Object.keys((await stored()).AccessToken ?? {})).toEqual(['at-2']);
  });
});
