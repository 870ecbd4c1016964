/**
 * TEST FIXTURE: the checkpointer as it was before the thread head (src/persistence/checkpointer at
 * 94c5e68^, checked out with `git show`; only import paths changed). It writes the old layout the way
 * deployed instances wrote it, so the migration tests read real old-layout items. Never used by src/.
 */
import type { Container } from '@azure/cosmos';
import type { RunnableConfig } from '@langchain/core/runnables';
import {
  BaseCheckpointSaver,
  TASKS,
  WRITES_IDX_MAP,
  compareWritesSortKeys,
  copyCheckpoint,
  getCheckpointId,
  maxChannelVersion,
  writesSortKey,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type PendingWrite,
  type SerializerProtocol,
} from '@langchain/langgraph-checkpoint';
import { AppError } from '../../../src/errors';
import { cosmosCall, isCosmosStatus, mapCosmosError } from '../../../src/persistence/cosmos-errors';
import { deleteIfPresent, forEachLimited, queryAll, readItem } from '../../../src/persistence/cosmos-items';
import { PayloadStore, assertItemSize, type PayloadLimits, type StoredPayload } from '../../../src/persistence/payloads';
import { channelDocId, checkpointDocId, writeDocId, type ChannelDoc, type CheckpointDoc, type WriteDoc } from './documents';
import { metadataMatches } from '../../../src/persistence/checkpointer/metadata-filter';
import { latestQuery, listQuery, threadItemsQuery, writesQuery } from './queries';

/**
 * LangGraph checkpointer on Cosmos DB. Invariants:
 * - no multi-item atomicity is assumed: channel values and large payloads are written first and the
 *   checkpoint document last, so a crash never leaves a checkpoint pointing at missing data;
 * - `putWrites` never requires its checkpoint to exist (durability "exit" writes it afterwards);
 * - regular writes are insert-if-absent keyed (taskId, idx); special channels overwrite;
 * - every item stays under the 2 MB limit (large values go to the blobs container in chunks).
 */
export interface CosmosCheckpointSaverOptions {
  checkpoints: Container;
  blobs: Container;
  serde?: SerializerProtocol;
  payloadLimits?: PayloadLimits;
}

interface Address {
  threadId: string;
  ns: string;
}

const PAGE_SIZE = 50;
const PARALLEL_WRITES = 4;

function threadIdOf(config: RunnableConfig, operation: string): string {
  const threadId: unknown = config.configurable?.thread_id;
  if (typeof threadId !== 'string' || threadId === '') {
    throw new AppError('INTERNAL.UNEXPECTED', `${operation}: config.configurable.thread_id is required`);
  }
  return threadId;
}

function nsOf(config: RunnableConfig): string {
  const ns: unknown = config.configurable?.checkpoint_ns;
  return typeof ns === 'string' ? ns : '';
}

function configOf(threadId: string, ns: string, checkpointId: string): RunnableConfig {
  return { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: checkpointId } };
}

export class CosmosCheckpointSaver extends BaseCheckpointSaver {
  private readonly container: Container;
  private readonly payloads: PayloadStore;

  constructor(options: CosmosCheckpointSaverOptions) {
    super(options.serde);
    this.container = options.checkpoints;
    this.payloads = new PayloadStore(options.blobs, options.payloadLimits);
  }

  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const threadId: unknown = config.configurable?.thread_id;
    if (typeof threadId !== 'string' || threadId === '') return undefined;
    const ns = nsOf(config);
    const checkpointId = getCheckpointId(config);
    const doc = checkpointId
      ? await readItem<CheckpointDoc>(this.container, checkpointDocId(ns, checkpointId), threadId, 'read checkpoint')
      : await this.latest({ threadId, ns });
    return doc ? this.toTuple(doc) : undefined;
  }

  async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    const threadId: unknown = config.configurable?.thread_id;
    const ns: unknown = config.configurable?.checkpoint_ns;
    const checkpointId = getCheckpointId(config);
    const before = options?.before ? getCheckpointId(options.before) : '';
    const scoped = typeof threadId === 'string' && threadId !== '';
    const query = listQuery({ threadId: scoped ? threadId : undefined, ns: typeof ns === 'string' ? ns : undefined, checkpointId, before });
    const partition = scoped ? { partitionKey: threadId } : {};
    const iterator = this.container.items.query<CheckpointDoc>(query, { ...partition, maxItemCount: PAGE_SIZE });
    let remaining = options?.limit ?? Number.POSITIVE_INFINITY;
    while (remaining > 0 && iterator.hasMoreResults()) {
      const { resources } = await cosmosCall('list checkpoints', () => iterator.fetchNext());
      for (const doc of resources) {
        if (remaining <= 0) return;
        if (options?.filter) {
          const metadata = (await this.loadValue(doc.threadId, doc.metadata)) as CheckpointMetadata;
          if (!metadataMatches(metadata, options.filter)) continue;
        }
        remaining -= 1;
        yield await this.toTuple(doc);
      }
    }
  }

  async put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Promise<RunnableConfig> {
    const threadId = threadIdOf(config, 'put');
    const ns = nsOf(config);
    const parentId = getCheckpointId(config) || null;
    const prepared = copyCheckpoint(checkpoint);
    const values = prepared.channel_values;
    prepared.channel_values = {};

    const parent = parentId ? await readItem<CheckpointDoc>(this.container, checkpointDocId(ns, parentId), threadId, 'read parent checkpoint') : undefined;
    const channelWriters: Record<string, string> = {};
    for (const channel of Object.keys(prepared.channel_versions)) {
      const inherited = parent?.channelWriters[channel];
      if (inherited !== undefined) channelWriters[channel] = inherited;
    }
    const changed = Object.keys(newVersions).filter((channel) => Object.prototype.hasOwnProperty.call(values, channel));
    for (const channel of Object.keys(newVersions)) delete channelWriters[channel];
    await forEachLimited(changed, PARALLEL_WRITES, async (channel) => {
      const doc: ChannelDoc = {
        id: channelDocId(ns, channel, checkpoint.id),
        threadId,
        kind: 'channel',
        ns,
        channel,
        version: String(newVersions[channel]),
        writerCheckpointId: checkpoint.id,
        value: await this.saveValue(threadId, values[channel]),
      };
      assertItemSize(doc, `channel ${channel}`);
      await cosmosCall('write channel value', () => this.container.items.upsert(doc));
      channelWriters[channel] = checkpoint.id;
    });

    const doc: CheckpointDoc = {
      id: checkpointDocId(ns, checkpoint.id),
      threadId,
      kind: 'checkpoint',
      ns,
      checkpointId: checkpoint.id,
      parentCheckpointId: parentId,
      checkpoint: await this.saveValue(threadId, prepared),
      channelWriters,
      metadata: await this.saveValue(threadId, metadata),
      savedAt: new Date().toISOString(),
    };
    assertItemSize(doc, 'checkpoint');
    await cosmosCall('write checkpoint', () => this.container.items.upsert(doc));
    return configOf(threadId, ns, checkpoint.id);
  }

  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath?: string): Promise<void> {
    const threadId = threadIdOf(config, 'putWrites');
    const ns = nsOf(config);
    const checkpointId = getCheckpointId(config);
    if (!checkpointId) throw new AppError('INTERNAL.UNEXPECTED', 'putWrites: config.configurable.checkpoint_id is required');
    await forEachLimited(
      writes.map((write, index) => ({ write, idx: WRITES_IDX_MAP[write[0]] ?? index })),
      PARALLEL_WRITES,
      async ({ write: [channel, value], idx }) => {
        const doc: WriteDoc = {
          id: writeDocId(ns, checkpointId, taskId, idx),
          threadId,
          kind: 'write',
          ns,
          checkpointId,
          taskId,
          taskPath: taskPath ?? '',
          idx,
          channel,
          value: await this.saveValue(threadId, value),
        };
        assertItemSize(doc, `write ${channel}`);
        if (idx < 0) {
          await cosmosCall('write special write', () => this.container.items.upsert(doc));
          return;
        }
        try {
          await this.container.items.create(doc);
        } catch (error) {
          if (!isCosmosStatus(error, 409)) throw mapCosmosError(error, 'write pending write');
          await this.payloads.discard(threadId, doc.value);
        }
      },
    );
  }

  async deleteThread(threadId: string): Promise<void> {
    const docs = await queryAll<{ id: string; kind: string }>(this.container, threadItemsQuery(threadId), threadId, 'list thread items');
    const checkpointsFirst = [...docs].sort((a, b) => Number(b.kind === 'checkpoint') - Number(a.kind === 'checkpoint'));
    await forEachLimited(checkpointsFirst, 8, ({ id }) => deleteIfPresent(this.container, id, threadId, 'delete thread item'));
    await this.payloads.removeOwner(threadId);
  }

  private async latest({ threadId, ns }: Address): Promise<CheckpointDoc | undefined> {
    const query = latestQuery(threadId, ns);
    const [doc] = await queryAll<CheckpointDoc>(this.container, query, threadId, 'read latest checkpoint');
    return doc;
  }

  private async toTuple(doc: CheckpointDoc): Promise<CheckpointTuple> {
    const [checkpoint, metadata, pendingWrites] = await Promise.all([
      this.loadCheckpoint(doc),
      this.loadValue(doc.threadId, doc.metadata) as Promise<CheckpointMetadata>,
      this.pendingWrites({ threadId: doc.threadId, ns: doc.ns }, doc.checkpointId),
    ]);
    if (checkpoint.v < 4 && doc.parentCheckpointId) await this.migratePendingSends(checkpoint, doc, doc.parentCheckpointId);
    const tuple: CheckpointTuple = { config: configOf(doc.threadId, doc.ns, doc.checkpointId), checkpoint, metadata, pendingWrites };
    if (doc.parentCheckpointId) tuple.parentConfig = configOf(doc.threadId, doc.ns, doc.parentCheckpointId);
    return tuple;
  }

  private async loadCheckpoint(doc: CheckpointDoc): Promise<Checkpoint> {
    const checkpoint = (await this.loadValue(doc.threadId, doc.checkpoint)) as Checkpoint;
    const values: Record<string, unknown> = {};
    await Promise.all(
      Object.entries(doc.channelWriters).map(async ([channel, writer]) => {
        const stored = await readItem<ChannelDoc>(this.container, channelDocId(doc.ns, channel, writer), doc.threadId, 'read channel value');
        if (stored) values[channel] = await this.loadValue(doc.threadId, stored.value);
      }),
    );
    const ordered: Record<string, unknown> = {};
    for (const channel of Object.keys(checkpoint.channel_versions)) {
      if (Object.prototype.hasOwnProperty.call(values, channel)) ordered[channel] = values[channel];
    }
    checkpoint.channel_values = ordered;
    return checkpoint;
  }

  private async writeDocs({ threadId, ns }: Address, checkpointId: string): Promise<WriteDoc[]> {
    const query = writesQuery(threadId, ns, checkpointId);
    const docs = await queryAll<WriteDoc>(this.container, query, threadId, 'read pending writes');
    return docs.sort((a, b) => compareWritesSortKeys(writesSortKey(a.taskPath, a.taskId, a.idx), writesSortKey(b.taskPath, b.taskId, b.idx)));
  }

  private async pendingWrites(address: Address, checkpointId: string): Promise<CheckpointPendingWrite[]> {
    const docs = await this.writeDocs(address, checkpointId);
    return Promise.all(docs.map(async (doc): Promise<CheckpointPendingWrite> => [doc.taskId, doc.channel, await this.loadValue(doc.threadId, doc.value)]));
  }

  /** Checkpoints before format v4 kept pending sends as writes of their parent. */
  private async migratePendingSends(checkpoint: Checkpoint, doc: CheckpointDoc, parentCheckpointId: string): Promise<void> {
    const sends = (await this.writeDocs({ threadId: doc.threadId, ns: doc.ns }, parentCheckpointId)).filter((write) => write.channel === TASKS);
    checkpoint.channel_values[TASKS] = await Promise.all(sends.map((write) => this.loadValue(doc.threadId, write.value)));
    const versions = Object.values(checkpoint.channel_versions);
    checkpoint.channel_versions[TASKS] = versions.length > 0 ? maxChannelVersion(...versions) : this.getNextVersion(undefined);
  }

  private async saveValue(threadId: string, value: unknown): Promise<StoredPayload> {
    const [type, bytes] = await this.serde.dumpsTyped(value);
    return this.payloads.save(threadId, type, bytes);
  }

  private async loadValue(threadId: string, payload: StoredPayload): Promise<unknown> {
    return this.serde.loadsTyped(payload.type, await this.payloads.load(threadId, payload));
  }
}
