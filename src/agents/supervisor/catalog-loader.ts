import type { UserIdentity } from '../../context/request-context';
import { loadUserCatalog, type CatalogLoader, type UserCatalogCache } from '../../catalog';
import { AppError } from '../../errors';
import type { UserDatabricksFactory } from '../ports';

/**
 * The turn's catalog loader for the user of the validated request: served from the shared cache
 * under that user's key, or read now with that user's own Databricks clients (closed afterwards).
 */
export function catalogLoaderFor(cache: UserCatalogCache, user: Pick<UserIdentity, 'tenantId' | 'objectId'>, databricks: UserDatabricksFactory): CatalogLoader {
  return () =>
    cache.get(user, async () => {
      const client = databricks(user);
      try {
        const spaceTables = client.spaceTables?.bind(client);
        if (!spaceTables) throw new AppError('INTERNAL.UNEXPECTED', 'These Databricks clients cannot read the Genie space (spaceTables is missing).');
        return await loadUserCatalog(cache.spaceId, { spaceTables, sql: () => client.sql() });
      } finally {
        await client.close();
      }
    });
}
