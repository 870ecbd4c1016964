import type { Container } from '@azure/cosmos';
import { AppError } from '../errors';
import type { ApprovalRecord } from '../approvals/record';
import { cosmosCall } from './cosmos-errors';

/**
 * Who asked for which approval, for `requests` (issue 17 item 7). The ledger (`approvals`) is
 * partitioned by id, so "my requests" would be a cross-partition scan; this container (partition key
 * `/key`) holds one small item per approval in its requester's partition (`requester:<tenant>:<oid>`)
 * and, for four-eyes changes, one in the tenant's `awaiting:<tenant>` partition. A list is one
 * single-partition query (newest first, a page of `maxItemCount` with Cosmos' continuation token: the
 * local emulator has no OFFSET/LIMIT) and point reads of the records, which stay the only truth about
 * status. Entries are written before the record, so a crash leaves at worst an entry whose record
 * does not exist (skipped when read), never a request missing from its requester's list.
 */
interface IndexDoc {
  id: string;
  key: string;
  createdAt: string;
}

export interface IndexPage {
  approvalIds: string[];
  /** Cosmos' continuation token for the next page; undefined on the last one. */
  continuation: string | undefined;
}

/** The most entries one page may ask for. */
export const MAX_INDEX_PAGE = 50;

export const requesterKey = (tenantId: string, objectId: string): string => `requester:${tenantId}:${objectId}`;
export const awaitingKey = (tenantId: string): string => `awaiting:${tenantId}`;

export interface ApprovalIndex {
  add(record: Pick<ApprovalRecord, 'id' | 'requester' | 'requiresApprover' | 'createdAt'>): Promise<void>;
  /** A page of one requester's approvals, newest first. */
  byRequester(tenantId: string, objectId: string, pageSize: number, continuation?: string): Promise<IndexPage>;
  /** A page of the tenant's four-eyes approvals, newest first (pending or not: the record says). */
  fourEyes(tenantId: string, pageSize: number, continuation?: string): Promise<IndexPage>;
}

export class CosmosApprovalIndex implements ApprovalIndex {
  constructor(private readonly container: Container) {}

  async add(record: Pick<ApprovalRecord, 'id' | 'requester' | 'requiresApprover' | 'createdAt'>): Promise<void> {
    const keys = [requesterKey(record.requester.tenantId, record.requester.objectId)];
    if (record.requiresApprover) keys.push(awaitingKey(record.requester.tenantId));
    for (const key of keys) {
      const doc: IndexDoc = { id: record.id, key, createdAt: record.createdAt };
      await cosmosCall('index approval', () => this.container.items.upsert(doc));
    }
  }

  byRequester(tenantId: string, objectId: string, pageSize: number, continuation?: string): Promise<IndexPage> {
    return this.page(requesterKey(tenantId, objectId), pageSize, continuation);
  }

  fourEyes(tenantId: string, pageSize: number, continuation?: string): Promise<IndexPage> {
    return this.page(awaitingKey(tenantId), pageSize, continuation);
  }

  private async page(key: string, pageSize: number, continuation: string | undefined): Promise<IndexPage> {
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_INDEX_PAGE) {
      throw new AppError('INPUT.INVALID', `an index page holds 1 to ${MAX_INDEX_PAGE} entries, not ${pageSize}`);
    }
    const query = { query: 'SELECT c.id, c.createdAt FROM c WHERE c.key = @key ORDER BY c.createdAt DESC', parameters: [{ name: '@key', value: key }] };
    const response = await cosmosCall('list approval index', () =>
      this.container.items.query<Pick<IndexDoc, 'id' | 'createdAt'>>(query, { partitionKey: key, maxItemCount: pageSize, ...(continuation ? { continuationToken: continuation } : {}) }).fetchNext(),
    );
    return { approvalIds: response.resources.map((r) => r.id), continuation: response.continuationToken ?? undefined };
  }
}
