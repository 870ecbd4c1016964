import type { StoredPayload } from '../payloads';
import { compositeId } from '../item-ids';

/**
 * Item shapes of the `checkpoints` container (partition key `/threadId`). Per thread and namespace:
 * - one HeadDoc: the latest checkpoint with its channel values inline and its pending writes (a turn
 *   loads a thread with one point read; a `put` replaces it with If-Match in one transactional batch
 *   together with the checkpoint's HistoryDoc);
 * - one HistoryDoc per checkpoint (the last N; older ones become expiring tombstones);
 * - WriteDocs for writes to checkpoints that are no longer the head (sealed when the head moved on,
 *   or written later, e.g. to an older checkpoint).
 * Every read of a thread is single-partition.
 */

/** A checkpoint as stored: the checkpoint without `channel_values`, each value apart, the metadata. */
export interface SavedData {
  checkpoint: StoredPayload;
  values: Record<string, StoredPayload>;
  metadata: StoredPayload;
}

export interface WriteEntry {
  checkpointId: string;
  taskId: string;
  taskPath: string;
  idx: number;
  channel: string;
  value: StoredPayload;
}

export interface HeadDoc {
  id: string;
  threadId: string;
  kind: 'head';
  ns: string;
  /** null while only writes that arrived before their checkpoint (durability "exit") are held. */
  checkpointId: string | null;
  parentCheckpointId: string | null;
  data: SavedData | null;
  /** Pending writes of the head's checkpoint, and of newer checkpoints not put yet. */
  writes: WriteEntry[];
  /** Ids of the kept history items, oldest first (at most the history limit). */
  recent: string[];
  /** Checkpoints whose writes outgrew the head: the rest of their writes are WriteDocs. */
  spilledWrites?: string[];
  savedAt: string;
}

export interface HistoryDoc {
  id: string;
  threadId: string;
  kind: 'checkpoint';
  ns: string;
  checkpointId: string;
  parentCheckpointId: string | null;
  data: SavedData;
  savedAt: string;
}

/** What a pruned history item becomes: a marker the service deletes after `ttl` seconds. */
export interface TombstoneDoc {
  id: string;
  threadId: string;
  kind: 'pruned';
  ns: string;
  ttl: number;
}

export interface WriteDoc extends WriteEntry {
  id: string;
  threadId: string;
  kind: 'write';
  ns: string;
}

export const headDocId = (ns: string): string => compositeId('h.', [ns]);

export const checkpointDocId = (ns: string, checkpointId: string): string => compositeId('c.', [ns, checkpointId]);

export const writeDocId = (ns: string, checkpointId: string, taskId: string, idx: number): string =>
  compositeId('w.', [ns, checkpointId, taskId, idx]);

export function writeDocOf(threadId: string, ns: string, entry: WriteEntry): WriteDoc {
  return { ...entry, id: writeDocId(ns, entry.checkpointId, entry.taskId, entry.idx), threadId, kind: 'write', ns };
}

export function emptyHead(threadId: string, ns: string): HeadDoc {
  return { id: headDocId(ns), threadId, kind: 'head', ns, checkpointId: null, parentCheckpointId: null, data: null, writes: [], recent: [], savedAt: new Date().toISOString() };
}
