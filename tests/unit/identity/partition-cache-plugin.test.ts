import { randomBytes } from 'node:crypto';
import type { TokenCacheContext } from '@azure/msal-node';
import { userKeyOf } from '../../../src/context/request-context';
import { isAppError } from '../../../src/errors';
import { createCacheCipher } from '../../../src/identity/cache-crypto';
import { accountsOf, assertOwnedBy, createPartitionCachePlugin } from '../../../src/identity/partition-cache-plugin';
import { silentLogger } from '../../../src/logging';
import { MemoryTokenCacheStore } from './memory-token-cache-store';

const TENANT = 't-1';
const ALICE = { tenantId: TENANT, objectId: 'alice-oid' };
const BOB = { tenantId: TENANT, objectId: 'bob-oid' };

function cacheOf(...users: Array<{ tenantId: string; objectId: string }>): string {
  const entries = (kind: string) => Object.fromEntries(users.map((u) => [`${u.objectId}.${u.tenantId}-${kind}`, { home_account_id: `${u.objectId}.${u.tenantId}`, realm: u.tenantId, local_account_id: kind === 'account' ? u.objectId : undefined }]));
  return JSON.stringify({ Account: entries('account'), AccessToken: entries('at'), RefreshToken: entries('rt'), IdToken: entries('id'), AppMetadata: {} });
}

function fakeContext(serialized: string, changed: boolean) {
  const deserialized: string[] = [];
  const context = {
    cacheHasChanged: changed,
    tokenCache: { serialize: () => serialized, deserialize: (s: string) => void deserialized.push(s) },
  } as unknown as TokenCacheContext;
  return { context, deserialized };
}

const cipher = createCacheCipher(randomBytes(32).toString('base64'));
const logger = silentLogger();

describe('the per-user cache partition plugin', () => {
  test('when MSAL writes a cache holding only alice, then it is stored encrypted under alice’s key only', async () => {
    const store = new MemoryTokenCacheStore();
    const plugin = createPartitionCachePlugin({ user: ALICE, store, cipher, logger });
    await plugin.afterCacheAccess(fakeContext(cacheOf(ALICE), true).context);
    expect(store.writes).toEqual([userKeyOf(ALICE)]);
    expect(cipher.decrypt(store.blobs.get(userKeyOf(ALICE))!, userKeyOf(ALICE))).toBe(cacheOf(ALICE));
  });

  test('when the cache has not changed, then nothing is written', async () => {
    const store = new MemoryTokenCacheStore();
    await createPartitionCachePlugin({ user: ALICE, store, cipher, logger }).afterCacheAccess(fakeContext(cacheOf(ALICE), false).context);
    expect(store.writes).toEqual([]);
  });

  test('when the cache holds bob’s account, then writing it into alice’s partition is refused', async () => {
    const store = new MemoryTokenCacheStore();
    const plugin = createPartitionCachePlugin({ user: ALICE, store, cipher, logger });
    await expect(plugin.afterCacheAccess(fakeContext(cacheOf(ALICE, BOB), true).context)).rejects.toMatchObject({ code: 'INTERNAL.UNEXPECTED' });
    expect(store.writes).toEqual([]);
  });

  test('when only a credential (no account) belongs to bob, then the write is still refused', () => {
    const mixed = JSON.parse(cacheOf(ALICE)) as Record<string, Record<string, unknown>>;
    mixed.RefreshToken!['bob-rt'] = { home_account_id: `${BOB.objectId}.${TENANT}` };
    let error: unknown;
    try {
      assertOwnedBy(JSON.stringify(mixed), ALICE);
    } catch (e) {
      error = e;
    }
    expect(isAppError(error)).toBe(true);
  });

  test('when the partition is read several times in one turn, then the store is read once and the blob deserialized each time', async () => {
    const store = new MemoryTokenCacheStore();
    store.blobs.set(userKeyOf(ALICE), cipher.encrypt(cacheOf(ALICE), userKeyOf(ALICE)));
    const plugin = createPartitionCachePlugin({ user: ALICE, store, cipher, logger });
    const { context, deserialized } = fakeContext('', false);
    await plugin.beforeCacheAccess(context);
    await plugin.beforeCacheAccess(context);
    expect(store.reads).toEqual([userKeyOf(ALICE)]);
    expect(deserialized).toEqual([cacheOf(ALICE), cacheOf(ALICE)]);
  });

  test('when the partition is empty or unreadable, then nothing is deserialized', async () => {
    const store = new MemoryTokenCacheStore();
    store.blobs.set(userKeyOf(BOB), 'tampered');
    for (const user of [ALICE, BOB]) {
      const { context, deserialized } = fakeContext('', false);
      await createPartitionCachePlugin({ user, store, cipher, logger }).beforeCacheAccess(context);
      expect(deserialized).toEqual([]);
    }
  });

  test('when a store read fails, then the error propagates and the next access reads again', async () => {
    const store = new MemoryTokenCacheStore();
    let fail = true;
    const flaky = { ...store, read: async (k: string) => { if (fail) throw new Error('down'); return store.read(k); }, write: store.write.bind(store), remove: store.remove.bind(store) };
    const plugin = createPartitionCachePlugin({ user: ALICE, store: flaky, cipher, logger });
    await expect(plugin.beforeCacheAccess(fakeContext('', false).context)).rejects.toThrow('down');
    fail = false;
    await expect(plugin.beforeCacheAccess(fakeContext('', false).context)).resolves.toBeUndefined();
  });

  test('when accounts are listed for a user, then only that user’s account in that tenant counts', () => {
    expect(accountsOf(cacheOf(ALICE, BOB), ALICE)).toHaveLength(1);
    expect(accountsOf(cacheOf(BOB), ALICE)).toHaveLength(0);
    expect(accountsOf(cacheOf(ALICE), { tenantId: 'other', objectId: ALICE.objectId })).toHaveLength(0);
  });
});
