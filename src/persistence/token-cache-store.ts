import type { Container } from '@azure/cosmos';
import type { TokenCacheStore } from '../identity/ports';
import { cosmosCall, isCosmosStatus, mapCosmosError } from './cosmos-errors';
import { deleteIfPresent, readItem } from './cosmos-items';
import { itemIdOf } from './item-ids';
import { assertItemSize } from './payloads';

/**
 * One opaque (already encrypted) MSAL cache string per user partition key, in container
 * `tokenCache` (partition key `/id`). This module never sees plaintext tokens.
 */
interface TokenCacheDoc {
  id: string;
  partitionKey: string;
  value: string;
  updatedAt: string;
}

export function createCosmosTokenCacheStore(container: Container): TokenCacheStore {
  return {
    async read(partitionKey) {
      const id = itemIdOf(partitionKey);
      const doc = await readItem<TokenCacheDoc>(container, id, id, 'read token cache');
      return doc?.value;
    },
    async write(partitionKey, value) {
      const id = itemIdOf(partitionKey);
      const doc: TokenCacheDoc = { id, partitionKey, value, updatedAt: new Date().toISOString() };
      assertItemSize(doc, 'token cache');
      await cosmosCall('write token cache', () => container.items.upsert(doc));
    },
    async readVersioned(partitionKey) {
      const id = itemIdOf(partitionKey);
      const doc = await readItem<TokenCacheDoc>(container, id, id, 'read token cache');
      return { value: doc?.value, version: doc?._etag };
    },
    // Conditional writes (If-Match on the ETag read, create-if-absent without one), so two instances
    // refreshing one user's cache at once cannot silently drop each other's tokens.
    async writeIfUnchanged(partitionKey, value, version) {
      const id = itemIdOf(partitionKey);
      const doc: TokenCacheDoc = { id, partitionKey, value, updatedAt: new Date().toISOString() };
      assertItemSize(doc, 'token cache');
      try {
        const { resource } = version === undefined
          ? await container.items.create(doc)
          : await container.item(id, id).replace(doc, { accessCondition: { type: 'IfMatch', condition: version } });
        return resource?._etag;
      } catch (error) {
        if (isCosmosStatus(error, 412) || isCosmosStatus(error, 409) || isCosmosStatus(error, 404)) return undefined;
        throw mapCosmosError(error, 'write token cache');
      }
    },
    async remove(partitionKey) {
      const id = itemIdOf(partitionKey);
      await deleteIfPresent(container, id, id, 'remove token cache');
    },
  };
}
