/** The tables of the configured Genie space that one user can see, as that user sees them. */
export interface CatalogColumn {
  name: string;
  /** Databricks type name from `information_schema.columns.data_type` (STRING, INT, DECIMAL, DATE…). */
  type: string;
  /** Known values of a low-cardinality column (only ever values the user can read). */
  values?: readonly string[];
}

export interface CatalogTable {
  /** Three-part name, lower case: `main.retail.orders`. */
  name: string;
  columns: readonly CatalogColumn[];
}

/** Holds names and types only: never a token, never a row of data the user did not read as themselves. */
export interface UserCatalog {
  spaceId: string;
  /** `space`: the space's own table list; `fallback`: `CATALOG_FALLBACK_TABLES`, for a user who cannot read the space's definition. */
  from?: 'space' | 'fallback';
  tables: readonly CatalogTable[];
}

/** Loads the caller's catalog for this turn (cached briefly per user by the composition root's cache). */
export type CatalogLoader = () => Promise<UserCatalog>;
