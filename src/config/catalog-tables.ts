import { tableIdentifier } from '../catalog/table-name';

/** A Genie space holds at most 30 tables; the stand-in list is held to the same size. */
export const MAX_FALLBACK_TABLES = 30;

/**
 * CATALOG_FALLBACK_TABLES: three-part table names (`catalog.schema.table`), comma-separated. An entry
 * that is not one, a duplicate or more than 30 entries is a typo or a mistake; every problem is
 * reported, then the list is empty.
 */
export function parseFallbackTables(name: string, raw: string, problem: (message: string) => void): string[] {
  if (raw.trim() === '') return [];
  const entries = raw.split(',').map((s) => s.trim());
  const names = entries.map((e) => tableIdentifier(e));
  const bad = entries.filter((_, i) => names[i] === undefined);
  if (bad.length > 0) problem(`${name}: each entry must be a three-part table name (catalog.schema.table), got ${bad.map((b) => `"${b}"`).join(', ')}`);
  const valid = names.filter((n): n is string => n !== undefined);
  const dup = valid.find((n, i) => valid.indexOf(n) !== i);
  if (dup) problem(`${name}: "${dup}" is listed twice`);
  if (entries.length > MAX_FALLBACK_TABLES) problem(`${name}: at most ${MAX_FALLBACK_TABLES} tables (a Genie space's limit), got ${entries.length}`);
  return bad.length > 0 || dup || entries.length > MAX_FALLBACK_TABLES ? [] : valid;
}
