import type { UserDatabricks } from '../ports';
import type { ApprovalImpact, WriteOperation } from '../../persistence/ports';
import { hasCode, toAppError, type AppError } from '../../errors';
import { planDryRun, type WriteClassification } from '../../sql';

export type ImpactResult = { ok: true; impact: ApprovalImpact } | { ok: false; error: AppError };

function parseCount(cell: string | null | undefined): number | null {
  if (cell === null || cell === undefined || !/^\d+$/.test(cell.trim())) return null;
  return Number(cell.trim());
}

function isUnbounded(operation: WriteOperation, hasWhere: boolean): boolean {
  return (operation === 'UPDATE' || operation === 'DELETE') && !hasWhere;
}

/**
 * Estimates a write's impact by running its derived COUNT query as the requesting user. Errors that
 * mean the change cannot run at all (no such table, bad syntax) are returned; others leave the row
 * count unknown, which the caller treats as large.
 */
export async function estimateImpact(sql: string, write: WriteClassification, client: UserDatabricks): Promise<ImpactResult> {
  const unbounded = isUnbounded(write.operation, write.hasWhere);
  const plan = planDryRun(sql);
  const suffix = unbounded ? ' (no WHERE clause: the whole table)' : '';
  if (plan.kind === 'known') return { ok: true, impact: { rows: plan.rows, description: `${plan.rows} ${plan.description}${suffix}`, unbounded } };
  if (plan.kind === 'unknown') return { ok: true, impact: { rows: null, description: `Impact could not be estimated: ${plan.description}${suffix}`, unbounded } };
  try {
    const result = await client.sql().query(plan.sql, undefined, { maxRows: 1 });
    const rows = parseCount(result.rows[0]?.[0]);
    const description = rows === null ? `Impact could not be estimated: ${plan.description}` : `${rows} ${plan.description}`;
    return { ok: true, impact: { rows, description: `${description}${suffix}`, unbounded } };
  } catch (error) {
    const appError = toAppError(error);
    if (hasCode(appError, 'DATABRICKS.TABLE_NOT_FOUND') || hasCode(appError, 'DATABRICKS.SYNTAX')) return { ok: false, error: appError };
    return { ok: true, impact: { rows: null, description: `Impact could not be estimated (${appError.userMessage})${suffix}`, unbounded } };
  }
}

/** Four-eyes: unbounded changes, changes of unknown size and changes above the threshold. */
export function needsApprover(impact: ApprovalImpact, threshold: number): boolean {
  return impact.unbounded || impact.rows === null || impact.rows > threshold;
}
