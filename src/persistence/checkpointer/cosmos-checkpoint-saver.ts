import type { Container } from '@azure/cosmos';
import type { RunnableConfig } from '@langchain/core/runnables';
import {
  BaseCheckpointSaver,
  TASKS,
  WRITES_IDX_MAP,
  getCheckpointId,
  maxChannelVersion,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type PendingWrite,
  type SerializerProtocol,
} from '@langchain/langgraph-checkpoint';
import { AppError } from '../../errors';
import { cosmosCall } from '../cosmos-errors';
import { deleteIfPresent, forEachLimited, queryAll, readItem } from '../cosmos-items';
import { DEFAULT_PAYLOAD_LIMITS, PayloadStore, type PayloadLimits } from '../payloads';
import { CheckpointCodec } from './checkpoint-codec';
import { checkpointDocId, type HeadDoc, type HistoryDoc, type WriteDoc, type WriteEntry } from './documents';
import { HeadCache } from './head-cache';
import { HeadStore } from './head-store';
import { LegacyLayout, isLegacyCheckpoint, type StoredCheckpointDoc } from './legacy-layout';
import { migrateLatestLegacy } from './legacy-migration';
import { sortWrites } from './head-plan';
import { metadataMatches } from './metadata-filter';
import { listQuery, threadItemsQuery, writesQuery } from './queries';
import { ThreadTurnStore } from './thread-turns';

/**
 * LangGraph checkpointer on Cosmos DB with a thread head (see documents.ts). Invariants:
 * - loading the latest checkpoint of a thread is one point read (the head);
 * - a `put` is one transactional batch: the head replaced with If-Match, the history item, the sealed
 *   writes of the previous head and the tombstones of pruned history, all or nothing; large values are
 *   written to blobs before it, so a crash never leaves a checkpoint pointing at missing data;
 * - `putWrites` never requires its checkpoint to exist (durability "exit" writes it afterwards);
 * - regular writes are insert-if-absent keyed (taskId, idx); special channels overwrite;
 * - every item stays under the 2 MB limit (large values go to the blobs container in chunks).
 */
export interface CosmosCheckpointSaverOptions {
  checkpoints: Container;
  blobs: Container;
  serde?: SerializerProtocol;
  payloadLimits?: PayloadLimits;
  /** History items kept per thread and namespace (default 20); older ones are pruned. */
  historyLimit?: number;
}

const PAGE_SIZE = 50;
/** Pending writes above this size go to blobs, so many writes still fit in the head. */
const HEAD_WRITE_INLINE_BYTES = 32 * 1024;

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

/** History items of the current layout (values inline in `data`); the previous layout is legacy-layout.ts. */
function isCurrentLayout(doc: StoredCheckpointDoc | undefined): doc is HistoryDoc {
  return doc?.kind === 'checkpoint' && 'data' in doc && typeof doc.data === 'object' && doc.data !== null;
}

type Saved = Pick<HistoryDoc, 'threadId' | 'ns' | 'checkpointId' | 'parentCheckpointId' | 'data'>;

export class CosmosCheckpointSaver extends BaseCheckpointSaver {
  private readonly container: Container;
  private readonly payloads: PayloadStore;
  private readonly codec: CheckpointCodec;
  private readonly writePayloads: PayloadStore;
  private readonly heads: HeadStore;
  private readonly legacy: LegacyLayout;

  constructor(options: CosmosCheckpointSaverOptions) {
    super(options.serde);
    const limits = options.payloadLimits ?? DEFAULT_PAYLOAD_LIMITS;
    this.container = options.checkpoints;
    this.payloads = new PayloadStore(options.blobs, limits);
    this.writePayloads = new PayloadStore(options.blobs, { ...limits, inlineMaxBytes: Math.min(limits.inlineMaxBytes, HEAD_WRITE_INLINE_BYTES) });
    this.codec = new CheckpointCodec(this.serde, this.payloads);
    this.heads = new HeadStore(this.container, new HeadCache(), options.historyLimit ?? 20);
    this.legacy = new LegacyLayout(this.container);
  }

  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const threadId: unknown = config.configurable?.thread_id;
    if (typeof threadId !== 'string' || threadId === '') return undefined;
    const ns = nsOf(config);
    const checkpointId = getCheckpointId(config);
    const head = await this.headOf(threadId, ns);
    if (head?.data && head.checkpointId !== null && (!checkpointId || checkpointId === head.checkpointId)) {
      return this.toTuple({ ...head, data: head.data, checkpointId: head.checkpointId }, head);
    }
    if (!checkpointId) return undefined;
    const doc = await readItem<StoredCheckpointDoc>(this.container, checkpointDocId(ns, checkpointId), threadId, 'read checkpoint');
    const saved = await this.savedOf(doc);
    return saved ? this.toTuple(saved, head) : undefined;
  }

  async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    const threadId: unknown = config.configurable?.thread_id;
    const ns: unknown = config.configurable?.checkpoint_ns;
    const checkpointId = getCheckpointId(config);
    const before = options?.before ? getCheckpointId(options.before) : '';
    const scoped = typeof threadId === 'string' && threadId !== '';
    const query = listQuery({ threadId: scoped ? threadId : undefined, ns: typeof ns === 'string' ? ns : undefined, checkpointId, before });
    const partition = scoped ? { partitionKey: threadId } : {};
    const iterator = this.container.items.query<StoredCheckpointDoc>(query, { ...partition, maxItemCount: PAGE_SIZE });
    const heads = new Map<string, Promise<HeadDoc | undefined>>();
    let remaining = options?.limit ?? Number.POSITIVE_INFINITY;
    while (remaining > 0 && iterator.hasMoreResults()) {
      const { resources } = await cosmosCall('list checkpoints', () => iterator.fetchNext());
      for (const stored of resources) {
        if (remaining <= 0) return;
        const doc = await this.savedOf(stored);
        if (!doc) continue;
        if (options?.filter) {
          const metadata = await this.codec.loadMetadata(doc.threadId, doc.data);
          if (!metadataMatches(metadata, options.filter)) continue;
        }
        remaining -= 1;
        const key = HeadCache.keyOf(doc.threadId, doc.ns);
        if (!heads.has(key)) heads.set(key, this.heads.read(doc.threadId, doc.ns));
        yield await this.toTuple(doc, await heads.get(key));
      }
    }
  }

  async put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Promise<RunnableConfig> {
    const threadId = threadIdOf(config, 'put');
    const ns = nsOf(config);
    const parentId = getCheckpointId(config) || null;
    await this.heads.commit(threadId, ns, async (head) => {
      const parent = parentId === null ? undefined : head?.checkpointId === parentId && head.data ? head.data : await this.historyData(threadId, ns, parentId);
      const data = await this.codec.save(threadId, checkpoint, metadata, newVersions, parent);
      const history: HistoryDoc = { id: checkpointDocId(ns, checkpoint.id), threadId, kind: 'checkpoint', ns, checkpointId: checkpoint.id, parentCheckpointId: parentId, data, savedAt: new Date().toISOString() };
      return history;
    });
    return configOf(threadId, ns, checkpoint.id);
  }

  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath?: string): Promise<void> {
    const threadId = threadIdOf(config, 'putWrites');
    const ns = nsOf(config);
    const checkpointId = getCheckpointId(config);
    if (!checkpointId) throw new AppError('INTERNAL.UNEXPECTED', 'putWrites: config.configurable.checkpoint_id is required');
    const entries: WriteEntry[] = await Promise.all(
      writes.map(async ([channel, value], index) => ({
        checkpointId,
        taskId,
        taskPath: taskPath ?? '',
        idx: WRITES_IDX_MAP[channel] ?? index,
        channel,
        value: await this.codec.saveValue(threadId, value, this.writePayloads),
      })),
    );
    const losers = await this.heads.addWrites(threadId, ns, checkpointId, entries);
    await Promise.all(losers.map((loser) => this.payloads.discard(threadId, loser.value)));
  }

  /** Thread leases and dedupe markers in each thread's partition, committing a leased turn in one batch (thread-turns.ts). */
  turnLeases(): ThreadTurnStore {
    return new ThreadTurnStore(this.container, this.heads);
  }

  async deleteThread(threadId: string): Promise<void> {
    const items = await queryAll<{ id: string; kind: string }>(this.container, threadItemsQuery(threadId), threadId, 'list thread items');
    // The lease of the run deleting the thread and the activity markers outlive the thread's checkpoints.
    const docs = items.filter((doc) => doc.kind !== 'lease' && doc.kind !== 'seen');
    const headsFirst = [...docs].sort((a, b) => Number(b.kind === 'head') - Number(a.kind === 'head'));
    this.heads.forgetThread(threadId);
    await forEachLimited(headsFirst, 8, ({ id }) => deleteIfPresent(this.container, id, threadId, 'delete thread item'));
    await this.payloads.removeOwner(threadId);
  }

  /** A fork (its parent is not the head) inherits the unchanged values of its parent's history item. */
  private async historyData(threadId: string, ns: string, checkpointId: string): Promise<HistoryDoc['data'] | undefined> {
    const doc = await readItem<StoredCheckpointDoc>(this.container, checkpointDocId(ns, checkpointId), threadId, 'read parent checkpoint');
    return (await this.savedOf(doc))?.data;
  }

  /** The head; a thread without one that was saved in the old layout is migrated first (legacy-migration.ts). */
  private async headOf(threadId: string, ns: string): Promise<HeadDoc | undefined> {
    const head = await this.heads.read(threadId, ns);
    if (head?.data) return head;
    const migrated = await migrateLatestLegacy({ container: this.container, legacy: this.legacy, heads: this.heads, codec: this.codec }, threadId, ns);
    return migrated ? this.heads.read(threadId, ns) : head;
  }

  /** A checkpoint item of either layout in today's stored form; undefined for anything else (tombstones). */
  private async savedOf(doc: StoredCheckpointDoc | undefined): Promise<Saved | undefined> {
    if (isCurrentLayout(doc)) return doc;
    if (!isLegacyCheckpoint(doc)) return undefined;
    return { threadId: doc.threadId, ns: doc.ns, checkpointId: doc.checkpointId, parentCheckpointId: doc.parentCheckpointId, data: await this.legacy.savedOf(doc) };
  }

  private async toTuple(doc: Saved, head: HeadDoc | undefined): Promise<CheckpointTuple> {
    const [checkpoint, metadata, pendingWrites] = await Promise.all([
      this.codec.load(doc.threadId, doc.data),
      this.codec.loadMetadata(doc.threadId, doc.data),
      this.pendingWrites(doc, doc.checkpointId, head),
    ]);
    if (checkpoint.v < 4 && doc.parentCheckpointId) await this.migratePendingSends(checkpoint, doc, doc.parentCheckpointId, head);
    const tuple: CheckpointTuple = { config: configOf(doc.threadId, doc.ns, doc.checkpointId), checkpoint, metadata, pendingWrites };
    if (doc.parentCheckpointId) tuple.parentConfig = configOf(doc.threadId, doc.ns, doc.parentCheckpointId);
    return tuple;
  }

  /** The writes of one checkpoint: in the head while it is the head (or newer), in WriteDocs after. */
  private async writesOf(address: { threadId: string; ns: string }, checkpointId: string, head: HeadDoc | undefined): Promise<WriteEntry[]> {
    const inHead = (head?.writes ?? []).filter((write) => write.checkpointId === checkpointId);
    if (head?.checkpointId === checkpointId && !(head.spilledWrites ?? []).includes(checkpointId)) return sortWrites(inHead);
    const query = writesQuery(address.threadId, address.ns, checkpointId);
    const docs = await queryAll<WriteDoc>(this.container, query, address.threadId, 'read pending writes');
    return sortWrites([...docs, ...inHead.filter((write) => !docs.some((doc) => doc.taskId === write.taskId && doc.idx === write.idx))]);
  }

  private async pendingWrites(address: { threadId: string; ns: string }, checkpointId: string, head: HeadDoc | undefined): Promise<CheckpointPendingWrite[]> {
    const writes = await this.writesOf(address, checkpointId, head);
    return Promise.all(writes.map(async (write): Promise<CheckpointPendingWrite> => [write.taskId, write.channel, await this.codec.loadValue(address.threadId, write.value)]));
  }

  /** Checkpoints before format v4 kept pending sends as writes of their parent. */
  private async migratePendingSends(checkpoint: Checkpoint, doc: Saved, parentCheckpointId: string, head: HeadDoc | undefined): Promise<void> {
    const sends = (await this.writesOf(doc, parentCheckpointId, head)).filter((write) => write.channel === TASKS);
    checkpoint.channel_values[TASKS] = await Promise.all(sends.map((write) => this.codec.loadValue(doc.threadId, write.value)));
    const versions = Object.values(checkpoint.channel_versions);
    checkpoint.channel_versions[TASKS] = versions.length > 0 ? maxChannelVersion(...versions) : this.getNextVersion(undefined);
  }
}
