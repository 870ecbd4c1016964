import type { Container, SqlQuerySpec } from '@azure/cosmos';
import { queryAll, readItem } from '../cosmos-items';
import type { StoredPayload } from '../payloads';
import { compositeId } from '../item-ids';
import type { HistoryDoc, SavedData } from './documents';

/**
 * The layout before the thread head (commit 94c5e68^, see `git log -p src/persistence/checkpointer`):
 * - a checkpoint item (same id `c.<ns>.<checkpointId>` and kind as today's HistoryDoc) without
 *   `data`: the checkpoint with empty `channel_values`, `channelWriters` (channel → the checkpoint whose
 *   put stored its value) and the metadata;
 * - one channel item per (channel, writer checkpoint) holding the value;
 * - pending writes as WriteDocs, whose shape and ids the head layout kept unchanged (documents.ts).
 * Threads saved that way have no head. Their checkpoints are read from these items, and the latest one
 * becomes the head on first read (cosmos-checkpoint-saver.ts), so a graph paused before the upgrade
 * resumes after it. Nothing here writes the old layout.
 */
export interface LegacyCheckpointDoc {
  id: string;
  threadId: string;
  kind: 'checkpoint';
  ns: string;
  checkpointId: string;
  parentCheckpointId: string | null;
  checkpoint: StoredPayload;
  channelWriters: Record<string, string>;
  metadata: StoredPayload;
  savedAt: string;
}

interface LegacyChannelDoc {
  id: string;
  kind: 'channel';
  value: StoredPayload;
}

export type StoredCheckpointDoc = HistoryDoc | LegacyCheckpointDoc;

export const legacyChannelDocId = (ns: string, channel: string, writerCheckpointId: string): string => compositeId('v.', [ns, channel, writerCheckpointId]);

export function isLegacyCheckpoint(doc: unknown): doc is LegacyCheckpointDoc {
  if (typeof doc !== 'object' || doc === null) return false;
  const candidate = doc as Partial<LegacyCheckpointDoc> & { data?: unknown };
  return candidate.kind === 'checkpoint' && candidate.data === undefined && typeof candidate.channelWriters === 'object' && candidate.channelWriters !== null && typeof candidate.checkpoint === 'object';
}

/** uuid6 checkpoint ids sort by creation time: the greatest id is the latest (as the old `latestQuery`). */
function latestLegacyQuery(threadId: string, ns: string): SqlQuerySpec {
  return {
    query: "SELECT TOP 1 * FROM c WHERE c.threadId = @threadId AND c.kind = 'checkpoint' AND c.ns = @ns AND IS_DEFINED(c.channelWriters) ORDER BY c.checkpointId DESC",
    parameters: [
      { name: '@threadId', value: threadId },
      { name: '@ns', value: ns },
    ],
  };
}

export class LegacyLayout {
  constructor(private readonly container: Container) {}

  /** The latest checkpoint of a thread in the old layout, if any (one query). */
  async latest(threadId: string, ns: string): Promise<LegacyCheckpointDoc | undefined> {
    const [doc] = await queryAll<LegacyCheckpointDoc>(this.container, latestLegacyQuery(threadId, ns), threadId, 'read latest old-layout checkpoint');
    return isLegacyCheckpoint(doc) ? doc : undefined;
  }

  /**
   * The stored form of an old checkpoint in today's shape: its payloads are reused as they are (inline
   * or blob refs owned by the same thread), each channel value read from its channel item. A channel
   * whose item is missing is left out, as the old reader did.
   */
  async savedOf(doc: LegacyCheckpointDoc): Promise<SavedData> {
    const entries = await Promise.all(
      Object.entries(doc.channelWriters).map(async ([channel, writer]) => {
        const stored = await readItem<LegacyChannelDoc>(this.container, legacyChannelDocId(doc.ns, channel, writer), doc.threadId, 'read old-layout channel value');
        return stored ? ([channel, stored.value] as const) : undefined;
      }),
    );
    const values: Record<string, StoredPayload> = {};
    for (const entry of entries) if (entry) values[entry[0]] = entry[1];
    return { checkpoint: doc.checkpoint, values, metadata: doc.metadata };
  }
}
