import type { NewApproval, Principal } from '../../src/approvals/record';
import { newestFirst } from '../../src/persistence/keyset-page';
import type { ApprovalRecord } from '../../src/persistence/ports';
import type { InMemoryApprovalIndex } from './in-memory-approval-index';
import type { InMemoryApprovals } from './in-memory-approvals';

/** A small bounded change request by `requester`; `n` is in its SQL, so each listed card can be told apart. */
export function buildChangeRequest(requester: Principal, n: number): NewApproval {
  return {
    threadId: `thread-${requester.objectId}`, conversationId: `a:personal-${requester.objectId}`, requester, sql: `UPDATE main.retail.orders SET status = 'shipped' WHERE order_id = ${n}`,
    operation: 'UPDATE', targetTables: ['main.retail.orders'], impact: { rows: 1, description: '1 row', unbounded: false }, requiresApprover: false, ttlMinutes: 60,
  };
}

/**
 * Creates one request per instant (in the ledger and the index, as the Cosmos repository does), the
 * request numbered `first + i` at `instants[i]`. Returns them newest first, then greatest id first.
 */
export async function seedRequests(approvals: InMemoryApprovals, index: InMemoryApprovalIndex, requester: Principal, instants: Date[], first: number): Promise<ApprovalRecord[]> {
  const created: ApprovalRecord[] = [];
  for (const [i, at] of instants.entries()) {
    const record = await approvals.create(buildChangeRequest(requester, first + i), at);
    await index.add(record);
    created.push(record);
  }
  return created.sort(newestFirst);
}

/** `count` instants a minute apart from `start`, except that `tied` of them (from index `tieFrom`) share one instant. */
export function instantsWithTie(start: Date, count: number, tieFrom: number, tied: number): Date[] {
  return Array.from({ length: count }, (_, i) => new Date(start.getTime() + (i >= tieFrom && i < tieFrom + tied ? tieFrom : i) * 60_000));
}
