import type { WriteOperation } from '../approvals/record';

export type SqlClassification =
  | { kind: 'read' }
  | { kind: 'write'; operation: WriteOperation; targetTables: string[]; hasWhere: boolean; whereClause?: string }
  | { kind: 'refused'; reason: string };

export type WriteClassification = Extract<SqlClassification, { kind: 'write' }>;

/** Where an INSERT's rows come from. */
export type InsertSource = { kind: 'values'; rows: number } | { kind: 'query'; text: string };

/** The pieces of one allowed write, as offsets-free SQL text taken from the statement. */
export interface WriteShape {
  operation: WriteOperation;
  /** Normalised name, e.g. `main.retail.orders`. */
  target: string;
  /** The target exactly as written (quoting kept), for derived SQL. */
  targetText: string;
  aliasText: string | undefined;
  whereClause: string | undefined;
  insertSource: InsertSource | undefined;
  merge: { sourceText: string; onText: string; inserts: boolean; bySource: boolean } | undefined;
  /** Token indexes (of the canonical statement) whose meaning decides how many rows change. */
  countRegion: { from: number; to: number } | undefined;
  /** Why the dry-run count is not a bound on what the change touches (empty when it is). */
  unboundedBecause: string[];
}

/** How to estimate a write's impact before it runs. */
export type DryRunPlan =
  | { kind: 'count'; sql: string; description: string; unboundedBecause: string[] }
  | { kind: 'known'; rows: number; description: string; unboundedBecause: string[] }
  | { kind: 'unknown'; description: string; unboundedBecause: string[] };
