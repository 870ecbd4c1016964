/**
 * `main.information_schema.columns` as Unity Catalog serves it: "Both types of information schemas
 * automatically filter results to include only the objects you have Unity Catalog privileges to
 * access" (docs.databricks.com/sql/language-manual/sql-ref-information-schema, "How information
 * schema system tables handle permissions"). The view lists the workspace's tables with their
 * Databricks types and keeps a row only when the caller's own Postgres role holds a privilege on
 * the table and USAGE on its schema, so the grants `pg-setup.ts` creates decide visibility, as
 * `SHOW TABLES` does (for `main.retail` and the HR space's `main.hr`). `spark-sql.ts` maps `main.information_schema` (and a bare `information_schema`)
 * onto this schema.
 */
import { HR_SCHEMA } from './hr';
import { CATALOG, PG_SCHEMA, SCHEMA, TABLES } from './workspace';

export const PG_INFORMATION_SCHEMA = 'uc_information_schema';

const lit = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** Databricks' `data_type` (e.g. DECIMAL) and `full_data_type` (e.g. decimal(12,2)) of a column. */
function types(type: string, pgType: string): [string, string] {
  const decimal = /^numeric\((\d+),(\d+)\)$/.exec(pgType);
  if (decimal) return ['DECIMAL', `decimal(${decimal[1]},${decimal[2]})`];
  return [type.toUpperCase(), type.toLowerCase()];
}

/** `main.hr.employees` (hr.ts): Databricks types of its columns, in table order. */
const HR_COLUMNS: [string, string][] = [['employee_id', 'INT'], ['name', 'STRING'], ['department', 'STRING'], ['title', 'STRING'], ['hire_date', 'DATE']];

/** One schema's rows of the view, each kept only when the caller may use the schema and the table. */
function schemaRows(schema: string, pgSchema: string, rows: string[]): string {
  return `
      SELECT ${lit(CATALOG)}::text AS table_catalog, ${lit(schema)}::text AS table_schema, d.table_name::text AS table_name,
             d.column_name::text AS column_name, d.ordinal_position::integer AS ordinal_position,
             d.data_type::text AS data_type, d.full_data_type::text AS full_data_type, 'YES'::text AS is_nullable
      FROM (VALUES ${rows.join(',\n        ')}) AS d(table_name, column_name, ordinal_position, data_type, full_data_type)
      WHERE has_schema_privilege(current_user, ${lit(pgSchema)}, 'USAGE')
        AND has_table_privilege(current_user, ${lit(pgSchema)} || '.' || quote_ident(d.table_name), 'SELECT, INSERT, UPDATE, DELETE')`;
}

export function informationSchemaSql(): string {
  const rows = TABLES.flatMap((table) =>
    table.columns.map((column, i) => {
      const [dataType, fullType] = types(column.type, column.pgType);
      return `(${lit(table.name)}, ${lit(column.name)}, ${i + 1}, ${lit(dataType)}, ${lit(fullType)})`;
    }),
  );
  const hrRows = HR_COLUMNS.map(([name, type], i) => `('employees', ${lit(name)}, ${i + 1}, ${lit(type)}, ${lit(type.toLowerCase())})`);
  const s = PG_INFORMATION_SCHEMA;
  return `
    CREATE SCHEMA ${s};
    GRANT USAGE ON SCHEMA ${s} TO PUBLIC;
    CREATE VIEW ${s}.columns AS${schemaRows(SCHEMA, PG_SCHEMA, rows)}
      UNION ALL${schemaRows(HR_SCHEMA, HR_SCHEMA, hrRows)};
    GRANT SELECT ON ${s}.columns TO PUBLIC;
  `;
}
