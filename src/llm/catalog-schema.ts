/**
 * Bridges the user's catalog view and the deterministic NL→DML tables. The local profile keeps the
 * demo vocabulary (value lists of `main.retail.orders`) as hints for tables the user can actually
 * see; the Azure profile has no hints, so only values read from the workspace as the user count.
 */
import type { CatalogTable } from '../catalog';
import { isAppError } from '../errors';
import type { NlTable } from './nl-to-dml';
import type { RouteContext } from './types';

export const NO_TABLES_HINT =
  "I can't see any tables in this Genie space for you, so I won't guess table names for that change. Ask the space owner for access to its tables, or give me the exact SQL, e.g. `run: DELETE FROM <catalog>.<schema>.<table> WHERE …`; I will show you its impact and ask for approval before anything runs.";

/** How a router finds the tables for a turn when the context has no catalog loader. */
export interface CatalogFallback {
  /** Tables used when no loader is given (the local profile's demo); undefined: none (Azure). */
  tables: readonly CatalogTable[] | undefined;
  /** Vocabulary for NL→DML on tables the user can see (local demo hints); empty in Azure. */
  hints: readonly NlTable[];
}

const DATE_TYPES = /^(DATE|TIMESTAMP)/i;

function singular(table: string): string {
  const last = table.split('.').pop() ?? table;
  return last.endsWith('ies') ? `${last.slice(0, -3)}y` : last.endsWith('s') ? last.slice(0, -1) : last;
}

/** The demo NL schema as catalog tables (the local-profile fallback when no catalog is wired). */
export function catalogOfNlSchema(schema: readonly NlTable[]): CatalogTable[] {
  return schema.map((t) => ({
    name: t.name,
    columns: [
      { name: t.idColumn, type: 'BIGINT' },
      ...(t.dateColumn ? [{ name: t.dateColumn, type: 'DATE' }] : []),
      ...t.filters.map((f) => ({ name: f.column, type: 'STRING', values: f.values })),
    ],
  }));
}

/** NL→DML tables for the catalog's tables; a table without an id column is left out. */
export function nlTablesOfCatalog(tables: readonly CatalogTable[], hints: readonly NlTable[]): NlTable[] {
  return tables.flatMap((table): NlTable[] => {
    const columns = new Set(table.columns.map((c) => c.name.toLowerCase()));
    const hint = hints.find((h) => h.name === table.name && columns.has(h.idColumn));
    if (hint) {
      return [{ ...hint, filters: hint.filters.filter((f) => columns.has(f.column)), settable: hint.settable.filter((f) => columns.has(f.column)) }];
    }
    const noun = singular(table.name).toLowerCase();
    const idColumn = table.columns.find((c) => c.name.toLowerCase() === `${noun}_id`)?.name;
    if (!idColumn || !/^[a-z][a-z0-9_]*$/.test(noun)) return [];
    const valued = table.columns.filter((c) => /^STRING$/i.test(c.type) && c.values && c.values.length > 0);
    const filters = valued.map((c) => ({ column: c.name, values: c.values ?? [] }));
    return [{ name: table.name, noun, idColumn, dateColumn: table.columns.find((c) => DATE_TYPES.test(c.type))?.name, filters, settable: filters }];
  });
}

/** The tables for this turn: the user's catalog when a loader is given, else the fallback (or none). */
export async function tablesFor(context: RouteContext, fallback: CatalogFallback): Promise<readonly CatalogTable[]> {
  if (context.catalog) return (await context.catalog()).tables;
  return fallback.tables ?? [];
}

export function isAuthError(error: unknown): boolean {
  return isAppError(error) && (error.code.startsWith('AUTH.') || error.code === 'DATABRICKS.UNAUTHENTICATED');
}
