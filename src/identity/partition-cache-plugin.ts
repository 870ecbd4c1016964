import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { type UserIdentity, userKeyOf } from '../context/request-context';
import { AppError } from '../errors';
import type { Logger } from '../logging';
import type { CacheCipher } from './cache-crypto';
import type { TokenCacheStore } from './ports';

type UserRef = Pick<UserIdentity, 'tenantId' | 'objectId'>;

/**
 * MSAL cache plugin bound to ONE user's partition (`userKeyOf(user)`): it reads and writes only that
 * key, encrypts at rest, and refuses to write a cache that holds anyone else's account or tokens.
 * Build one per ConfidentialClientApplication, i.e. per user and turn: it reads the partition
 * once and keeps what it last wrote.
 */
export function createPartitionCachePlugin(deps: { user: UserRef; store: TokenCacheStore; cipher: CacheCipher; logger: Logger }): ICachePlugin {
  const partitionKey = userKeyOf(deps.user);
  // MSAL calls beforeCacheAccess several times per turn; the partition is read once per plugin.
  let loaded: Promise<string | undefined> | undefined;
  return {
    async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
      loaded ??= readPartition(deps.store, deps.cipher, partitionKey, deps.logger);
      const plaintext = await loaded.catch((error: unknown) => {
        loaded = undefined;
        throw error;
      });
      if (plaintext !== undefined) context.tokenCache.deserialize(plaintext);
    },
    async afterCacheAccess(context: TokenCacheContext): Promise<void> {
      if (!context.cacheHasChanged) return;
      const serialized = context.tokenCache.serialize();
      assertOwnedBy(serialized, deps.user);
      await deps.store.write(partitionKey, deps.cipher.encrypt(serialized, partitionKey));
      loaded = Promise.resolve(serialized);
    },
  };
}

/** The decrypted cache of a partition; undefined when absent or unreadable (wrong key, tampered, moved). */
export async function readPartition(store: TokenCacheStore, cipher: CacheCipher, partitionKey: string, logger: Logger): Promise<string | undefined> {
  const blob = await store.read(partitionKey);
  if (blob === undefined || blob === '') return undefined;
  const plaintext = cipher.decrypt(blob, partitionKey);
  if (plaintext === undefined) logger.warn({ partitionKey }, 'token cache partition could not be decrypted; treating it as empty');
  return plaintext;
}

interface SerializedEntry {
  home_account_id?: string;
  local_account_id?: string;
  realm?: string;
}

type SerializedCache = Partial<Record<'Account' | 'IdToken' | 'AccessToken' | 'RefreshToken', Record<string, SerializedEntry>>>;

/** Lists the accounts of a serialized cache that belong to `user` (by object id and tenant). */
export function accountsOf(serialized: string, user: UserRef): SerializedEntry[] {
  const cache = parse(serialized);
  return Object.values(cache.Account ?? {}).filter((a) => a.local_account_id === user.objectId && a.realm === user.tenantId);
}

/** Throws unless every account and credential in the cache belongs to `user`. */
export function assertOwnedBy(serialized: string, user: UserRef): void {
  const cache = parse(serialized);
  const homeAccountId = `${user.objectId}.${user.tenantId}`;
  const foreignAccount = Object.values(cache.Account ?? {}).some(
    (a) => a.local_account_id !== user.objectId || a.realm !== user.tenantId || a.home_account_id !== homeAccountId,
  );
  const foreignCredential = (['IdToken', 'AccessToken', 'RefreshToken'] as const).some((kind) =>
    Object.values(cache[kind] ?? {}).some((c) => c.home_account_id !== homeAccountId),
  );
  if (foreignAccount || foreignCredential) {
    throw new AppError('INTERNAL.UNEXPECTED', 'Refused to write a token cache holding another identity into this user partition', {
      details: { partitionKey: userKeyOf(user) },
    });
  }
}

function parse(serialized: string): SerializedCache {
  try {
    const value: unknown = JSON.parse(serialized);
    return typeof value === 'object' && value !== null ? (value as SerializedCache) : {};
  } catch (error) {
    throw new AppError('INTERNAL.UNEXPECTED', 'The token cache did not serialize to JSON', { cause: error });
  }
}
