import { BulkOperationType, type Container, type JSONObject, type OperationInput, type OperationResponse } from '@azure/cosmos';
import { AppError } from '../../errors';
import { DEDUPE_TTL_SECONDS } from '../containers';
import { cosmosCall, cosmosStatus, mapCosmosError } from '../cosmos-errors';
import { readItem } from '../cosmos-items';
import { compositeId } from '../item-ids';
import { jsonSize } from '../payloads';
import type { Lease, LeaseStore, TurnClaim, TurnLeaseStore } from '../ports';
import { headDocId, type HeadDoc } from './documents';
import { headOperation, upsertOperations } from './head-turn';
import type { HeadStore } from './head-store';

/**
 * The thread lease, the activity dedupe marker and the thread head in ONE partition (the thread's, in
 * the `checkpoints` container), so that a turn costs two requests of its own:
 * - claim: one transactional batch [create (or If-Match take over) the lease item, create the
 *   activity's marker, read the head]. All or nothing: a redelivered activity (marker 409) or a thread
 *   leased by another run (lease 409/412) takes nothing, and the run starts with the head it read;
 * - commit: one transactional batch [the head with If-Match on the ETag the claim read (create-only
 *   when there was none), the turn's history items, sealed writes and tombstones, delete the lease with
 *   If-Match on its ETag]. A run whose lease was taken over, or whose head was changed behind it, fails
 *   the batch and changes nothing (https://learn.microsoft.com/azure/cosmos-db/nosql/transactional-batch).
 * Lease rules as in the `leases` container before: a free lease is a create (409 → held), an expired
 * one is an If-Match replace (412 → lost), the same owner may renew its own lease.
 */
interface LeaseItem {
  id: string;
  threadId: string;
  kind: 'lease';
  owner: string;
  expiresAt: number;
  /** Seconds: the service removes a lease whose holder died (correctness never depends on it). */
  ttl: number;
}

export const LEASE_ITEM_ID = 'l.thread';
const KEY_PREFIX = 'thread:';
const MAX_BATCH_OPERATIONS = 100;
const MAX_BATCH_BYTES = 1_900_000;
const MAX_CLAIM_ROUNDS = 4;

/**
 * Delete with If-Match inside the batch. The batch REST format carries `ifMatch` on every operation
 * (the .NET SDK's TransactionalBatchItemRequestOptions.IfMatchEtag on DeleteItem); @azure/cosmos 4.9
 * leaves it out of DeleteOperationInput's type but sends the operation objects as given (Items.batch
 * posts `operations` unchanged), and the emulator's deleteOperation checks it (412 on a mismatch).
 */
const leaseDelete = (etag: string): OperationInput => ({ operationType: BulkOperationType.Delete, id: LEASE_ITEM_ID, ifMatch: etag }) as OperationInput;

export const seenItemId = (activityKey: string): string => compositeId('d.', [activityKey]);

function threadOf(key: string): string {
  if (!key.startsWith(KEY_PREFIX) || key.length === KEY_PREFIX.length) throw new AppError('INTERNAL.UNEXPECTED', `thread leases take keys "thread:<id>", got "${key}"`);
  return key.slice(KEY_PREFIX.length);
}

const failedOf = (results: readonly OperationResponse[]): { index: number; status: number } | undefined => {
  const index = results.findIndex((r) => r.statusCode >= 400 && r.statusCode !== 424);
  return index < 0 ? undefined : { index, status: results[index]?.statusCode ?? 0 };
};

export class ThreadTurnStore implements LeaseStore, TurnLeaseStore {
  constructor(
    private readonly container: Container,
    private readonly heads: HeadStore,
    private readonly now: () => number = Date.now,
  ) {}

  async beginTurn(threadId: string, owner: string, ttlMs: number, activityKey?: string): Promise<TurnClaim> {
    let existing: (LeaseItem & { _etag: string }) | undefined;
    let readHead = true;
    for (let round = 0; round < MAX_CLAIM_ROUNDS; round += 1) {
      const lease = this.leaseItem(threadId, owner, ttlMs);
      const ops: OperationInput[] = [
        existing
          ? { operationType: BulkOperationType.Replace, id: LEASE_ITEM_ID, ifMatch: existing._etag, resourceBody: { ...lease } }
          : { operationType: BulkOperationType.Create, resourceBody: { ...lease } },
      ];
      if (activityKey !== undefined) ops.push({ operationType: BulkOperationType.Create, resourceBody: { id: seenItemId(activityKey), threadId, kind: 'seen', ttl: DEDUPE_TTL_SECONDS } });
      if (readHead) ops.push({ operationType: BulkOperationType.Read, id: headDocId('') });
      const results = (await cosmosCall('claim thread turn', () => this.container.items.batch(ops, threadId))).result ?? [];
      const failed = failedOf(results);
      if (!failed && results.length === ops.length) {
        const head = readHead ? results[ops.length - 1] : undefined;
        const doc = head?.resourceBody as (HeadDoc & { _etag?: string }) | undefined;
        this.heads.beginTurn(threadId, doc ? { etag: head?.eTag ?? doc._etag, doc } : { etag: undefined, doc: undefined });
        return { kind: 'claimed', lease: { key: `${KEY_PREFIX}${threadId}`, owner, expiresAt: lease.expiresAt, etag: results[0]?.eTag ?? '' } };
      }
      if (!failed) throw new AppError('STORAGE.UNAVAILABLE', 'the thread claim returned no results');
      if (failed.index === 1 && activityKey !== undefined && failed.status === 409) return { kind: 'duplicate' };
      if (failed.index === ops.length - 1 && readHead && failed.status === 404) {
        readHead = false; // a new thread: no head yet (the commit creates it, create-only)
        continue;
      }
      if (failed.index !== 0 || ![404, 409, 412].includes(failed.status)) throw mapCosmosError({ code: failed.status }, 'claim thread turn');
      existing = await readItem<LeaseItem>(this.container, LEASE_ITEM_ID, threadId, 'read thread lease');
      if (existing && existing.expiresAt > this.now() && existing.owner !== owner) {
        if (activityKey !== undefined && !(await this.claimActivity(threadId, activityKey))) return { kind: 'duplicate' };
        return { kind: 'busy' };
      }
    }
    throw new AppError('STORAGE.CONFLICT', `the lease of thread ${threadId} kept changing while it was claimed`);
  }

  /** The activity's marker alone (the thread is busy; the run waits for the lease later): false for a redelivery. */
  async claimActivity(threadId: string, activityKey: string): Promise<boolean> {
    try {
      await this.container.items.create({ id: seenItemId(activityKey), threadId, kind: 'seen', ttl: DEDUPE_TTL_SECONDS });
      return true;
    } catch (error) {
      if (cosmosStatus(error) === 409) return false;
      throw mapCosmosError(error, 'claim activity');
    }
  }

  async endTurn(lease: Lease, extra: readonly JSONObject[] = []): Promise<void> {
    const threadId = threadOf(lease.key);
    const turn = await this.heads.endTurn(threadId);
    const head = turn ? headOperation(turn) : undefined;
    let upserts = turn ? upsertOperations(turn) : [];
    const tail: OperationInput[] = [
      ...extra.map((resourceBody): OperationInput => ({ operationType: BulkOperationType.Create, resourceBody })),
      leaseDelete(lease.etag),
    ];
    const size = (list: OperationInput[]): number => jsonSize([...(head ? [head] : []), ...list, ...tail]);
    if (upserts.length + tail.length + 1 > MAX_BATCH_OPERATIONS || size(upserts) > MAX_BATCH_BYTES) {
      // History items and sealed writes are idempotent upserts nothing points at until the head moves.
      const ahead = upserts.filter((op) => (op as { resourceBody?: { kind?: string } }).resourceBody?.kind !== 'pruned');
      for (const op of ahead) await cosmosCall('write checkpoint item', () => this.container.items.upsert((op as { resourceBody: JSONObject }).resourceBody));
      upserts = upserts.filter((op) => !ahead.includes(op)).slice(0, MAX_BATCH_OPERATIONS - tail.length - 1);
    }
    const ops = [...(head ? [head] : []), ...upserts, ...tail];
    if (jsonSize(ops) > MAX_BATCH_BYTES) throw new AppError('STORAGE.TOO_LARGE', `turn commit is ${jsonSize(ops)} bytes, over the ${MAX_BATCH_BYTES}-byte batch limit`);
    let results: OperationResponse[];
    try {
      results = (await cosmosCall('commit thread turn', () => this.container.items.batch(ops, threadId))).result ?? [];
    } catch (error) {
      if (turn) this.heads.settleTurn(turn, undefined);
      throw error;
    }
    const failed = failedOf(results);
    if (!failed && results.length === ops.length) {
      if (turn) this.heads.settleTurn(turn, head ? results[0]?.eTag : turn.base.etag);
      return;
    }
    if (turn) this.heads.settleTurn(turn, undefined);
    // Nothing to save and the lease already gone or taken over: releasing it is done.
    if (!turn && failed && [404, 412].includes(failed.status)) return;
    const what = failed && failed.index === ops.length - 1 ? 'the thread lease was taken over' : 'the thread head changed behind the lease';
    if (failed && [404, 409, 412].includes(failed.status)) throw new AppError('STORAGE.CONFLICT', `turn of thread ${threadId} not saved: ${what}`);
    throw mapCosmosError({ code: failed?.status }, 'commit thread turn');
  }

  /** Takes or renews the lease alone (renewals, runs that waited): create, or If-Match replace when free, expired or ours. */
  async acquire(key: string, owner: string, ttlMs: number): Promise<Lease | undefined> {
    const threadId = threadOf(key);
    const item = this.leaseItem(threadId, owner, ttlMs);
    try {
      const { resource } = await this.container.items.create(item);
      return { key, owner, expiresAt: item.expiresAt, etag: resource?._etag ?? '' };
    } catch (error) {
      if (cosmosStatus(error) !== 409) throw mapCosmosError(error, 'acquire thread lease');
    }
    const existing = await readItem<LeaseItem>(this.container, LEASE_ITEM_ID, threadId, 'read thread lease');
    if (!existing || (existing.expiresAt > this.now() && existing.owner !== owner)) return undefined;
    try {
      const { resource } = await this.container.item(LEASE_ITEM_ID, threadId).replace(item, { accessCondition: { type: 'IfMatch', condition: existing._etag } });
      return { key, owner, expiresAt: item.expiresAt, etag: resource?._etag ?? '' };
    } catch (error) {
      if ([404, 409, 412].includes(cosmosStatus(error) ?? 0)) return undefined;
      throw mapCosmosError(error, 'acquire thread lease');
    }
  }

  /** Deletes the lease only if it is still this version; the thread's open turn (if any) is committed with it. */
  async release(lease: Lease): Promise<void> {
    await this.endTurn(lease);
  }

  private leaseItem(threadId: string, owner: string, ttlMs: number): LeaseItem {
    return { id: LEASE_ITEM_ID, threadId, kind: 'lease', owner, expiresAt: this.now() + ttlMs, ttl: Math.ceil(ttlMs / 1000) + 600 };
  }
}
