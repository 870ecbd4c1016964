export type { CatalogColumn, CatalogLoader, CatalogTable, UserCatalog } from './types';
export { UserCatalogCache, DEFAULT_CATALOG_TTL_MS, type UserCatalogCacheOptions } from './catalog-cache';
export { loadUserCatalog, type CatalogSource } from './load-catalog';
export { readSpaceTables, tablesOfSerializedSpace, type SpaceTablesOptions } from './space-tables';
export { tableIdentifier } from './table-name';
export { describeTables } from './describe-tables';
