import { BulkOperationType, type JSONObject, type OperationInput } from '@azure/cosmos';
import type { CachedHead } from './head-cache';
import type { HeadDoc } from './documents';

/**
 * A turn of one thread (root namespace) while this process holds the thread's lease: the head was
 * read by the claim, and every checkpoint write of the run (heads, history items, sealed writes,
 * tombstones) is kept here and committed at the end of the turn in ONE transactional batch together
 * with the lease's release (thread-turns.ts). Safe because the lease keeps every other run of the
 * thread out, and the batch still replaces the head with If-Match on the ETag the claim read, so a
 * head changed behind the lease (an expired lease taken over) fails the batch and changes nothing.
 * With durability "exit" LangGraph writes only at the end of a run anyway, so nothing becomes
 * visible later than before.
 */
export interface OpenTurn {
  threadId: string;
  /** The head as the claim read it: the If-Match of the commit (etag undefined: create-only). */
  readonly base: CachedHead;
  /** The head as the run left it so far. */
  head: HeadDoc | undefined;
  dirty: boolean;
  /** Items to upsert with the commit, by id (a later write of one id replaces the earlier one). */
  readonly upserts: Map<string, JSONObject>;
}

export function openTurn(threadId: string, base: CachedHead): OpenTurn {
  return { threadId, base, head: base.doc, dirty: false, upserts: new Map() };
}

export function queueUpsert(turn: OpenTurn, doc: { id: string }): void {
  turn.upserts.delete(doc.id);
  turn.upserts.set(doc.id, { ...doc } as JSONObject);
}

/** The thread was deleted during the turn (reset): nothing of it is committed, the head is gone. */
export function clearTurn(turn: OpenTurn): OpenTurn {
  return { threadId: turn.threadId, base: { etag: undefined, doc: undefined }, head: undefined, dirty: false, upserts: new Map() };
}

/** The head's operation of the commit, or none when the run left the head as it found it. */
export function headOperation(turn: OpenTurn): OperationInput | undefined {
  if (!turn.dirty || !turn.head) return undefined;
  const resourceBody = { ...turn.head } as unknown as JSONObject;
  return turn.base.etag === undefined
    ? { operationType: BulkOperationType.Create, resourceBody }
    : { operationType: BulkOperationType.Replace, id: turn.head.id, ifMatch: turn.base.etag, resourceBody };
}

export function upsertOperations(turn: OpenTurn): OperationInput[] {
  return [...turn.upserts.values()].map((resourceBody) => ({ operationType: BulkOperationType.Upsert, resourceBody }));
}
