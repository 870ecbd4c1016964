import { compareWritesSortKeys, writesSortKey } from '@langchain/langgraph-checkpoint';
import { emptyHead, type HeadDoc, type HistoryDoc, type WriteEntry } from './documents';

/**
 * Pure rules of the thread head. Checkpoint ids are uuid6, which sort by creation time, so "latest"
 * is the greatest id (as the query-based checkpointer had it):
 * - a checkpoint at least as new as the head becomes the head; one older than the head (a put of an
 *   old id) only gets its history item;
 * - the new head keeps the writes of its own checkpoint and of newer ones (writes may arrive before
 *   their checkpoint with durability "exit"); writes of older checkpoints are sealed as WriteDocs;
 * - the head lists the last `historyLimit` history items; older ones are pruned.
 */
export interface PutPlan {
  becomesHead: boolean;
  head: HeadDoc;
  sealed: WriteEntry[];
  pruned: string[];
}

export function planPut(current: HeadDoc | undefined, history: HistoryDoc, historyLimit: number): PutPlan {
  const id = history.checkpointId;
  const base = current ?? emptyHead(history.threadId, history.ns);
  if (base.checkpointId !== null && id < base.checkpointId) return { becomesHead: false, head: base, sealed: [], pruned: [] };
  const recent = [...base.recent.filter((kept) => kept !== id), id];
  const cut = Math.max(0, recent.length - historyLimit);
  const head: HeadDoc = {
    ...base,
    checkpointId: id,
    parentCheckpointId: history.parentCheckpointId,
    data: history.data,
    writes: base.writes.filter((write) => write.checkpointId >= id),
    recent: recent.slice(cut),
    savedAt: history.savedAt,
  };
  return { becomesHead: true, head, sealed: base.writes.filter((write) => write.checkpointId < id), pruned: recent.slice(0, cut) };
}

const sameSlot = (a: WriteEntry, b: WriteEntry): boolean => a.checkpointId === b.checkpointId && a.taskId === b.taskId && a.idx === b.idx;

/**
 * Regular writes (idx ≥ 0) are insert-if-absent per (checkpoint, task, idx); special channels
 * (idx < 0: errors, interrupts) overwrite. `losers` are incoming entries that were not kept.
 */
export function mergeWrites(existing: readonly WriteEntry[], incoming: readonly WriteEntry[]): { writes: WriteEntry[]; losers: WriteEntry[] } {
  const writes = [...existing];
  const losers: WriteEntry[] = [];
  for (const entry of incoming) {
    const at = writes.findIndex((write) => sameSlot(write, entry));
    if (at < 0) writes.push(entry);
    else if (entry.idx < 0) writes[at] = entry;
    else losers.push(entry);
  }
  return { writes, losers };
}

export function sortWrites<T extends WriteEntry>(writes: readonly T[]): T[] {
  return [...writes].sort((a, b) => compareWritesSortKeys(writesSortKey(a.taskPath, a.taskId, a.idx), writesSortKey(b.taskPath, b.taskId, b.idx)));
}
