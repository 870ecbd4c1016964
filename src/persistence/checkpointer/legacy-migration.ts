import type { Container } from '@azure/cosmos';
import { queryAll } from '../cosmos-items';
import { jsonSize } from '../payloads';
import type { CheckpointCodec } from './checkpoint-codec';
import { checkpointDocId, type HistoryDoc, type WriteDoc, type WriteEntry } from './documents';
import type { HeadStore } from './head-store';
import type { LegacyLayout } from './legacy-layout';
import { writesQuery } from './queries';

/**
 * Old-layout pending writes above this size stay in their WriteDocs instead of joining the head: the
 * head and the history item (each up to SAVED_DATA_BUDGET_BYTES of data) and these writes must fit in
 * one transactional batch (1.9 MB, head-store.ts).
 */
const MIGRATED_WRITES_INLINE_BYTES = 256 * 1024;

export interface LegacyMigrationDeps {
  container: Container;
  legacy: LegacyLayout;
  heads: HeadStore;
  codec: CheckpointCodec;
}

/**
 * Migrate-on-read of a thread saved in the old layout (legacy-layout.ts): its latest checkpoint, with
 * its channel values and its pending writes, becomes the thread's head and a history item (the same id
 * as the old checkpoint item, rewritten in today's shape) in one transactional batch. The head is
 * create-only (If-Match when only early writes are held), so when two instances migrate at once one
 * batch wins and the other, on its retry, finds the head and writes nothing. Payloads (inline or blob
 * refs) are reused, never copied; old channel and write items are left in place (older checkpoints are
 * still read from them; `deleteThread` removes them with the thread). Returns false when the thread has
 * no old-layout checkpoint.
 */
export async function migrateLatestLegacy(deps: LegacyMigrationDeps, threadId: string, ns: string): Promise<boolean> {
  const doc = await deps.legacy.latest(threadId, ns);
  if (!doc) return false;
  const data = await deps.codec.fit(threadId, await deps.legacy.savedOf(doc));
  const docs = await queryAll<WriteDoc>(deps.container, writesQuery(threadId, ns, doc.checkpointId), threadId, 'read old-layout pending writes');
  const writes = docs.map(({ checkpointId, taskId, taskPath, idx, channel, value }): WriteEntry => ({ checkpointId, taskId, taskPath, idx, channel, value }));
  const history: HistoryDoc = {
    id: checkpointDocId(ns, doc.checkpointId),
    threadId,
    kind: 'checkpoint',
    ns,
    checkpointId: doc.checkpointId,
    parentCheckpointId: doc.parentCheckpointId,
    data,
    savedAt: doc.savedAt,
  };
  const options = jsonSize(writes) <= MIGRATED_WRITES_INLINE_BYTES ? { writes } : { writesInDocs: true };
  await deps.heads.commit(threadId, ns, async (head) => (head?.data ? undefined : history), options);
  return true;
}
