import type { SqlClient } from '../databricks/types';
import { hasCode, isAppError } from '../errors';
import { describeTables } from './describe-tables';
import type { UserCatalog } from './types';

/** What reading a catalog needs, all bound to one user for one turn. */
export interface CatalogSource {
  /** The space's table identifiers, read with the user's token (`readSpaceTables`). */
  spaceTables(): Promise<string[]>;
  /** The user's own SQL client for this turn. */
  sql(): SqlClient;
  /**
   * `CATALOG_FALLBACK_TABLES`: the operator's list (validated three-part, lower-case names), used
   * when the user may run the space but not read its definition (CAN RUN, the usual level). Empty:
   * such a user gets `CATALOG.SPACE_FORBIDDEN`.
   */
  fallbackTables?: readonly string[];
}

/** The space definition was refused for want of CAN EDIT (403), not because the space is hidden or missing (404). */
function belowCanEdit(error: unknown): boolean {
  return hasCode(error, 'CATALOG.SPACE_FORBIDDEN') && isAppError(error) && error.details['access'] === 'below-can-edit';
}

/**
 * The space's tables the user can see, with their columns; no SQL runs when the space lists no
 * table. When the user cannot read the space's definition (CAN RUN) and the operator listed tables,
 * those are described instead, as the same user: Unity Catalog leaves out any they have no grant on.
 */
export async function loadUserCatalog(spaceId: string, source: CatalogSource): Promise<UserCatalog> {
  let names: readonly string[];
  let from: UserCatalog['from'] = 'space';
  try {
    names = await source.spaceTables();
  } catch (error) {
    if (!belowCanEdit(error) || !source.fallbackTables?.length) throw error;
    names = source.fallbackTables;
    from = 'fallback';
  }
  if (names.length === 0) return { spaceId, from, tables: [] };
  return { spaceId, from, tables: await describeTables(source.sql(), names) };
}
