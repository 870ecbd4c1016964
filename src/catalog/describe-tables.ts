/**
 * Describes the space's tables through `<catalog>.information_schema.columns`, run as the user on
 * their own per-turn SQL client. Unity Catalog's information schema "automatically filter[s] results
 * to include only the objects you have Unity Catalog privileges to access"
 * (docs.databricks.com/sql/language-manual/sql-ref-information-schema), so a table the user has no
 * grant on simply has no rows and is left out: nothing here decides visibility itself.
 */
import { AppError, isAppError } from '../errors';
import type { SqlClient, SqlParam } from '../databricks/types';
import type { CatalogColumn, CatalogTable } from './types';

/** information_schema rows per catalog; a space holds at most 30 tables (Genie set-up limit). */
const MAX_COLUMNS_PER_CATALOG = 5_000;

function columnsSql(catalog: string, schemas: string[], tables: string[]): { sql: string; params: Record<string, SqlParam> } {
  const params: Record<string, SqlParam> = {};
  const schemaList = schemas.map((s, i) => ((params[`s${i}`] = s), `:s${i}`)).join(', ');
  const tableList = tables.map((t, i) => ((params[`t${i}`] = t), `:t${i}`)).join(', ');
  const sql =
    `SELECT table_schema, table_name, column_name, data_type FROM \`${catalog}\`.information_schema.columns ` +
    `WHERE table_schema IN (${schemaList}) AND table_name IN (${tableList}) ORDER BY table_schema, table_name, ordinal_position`;
  return { sql, params };
}

function groupByCatalog(names: readonly string[]): Map<string, string[][]> {
  const byCatalog = new Map<string, string[][]>();
  for (const name of names) {
    const [catalog, schema, table] = name.split('.') as [string, string, string];
    byCatalog.set(catalog, [...(byCatalog.get(catalog) ?? []), [schema, table]]);
  }
  return byCatalog;
}

/** The requested tables (validated three-part, lower-case names) that the user can see, with their columns, in the given order. */
export async function describeTables(sql: SqlClient, names: readonly string[]): Promise<CatalogTable[]> {
  const columns = new Map<string, CatalogColumn[]>();
  for (const [catalog, parts] of groupByCatalog(names)) {
    const { sql: text, params } = columnsSql(catalog, [...new Set(parts.map((p) => p[0]!))], [...new Set(parts.map((p) => p[1]!))]);
    let result;
    try {
      result = await sql.query(text, params, { maxRows: MAX_COLUMNS_PER_CATALOG });
    } catch (error) {
      if (isAppError(error) && (error.code.startsWith('AUTH.') || error.code === 'DATABRICKS.UNAUTHENTICATED')) throw error;
      throw new AppError('CATALOG.UNAVAILABLE', `could not read ${catalog}.information_schema.columns`, { cause: error });
    }
    for (const [schema, table, column, type] of result.rows) {
      if (!schema || !table || !column) continue;
      const name = `${catalog}.${schema}.${table}`.toLowerCase();
      columns.set(name, [...(columns.get(name) ?? []), { name: column, type: (type ?? 'STRING').toUpperCase() }]);
    }
  }
  return names.filter((n) => columns.has(n)).map((name) => ({ name, columns: columns.get(name)! }));
}
