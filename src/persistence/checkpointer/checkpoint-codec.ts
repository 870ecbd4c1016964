import { copyCheckpoint, type ChannelVersions, type Checkpoint, type CheckpointMetadata, type SerializerProtocol } from '@langchain/langgraph-checkpoint';
import { jsonSize, type PayloadStore, type StoredPayload } from '../payloads';
import type { SavedData } from './documents';

/**
 * A checkpoint's stored form is kept under this size, so the head (which also holds pending writes)
 * and the history item fit together in one transactional batch (the service allows 2 MB per batch
 * request: https://learn.microsoft.com/azure/cosmos-db/concepts-limits#per-request-limits). The
 * largest inline values move to the blobs container until it fits.
 */
export const SAVED_DATA_BUDGET_BYTES = 600_000;

export class CheckpointCodec {
  constructor(
    private readonly serde: SerializerProtocol,
    private readonly payloads: PayloadStore,
  ) {}

  /**
   * Serializes a checkpoint; each channel value apart (binary values stay binary). Only channels in
   * `newVersions` are serialized; every other channel keeps the payload its parent stored (`parent`,
   * the stored form of the checkpoint this one follows), as LangGraph's contract asks ("only store
   * channel_values that have changed"): no re-serialization, no new blob chunks.
   */
  async save(threadId: string, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions, parent?: SavedData): Promise<SavedData> {
    const prepared = copyCheckpoint(checkpoint);
    const values = prepared.channel_values;
    prepared.channel_values = {};
    const stored: Record<string, StoredPayload> = {};
    for (const channel of Object.keys(prepared.channel_versions)) {
      const inherited = parent?.values[channel];
      if (inherited !== undefined) stored[channel] = inherited;
    }
    for (const channel of Object.keys(newVersions)) {
      delete stored[channel];
      if (Object.prototype.hasOwnProperty.call(values, channel)) stored[channel] = await this.saveValue(threadId, values[channel]);
    }
    const data: SavedData = { checkpoint: await this.saveValue(threadId, prepared), values: stored, metadata: await this.saveValue(threadId, metadata) };
    return this.fit(threadId, data);
  }

  async load(threadId: string, data: SavedData): Promise<Checkpoint> {
    const checkpoint = (await this.loadValue(threadId, data.checkpoint)) as Checkpoint;
    const entries = await Promise.all(Object.entries(data.values).map(async ([channel, payload]) => [channel, await this.loadValue(threadId, payload)] as const));
    const loaded = new Map(entries);
    const ordered: Record<string, unknown> = {};
    for (const channel of Object.keys(checkpoint.channel_versions)) if (loaded.has(channel)) ordered[channel] = loaded.get(channel);
    for (const [channel, value] of loaded) if (!(channel in ordered)) ordered[channel] = value;
    checkpoint.channel_values = ordered;
    return checkpoint;
  }

  async loadMetadata(threadId: string, data: SavedData): Promise<CheckpointMetadata> {
    return (await this.loadValue(threadId, data.metadata)) as CheckpointMetadata;
  }

  async saveValue(threadId: string, value: unknown, store: PayloadStore = this.payloads): Promise<StoredPayload> {
    const [type, bytes] = await this.serde.dumpsTyped(value);
    return store.save(threadId, type, bytes);
  }

  async loadValue(threadId: string, payload: StoredPayload): Promise<unknown> {
    return this.serde.loadsTyped(payload.type, await this.payloads.load(threadId, payload));
  }

  /** Moves the largest inline values to blobs until the stored form is within the budget. */
  async fit(threadId: string, data: SavedData): Promise<SavedData> {
    let size = jsonSize(data);
    if (size <= SAVED_DATA_BUDGET_BYTES) return data;
    const inline = Object.entries(data.values)
      .filter(([, payload]) => payload.enc !== 'ref')
      .map(([channel, payload]) => ({ channel, size: jsonSize(payload) }))
      .sort((a, b) => b.size - a.size);
    const values = { ...data.values };
    for (const { channel, size: valueSize } of inline) {
      if (size <= SAVED_DATA_BUDGET_BYTES) break;
      const spilled = await this.payloads.spill(threadId, values[channel] as StoredPayload);
      size += jsonSize(spilled) - valueSize;
      values[channel] = spilled;
    }
    return { ...data, values };
  }
}
