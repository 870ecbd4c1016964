import type { Container, ItemDefinition, SqlQuerySpec } from '@azure/cosmos';
import { cosmosCall, isCosmosStatus, mapCosmosError } from './cosmos-errors';

/** Point read; undefined when the item does not exist. */
export async function readItem<T extends ItemDefinition>(container: Container, id: string, partitionKey: string, operation: string): Promise<(T & { _etag: string }) | undefined> {
  const { resource } = await cosmosCall(operation, () => container.item(id, partitionKey).read<T & { _etag: string }>());
  return resource ?? undefined;
}

/** All results of a query, within one partition when `partitionKey` is given. */
export async function queryAll<T>(container: Container, query: SqlQuerySpec, partitionKey: string | undefined, operation: string): Promise<T[]> {
  const options = partitionKey === undefined ? {} : { partitionKey };
  return cosmosCall(operation, async () => (await container.items.query<T>(query, options).fetchAll()).resources);
}

export async function deleteIfPresent(container: Container, id: string, partitionKey: string, operation: string): Promise<void> {
  try {
    await container.item(id, partitionKey).delete();
  } catch (error) {
    if (isCosmosStatus(error, 404)) return;
    throw mapCosmosError(error, operation);
  }
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
