/**
 * A change's impact: how many rows it touches, counted as the requester before the card is shown and
 * again just before it runs. A count that is not a bound (`src/sql/bounds.ts`) makes the change
 * unbounded, which always needs an approver from the approvers group.
 */
import type { UserDatabricks } from '../agents/ports';
import type { ApprovalImpact } from './record';
import { hasCode, toAppError, type AppError } from '../errors';
import { planDryRun } from '../sql';

export type ImpactResult = { ok: true; impact: ApprovalImpact } | { ok: false; error: AppError };

function parseCount(cell: string | null | undefined): number | null {
  if (cell === null || cell === undefined || !/^\d+$/.test(cell.trim())) return null;
  return Number(cell.trim());
}

function describe(rows: number | null, what: string, unboundedBecause: string[]): string {
  const size = rows === null ? `Could not be counted: ${what}` : `${rows} ${what}`;
  return unboundedBecause.length === 0 ? size : `${size}. Unbounded: ${unboundedBecause.join('; ')}`;
}

/** Runs the change's dry run as the requester; Databricks errors are thrown as they are. */
export async function countImpact(sql: string, client: UserDatabricks): Promise<ApprovalImpact> {
  const plan = planDryRun(sql);
  const { unboundedBecause } = plan;
  const impact = (rows: number | null, what: string): ApprovalImpact => ({ rows, description: describe(rows, what, unboundedBecause), unbounded: unboundedBecause.length > 0 });
  if (plan.kind === 'known') return impact(plan.rows, plan.description);
  if (plan.kind === 'unknown') return impact(null, plan.description);
  const result = await client.sql().query(plan.sql, undefined, { maxRows: 1 });
  return impact(parseCount(result.rows[0]?.[0]), plan.description);
}

/**
 * The impact shown when a change is requested. Errors that mean the change cannot run at all (no such
 * table, bad syntax) are returned; others leave the count unknown, which needs an approver.
 */
export async function estimateImpact(sql: string, client: UserDatabricks): Promise<ImpactResult> {
  try {
    return { ok: true, impact: await countImpact(sql, client) };
  } catch (error) {
    const appError = toAppError(error);
    if (hasCode(appError, 'DATABRICKS.TABLE_NOT_FOUND') || hasCode(appError, 'DATABRICKS.SYNTAX')) return { ok: false, error: appError };
    const plan = planDryRun(sql);
    return { ok: true, impact: { rows: null, description: describe(null, `${plan.description} (${appError.userMessage})`, plan.unboundedBecause), unbounded: plan.unboundedBecause.length > 0 } };
  }
}

/** Four-eyes: unbounded changes, changes of unknown size and changes above the threshold. */
export function needsApprover(impact: ApprovalImpact, threshold: number): boolean {
  return impact.unbounded || impact.rows === null || impact.rows > threshold;
}
