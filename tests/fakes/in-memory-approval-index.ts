import { type ApprovalIndex, awaitingKey, type IndexPage, type RequesterPage, requesterKey } from '../../src/persistence/approval-index';
import { type IndexCursor, type KeysetEntry, isOlderThan, keysetPage } from '../../src/persistence/keyset-page';
import type { ApprovalRecord } from '../../src/persistence/ports';

/**
 * In-memory ApprovalIndex with the Cosmos one's paging: requester pages go through the same
 * `keysetPage`, over a store that orders by `createdAt` only and returns ties in the worst order
 * for a page boundary (smallest id first), as Cosmos may.
 */
export class InMemoryApprovalIndex implements ApprovalIndex {
  readonly entries: (KeysetEntry & { key: string })[] = [];

  async add(record: Pick<ApprovalRecord, 'id' | 'requester' | 'requiresApprover' | 'createdAt'>): Promise<void> {
    const keys = [requesterKey(record.requester.tenantId, record.requester.objectId)];
    if (record.requiresApprover) keys.push(awaitingKey(record.requester.tenantId));
    for (const key of keys) this.entries.push({ key, id: record.id, createdAt: record.createdAt });
  }

  async byRequester(tenantId: string, objectId: string, pageSize: number, before?: IndexCursor): Promise<RequesterPage> {
    const key = requesterKey(tenantId, objectId);
    const after = (e: KeysetEntry, cursor: IndexCursor | undefined): boolean => cursor === undefined || isOlderThan(e, cursor);
    const page = await keysetPage(
      {
        newest: async (limit, cursor) => this.of(key).filter((e) => after(e, cursor)).sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? 1 : -1)).slice(0, limit),
        sameInstant: async (at, limit, cursor) => this.of(key).filter((e) => e.createdAt === at && after(e, cursor)).sort((a, b) => (a.id < b.id ? 1 : -1)).slice(0, limit),
      },
      pageSize,
      before,
    );
    return { approvalIds: page.entries.map((e) => e.id), next: page.next };
  }

  async fourEyes(tenantId: string, pageSize: number): Promise<IndexPage> {
    const ids = this.of(awaitingKey(tenantId)).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)).map((e) => e.id);
    return { approvalIds: ids.slice(0, pageSize), continuation: ids.length > pageSize ? 'more' : undefined };
  }

  private of(key: string): KeysetEntry[] {
    return this.entries.filter((e) => e.key === key).map(({ id, createdAt }) => ({ id, createdAt }));
  }
}
