/**
 * A change's impact: how many rows it touches, counted as the requester before the card is shown and
 * again just before it runs. A count that is not a bound (`src/sql/bounds.ts`) makes the change
 * unbounded, which always needs an approver from the approvers group.
 */
import type { UserDatabricks } from '../agents/ports';
import type { ApprovalImpact } from '../persistence/ports';
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

/**
 * Counts a change's rows by running its derived COUNT query as the requesting user. Errors that mean
 * the change cannot run at all (no such table, bad syntax) are returned; others leave the count
 * unknown, which the caller treats as unbounded in size.
 */
export async function estimateImpact(sql: string, client: UserDatabricks): Promise<ImpactResult> {
  const plan = planDryRun(sql);
  const { unboundedBecause } = plan;
  const unbounded = unboundedBecause.length > 0;
  const impact = (rows: number | null, what: string): ImpactResult => ({ ok: true, impact: { rows, description: describe(rows, what, unboundedBecause), unbounded } });
  if (plan.kind === 'known') return impact(plan.rows, plan.description);
  if (plan.kind === 'unknown') return impact(null, plan.description);
  try {
    const result = await client.sql().query(plan.sql, undefined, { maxRows: 1 });
    return impact(parseCount(result.rows[0]?.[0]), plan.description);
  } catch (error) {
    const appError = toAppError(error);
    if (hasCode(appError, 'DATABRICKS.TABLE_NOT_FOUND') || hasCode(appError, 'DATABRICKS.SYNTAX')) return { ok: false, error: appError };
    return impact(null, `${plan.description} (${appError.userMessage})`);
  }
}

/** Four-eyes: unbounded changes, changes of unknown size and changes above the threshold. */
export function needsApprover(impact: ApprovalImpact, threshold: number): boolean {
  return impact.unbounded || impact.rows === null || impact.rows > threshold;
}
