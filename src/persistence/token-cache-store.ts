import type { Container } from '@azure/cosmos';
import type { TokenCacheStore } from '../identity/ports';
import { cosmosCall } from './cosmos-errors';
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
    async remove(partitionKey) {
      const id = itemIdOf(partitionKey);
      await deleteIfPresent(container, id, id, 'remove token cache');
    },
  };
}
