import type { Container, SqlParameter } from '@azure/cosmos';
import { AppError } from '../errors';
import type { ApprovalRecord } from '../approvals/record';
import { cosmosCall } from './cosmos-errors';
import { type IndexCursor, type KeysetEntry, type KeysetPage, keysetPage } from './keyset-page';

/**
 * Who asked for which approval, for `requests` (issue 17 item 7). The ledger (`approvals`) is
 * partitioned by id, so "my requests" would be a cross-partition scan; this container (partition key
 * `/key`) holds one small item per approval in its requester's partition (`requester:<tenant>:<oid>`)
 * and, for four-eyes changes, one in the tenant's `awaiting:<tenant>` partition. A list is
 * single-partition queries and point reads of the records, which stay the only truth about status.
 * A requester's list is paged by a cursor (`keyset-page.ts`: `createdAt < x`, or `createdAt = x`
 * and `id < y`, with `TOP`; the local emulator has no OFFSET/LIMIT), so a page can be asked for
 * again later from a card; the four-eyes scan uses Cosmos' continuation token. Entries are written
 * before the record, so a crash leaves at worst an entry whose record does not exist (skipped when
 * read), never a request missing from its requester's list.
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

export interface RequesterPage {
  /** Newest first (by creation time, then id). */
  approvalIds: string[];
  /** Where the next (older) page starts; undefined on the last one. */
  next: IndexCursor | undefined;
}

export interface ApprovalIndex {
  add(record: Pick<ApprovalRecord, 'id' | 'requester' | 'requiresApprover' | 'createdAt'>): Promise<void>;
  /** A page of one requester's approvals, newest first: the newest ones, or those older than `before`. */
  byRequester(tenantId: string, objectId: string, pageSize: number, before?: IndexCursor): Promise<RequesterPage>;
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

  async byRequester(tenantId: string, objectId: string, pageSize: number, before?: IndexCursor): Promise<RequesterPage> {
    checkPageSize(pageSize);
    const key = requesterKey(tenantId, objectId);
    const source = {
      newest: (limit: number, cursor: IndexCursor | undefined) => this.newest(key, limit, cursor),
      sameInstant: (at: string, limit: number, cursor: IndexCursor | undefined) => this.sameInstant(key, at, limit, cursor),
    };
    const page: KeysetPage = await keysetPage(source, pageSize, before);
    return { approvalIds: page.entries.map((e) => e.id), next: page.next };
  }

  fourEyes(tenantId: string, pageSize: number, continuation?: string): Promise<IndexPage> {
    return this.page(awaitingKey(tenantId), pageSize, continuation);
  }

  /** Entries of `key` before `cursor`, newest first by `createdAt` only (one ORDER BY property needs no composite index). */
  private newest(key: string, limit: number, cursor: IndexCursor | undefined): Promise<KeysetEntry[]> {
    const after = cursor ? ' AND (c.createdAt < @at OR (c.createdAt = @at AND c.id < @id))' : '';
    const parameters = [{ name: '@key', value: key }, ...(cursor ? [{ name: '@at', value: cursor.createdAt }, { name: '@id', value: cursor.id }] : [])];
    return this.entries(`SELECT TOP @top c.id, c.createdAt FROM c WHERE c.key = @key${after} ORDER BY c.createdAt DESC`, parameters, key, limit);
  }

  /** Entries of `key` created exactly at `at` (and before `cursor` when it is at that instant), greatest id first. */
  private sameInstant(key: string, at: string, limit: number, cursor: IndexCursor | undefined): Promise<KeysetEntry[]> {
    const sameAsCursor = cursor?.createdAt === at;
    const parameters = [{ name: '@key', value: key }, { name: '@at', value: at }, ...(sameAsCursor ? [{ name: '@id', value: cursor.id }] : [])];
    return this.entries(`SELECT TOP @top c.id, c.createdAt FROM c WHERE c.key = @key AND c.createdAt = @at${sameAsCursor ? ' AND c.id < @id' : ''} ORDER BY c.id DESC`, parameters, key, limit);
  }

  private async entries(query: string, parameters: SqlParameter[], key: string, limit: number): Promise<KeysetEntry[]> {
    if (limit < 1) return [];
    const response = await cosmosCall('list approval index', () =>
      this.container.items.query<KeysetEntry>({ query, parameters: [...parameters, { name: '@top', value: limit }] }, { partitionKey: key, maxItemCount: limit }).fetchAll(),
    );
    return response.resources.map((r) => ({ id: r.id, createdAt: r.createdAt }));
  }

  private async page(key: string, pageSize: number, continuation: string | undefined): Promise<IndexPage> {
    checkPageSize(pageSize);
    const query = { query: 'SELECT c.id, c.createdAt FROM c WHERE c.key = @key ORDER BY c.createdAt DESC', parameters: [{ name: '@key', value: key }] };
    const response = await cosmosCall('list approval index', () =>
      this.container.items.query<Pick<IndexDoc, 'id' | 'createdAt'>>(query, { partitionKey: key, maxItemCount: pageSize, ...(continuation ? { continuationToken: continuation } : {}) }).fetchNext(),
    );
    return { approvalIds: response.resources.map((r) => r.id), continuation: response.continuationToken ?? undefined };
  }
}

function checkPageSize(pageSize: number): void {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_INDEX_PAGE) {
    throw new AppError('INPUT.INVALID', `an index page holds 1 to ${MAX_INDEX_PAGE} entries, not ${pageSize}`);
  }
}
