import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { type UserIdentity, userKeyOf } from '../context/request-context';
import { AppError } from '../errors';
import type { Logger } from '../logging';
import type { CacheCipher } from './cache-crypto';
import { mergeSerializedCaches } from './cache-merge';
import type { TokenCacheStore } from './ports';

type UserRef = Pick<UserIdentity, 'tenantId' | 'objectId'>;

/**
 * MSAL cache plugin bound to ONE user's partition (`userKeyOf(user)`): it reads and writes only that
 * key, encrypts at rest, and refuses to write a cache that holds anyone else's account or tokens.
 * Build one per ConfidentialClientApplication, i.e. per user and turn: it reads the partition
 * once and keeps what it last wrote.
 */
export function createPartitionCachePlugin(deps: { user: UserRef; store: TokenCacheStore; cipher: CacheCipher; logger: Logger; view?: PartitionView }): ICachePlugin {
  const partitionKey = userKeyOf(deps.user);
  // MSAL calls beforeCacheAccess several times per turn; the partition is read once per plugin, or
  // once per turn when the turn's clients share one view (`TurnSession`).
  const view = deps.view ?? {};
  const load = (): Promise<VersionedPlaintext> => loadView(view, deps.store, deps.cipher, partitionKey, deps.logger);
  return {
    async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
      const { plaintext } = await load();
      if (plaintext !== undefined) context.tokenCache.deserialize(plaintext);
    },
    async afterCacheAccess(context: TokenCacheContext): Promise<void> {
      if (!context.cacheHasChanged) return;
      let serialized = context.tokenCache.serialize();
      assertOwnedBy(serialized, deps.user);
      const { store } = deps;
      if (!store.writeIfUnchanged || !store.readVersioned) {
        await store.write(partitionKey, deps.cipher.encrypt(serialized, partitionKey));
        view.loaded = Promise.resolve({ plaintext: serialized, version: undefined });
        return;
      }
      let { version } = await load();
      for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
        const written = await store.writeIfUnchanged(partitionKey, deps.cipher.encrypt(serialized, partitionKey), version);
        if (written !== undefined) {
          view.loaded = Promise.resolve({ plaintext: serialized, version: written });
          return;
        }
        // Another instance wrote this partition since we read it: keep both writers' entries.
        const remote = await readVersionedPartition(store, deps.cipher, partitionKey, deps.logger);
        if (remote.plaintext !== undefined) serialized = mergeSerializedCaches(remote.plaintext, serialized);
        assertOwnedBy(serialized, deps.user);
        version = remote.version;
      }
      throw new AppError('STORAGE.CONFLICT', 'The token cache kept changing while it was saved', { details: { partitionKey } });
    },
  };
}

const MAX_WRITE_ATTEMPTS = 5;

export interface VersionedPlaintext {
  plaintext: string | undefined;
  version: string | undefined;
}

/**
 * One user's partition as one turn last read or wrote it, shared by that turn's MSAL clients so the
 * partition is read once per turn. Lives in the turn's closure only (never a module or singleton).
 */
export interface PartitionView {
  loaded?: Promise<VersionedPlaintext>;
}

/** The view's partition, read on first use; a failed read is forgotten so the next use reads again. */
export function loadView(view: PartitionView, store: TokenCacheStore, cipher: CacheCipher, partitionKey: string, logger: Logger): Promise<VersionedPlaintext> {
  if (view.loaded) return view.loaded;
  const loading = readVersionedPartition(store, cipher, partitionKey, logger);
  view.loaded = loading;
  loading.catch(() => {
    if (view.loaded === loading) view.loaded = undefined;
  });
  return loading;
}

async function readVersionedPartition(store: TokenCacheStore, cipher: CacheCipher, partitionKey: string, logger: Logger): Promise<VersionedPlaintext> {
  if (!store.readVersioned) return { plaintext: await readPartition(store, cipher, partitionKey, logger), version: undefined };
  const { value, version } = await store.readVersioned(partitionKey);
  return { plaintext: decryptPartition(value, cipher, partitionKey, logger), version };
}

function decryptPartition(blob: string | undefined, cipher: CacheCipher, partitionKey: string, logger: Logger): string | undefined {
  if (blob === undefined || blob === '') return undefined;
  const plaintext = cipher.decrypt(blob, partitionKey);
  if (plaintext === undefined) logger.warn({ partitionKey }, 'token cache partition could not be decrypted; treating it as empty');
  return plaintext;
}

/** The decrypted cache of a partition; undefined when absent or unreadable (wrong key, tampered, moved). */
export async function readPartition(store: TokenCacheStore, cipher: CacheCipher, partitionKey: string, logger: Logger): Promise<string | undefined> {
  return decryptPartition(await store.read(partitionKey), cipher, partitionKey, logger);
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
