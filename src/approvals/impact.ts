/**
 * A change's impact: how many rows it touches, counted as the requester before the card is shown and
 * again just before it runs. A count that is not a bound (`src/sql/bounds.ts`) makes the change
 * unbounded, which always needs an approver from the approvers group.
 */
import type { UserDatabricks } from '../agents/ports';
import type { ApprovalImpact } from './record';
import { hasCode, toAppError, type AppError } from '../errors';
import { planDryRun, type DryRunPlan } from '../sql';

export type ImpactResult = { ok: true; impact: ApprovalImpact } | { ok: false; error: AppError };

function parseCount(cell: string | null | undefined): number | null {
  if (cell === null || cell === undefined || !/^\d+$/.test(cell.trim())) return null;
  return Number(cell.trim());
}

function impactOf(plan: DryRunPlan, rows: number | null, what = plan.description): ApprovalImpact {
  const size = rows === null ? `Could not be counted: ${what}` : `${rows} ${rows === 1 ? what.replace(/^rows\b/, 'row') : what}`;
  const reasons = plan.unboundedBecause;
  return { rows, description: reasons.length === 0 ? size : `${size}. Unbounded: ${reasons.join('; ')}`, unbounded: reasons.length > 0 };
}

async function count(plan: DryRunPlan, client: UserDatabricks): Promise<ApprovalImpact> {
  if (plan.kind === 'known') return impactOf(plan, plan.rows);
  if (plan.kind === 'unknown') return impactOf(plan, null);
  const result = await client.sql().query(plan.sql, undefined, { maxRows: 1 });
  return impactOf(plan, parseCount(result.rows[0]?.[0]));
}

/** Runs the change's dry run as the requester; Databricks errors are thrown as they are. */
export function countImpact(sql: string, client: UserDatabricks): Promise<ApprovalImpact> {
  return count(planDryRun(sql), client);
}

/**
 * The impact shown when a change is requested. Errors that mean the change cannot run at all (no such
 * table, bad syntax) are returned; others leave the count unknown, which needs an approver.
 */
export async function estimateImpact(sql: string, client: UserDatabricks): Promise<ImpactResult> {
  const plan = planDryRun(sql);
  try {
    return { ok: true, impact: await count(plan, client) };
  } catch (error) {
    const appError = toAppError(error);
    if (hasCode(appError, 'DATABRICKS.TABLE_NOT_FOUND') || hasCode(appError, 'DATABRICKS.SYNTAX')) return { ok: false, error: appError };
    return { ok: true, impact: impactOf(plan, null, `${plan.description} (${appError.userMessage})`) };
  }
}

/** Four-eyes: unbounded changes, changes of unknown size and changes above the threshold. */
export function needsApprover(impact: ApprovalImpact, threshold: number): boolean {
  return impact.unbounded || impact.rows === null || impact.rows > threshold;
}
