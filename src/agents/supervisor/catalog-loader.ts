import type { UserIdentity } from '../../context/request-context';
import { loadUserCatalog, type CatalogLoader, type UserCatalogCache } from '../../catalog';
import { AppError } from '../../errors';
import type { UserDatabricksFactory } from '../ports';

/**
 * The turn's catalog loader for the user of the validated request and the space the turn asks
 * (`UserDatabricks.spaceId`, set once the conversation's choice was re-checked as that user; else the
 * configured default): served from the shared cache under that user's and that space's key, or read
 * now with that user's own Databricks clients (closed afterwards).
 */
export function catalogLoaderFor(cache: UserCatalogCache, user: Pick<UserIdentity, 'tenantId' | 'objectId'>, databricks: UserDatabricksFactory): CatalogLoader {
  return async () => {
    const client = databricks(user);
    try {
      const spaceId = client.spaceId ?? cache.spaceId;
      return await cache.get(
        user,
        async () => {
          const spaceTables = client.spaceTables?.bind(client);
          if (!spaceTables) throw new AppError('INTERNAL.UNEXPECTED', 'These Databricks clients cannot read the Genie space (spaceTables is missing).');
          return await loadUserCatalog(spaceId, { spaceTables: () => spaceTables(spaceId), sql: () => client.sql(), fallbackTables: cache.fallbackTables });
        },
        spaceId,
      );
    } finally {
      await client.close();
    }
  };
}
