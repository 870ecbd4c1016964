import type { SqlClient } from '../databricks/types';
import { describeTables } from './describe-tables';
import type { UserCatalog } from './types';

/** What reading a catalog needs, all bound to one user for one turn. */
export interface CatalogSource {
  /** The space's table identifiers, read with the user's token (`readSpaceTables`). */
  spaceTables(): Promise<string[]>;
  /** The user's own SQL client for this turn. */
  sql(): SqlClient;
}

/** The space's tables the user can see, with their columns; no SQL runs when the space lists no table. */
export async function loadUserCatalog(spaceId: string, source: CatalogSource): Promise<UserCatalog> {
  const names = await source.spaceTables();
  if (names.length === 0) return { spaceId, tables: [] };
  return { spaceId, tables: await describeTables(source.sql(), names) };
}
