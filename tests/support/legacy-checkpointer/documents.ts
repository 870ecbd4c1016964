import type { StoredPayload } from '../../../src/persistence/payloads';
import { compositeId } from '../../../src/persistence/item-ids';

/**
 * Item shapes of the `checkpoints` container (partition key `/threadId`). One thread's checkpoints,
 * pending writes and channel values share a partition, so every read of a thread is single-partition.
 */
export interface CheckpointDoc {
  id: string;
  threadId: string;
  kind: 'checkpoint';
  ns: string;
  checkpointId: string;
  parentCheckpointId: string | null;
  /** The checkpoint with `channel_values` emptied; each value lives in the ChannelDoc its writer stored. */
  checkpoint: StoredPayload;
  /** channel → id of the checkpoint whose `put` stored the channel's current version. */
  channelWriters: Record<string, string>;
  metadata: StoredPayload;
  savedAt: string;
}

export interface WriteDoc {
  id: string;
  threadId: string;
  kind: 'write';
  ns: string;
  checkpointId: string;
  taskId: string;
  taskPath: string;
  idx: number;
  channel: string;
  value: StoredPayload;
}

export interface ChannelDoc {
  id: string;
  threadId: string;
  kind: 'channel';
  ns: string;
  channel: string;
  version: string;
  /** The checkpoint whose `put` stored this value; with a fork two writers may reuse one version. */
  writerCheckpointId: string;
  value: StoredPayload;
}

export const checkpointDocId = (ns: string, checkpointId: string): string => compositeId('c.', [ns, checkpointId]);

export const writeDocId = (ns: string, checkpointId: string, taskId: string, idx: number): string =>
  compositeId('w.', [ns, checkpointId, taskId, idx]);

export const channelDocId = (ns: string, channel: string, writerCheckpointId: string): string =>
  compositeId('v.', [ns, channel, writerCheckpointId]);
