/**
 * The last look before an approved change runs, as the requester, after every decision check and
 * before the claim: the stored text must still be the guard's canonical text of an allowed change of
 * the same kind and target ("refused even if approved"), and a bounded change is counted again: more
 * rows than were approved (which also covers crossing the four-eyes threshold) and nothing runs.
 * Unbounded changes were approved as such by a member of the approvers group and are not re-counted.
 */
import type { UserDatabricks } from '../agents/ports';
import { AppError, toAppError } from '../errors';
import type { ApprovalRecord } from './record';
import { analyzeSql } from '../sql';
import { countImpact } from './impact';

export type Recheck = { ok: true; rowsNow: number | null } | { ok: false; error: AppError };

export async function recheckBeforeRun(record: ApprovalRecord, client: UserDatabricks): Promise<Recheck> {
  const { classification, canonical } = analyzeSql(record.sql);
  if (classification.kind !== 'write' || canonical !== record.sql) {
    const reason = classification.kind === 'refused' ? classification.reason : 'it is not the text the guard would run';
    return { ok: false, error: new AppError('SQL.REFUSED', `stored SQL refused at execution: ${reason}`) };
  }
  if (classification.operation !== record.operation || classification.targetTables.join(',') !== record.targetTables.join(',')) {
    return { ok: false, error: new AppError('APPROVAL.TAMPERED', 'stored SQL changes another table or operation than the record') };
  }
  const approved = record.impact.rows;
  if (record.impact.unbounded || approved === null) return { ok: true, rowsNow: null };
  let now;
  try {
    now = await countImpact(record.sql, client);
  } catch (error) {
    return { ok: false, error: toAppError(error) };
  }
  const rows = now.rows;
  if (now.unbounded || rows === null || rows > approved) {
    const counted = rows === null || now.unbounded ? 'could no longer be counted as a bound' : `now touches ${rows} row${rows === 1 ? '' : 's'}, more than the ${approved} approved`;
    return {
      ok: false,
      error: new AppError('APPROVAL.IMPACT_GREW', `re-count ${rows ?? 'unknown'} > approved ${approved}`, {
        userMessage: `The change ${counted}, so nothing ran. Send the request again to see the new count.`,
        details: { approvedRows: approved, rowsNow: rows },
      }),
    };
  }
  return { ok: true, rowsNow: rows };
}
