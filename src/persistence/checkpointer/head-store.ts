import { BulkOperationType, type Container, type JSONObject, type OperationInput } from '@azure/cosmos';
import { AppError } from '../../errors';
import { cosmosCall, isCosmosStatus, mapCosmosError } from '../cosmos-errors';
import { readItem } from '../cosmos-items';
import { MAX_ITEM_BYTES, assertItemSize, jsonSize } from '../payloads';
import { checkpointDocId, emptyHead, headDocId, writeDocOf, type HeadDoc, type HistoryDoc, type TombstoneDoc, type WriteEntry } from './documents';
import { HeadCache, type CachedHead } from './head-cache';
import { mergeWrites, planPut } from './head-plan';
import { clearTurn, openTurn, queueUpsert, type OpenTurn } from './head-turn';

/** Service limits of one transactional batch: https://learn.microsoft.com/azure/cosmos-db/concepts-limits#per-request-limits */
const MAX_BATCH_OPERATIONS = 100;
const MAX_BATCH_BYTES = 1_900_000;
/** Pruned history items expire this long after they were pruned (the container has TTL on, no default). */
export const PRUNED_TTL_SECONDS = 60;
/** Rounds of read-and-retry after another writer moved the head (412, 409, 404). */
const MAX_ATTEMPTS = 8;
const RETRYABLE = new Set([404, 409, 412]);

/** undefined etag: the head does not exist (the next write creates it). */
type HeadState = CachedHead;

const json = (doc: object): JSONObject => ({ ...doc }) as JSONObject;
const upsertOf = (doc: object): OperationInput => ({ operationType: BulkOperationType.Upsert, resourceBody: json(doc) });

/** Reads and conditionally writes the head of each thread (see documents.ts and head-plan.ts). */
export class HeadStore {
  /** Threads whose turn this process runs under the thread's lease (head-turn.ts), by thread id. */
  private readonly turns = new Map<string, OpenTurn>();

  constructor(
    private readonly container: Container,
    private readonly cache: HeadCache,
    private readonly historyLimit: number,
  ) {
    if (!Number.isInteger(historyLimit) || historyLimit < 1) throw new AppError('CONFIG.INVALID', `historyLimit must be a positive integer, got ${historyLimit}`);
  }

  /** One point read; refreshes the cache. Within an open turn, the turn's head (no request). */
  async read(threadId: string, ns: string): Promise<HeadDoc | undefined> {
    const turn = this.turnOf(threadId, ns);
    if (turn) return turn.head;
    return (await this.load(threadId, ns)).doc;
  }

  forgetThread(threadId: string): void {
    this.cache.forgetThread(threadId);
    const turn = this.turns.get(threadId);
    if (turn) this.turns.set(threadId, clearTurn(turn));
  }

  /** Opens the thread's turn over the head its claim just read (root namespace). */
  beginTurn(threadId: string, base: CachedHead): void {
    this.turns.set(threadId, openTurn(threadId, base));
    this.cache.set(HeadCache.keyOf(threadId, ''), base);
  }

  /** Closes the thread's turn and hands over what it holds (the caller commits it). */
  async endTurn(threadId: string): Promise<OpenTurn | undefined> {
    // Waits for checkpoint writes of the thread still in flight in this process.
    return this.cache.exclusive(HeadCache.keyOf(threadId, ''), async () => {
      const turn = this.turns.get(threadId);
      this.turns.delete(threadId);
      return turn;
    });
  }

  /** After the turn's commit: the head as written (etag from the batch), or unknown after a failure. */
  settleTurn(turn: OpenTurn, etag: string | undefined): void {
    const key = HeadCache.keyOf(turn.threadId, '');
    if (etag === undefined) this.cache.delete(key);
    else if (turn.dirty) this.cache.set(key, { etag, doc: turn.head });
  }

  private turnOf(threadId: string, ns: string): OpenTurn | undefined {
    return ns === '' ? this.turns.get(threadId) : undefined;
  }

  private stateOf(threadId: string, ns: string, key: string): HeadState | undefined {
    const turn = this.turnOf(threadId, ns);
    return turn ? { etag: turn.base.etag, doc: turn.head } : this.cached(key);
  }

  /**
   * Puts a checkpoint: one transactional batch (head with If-Match, or create-only when there is no
   * head; history item, sealed writes, tombstones). `build` sees the current head on every attempt and
   * may return undefined to write nothing (a migration another instance already did). A migration
   * hands the checkpoint's pending writes over: `writes` join the head, or with `writesInDocs` they
   * stay in their WriteDocs (too large for the head).
   */
  async commit(threadId: string, ns: string, build: (head: HeadDoc | undefined) => Promise<HistoryDoc | undefined>, options: { writes?: WriteEntry[]; writesInDocs?: boolean } = {}): Promise<void> {
    const key = HeadCache.keyOf(threadId, ns);
    await this.cache.exclusive(key, async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        const state = this.stateOf(threadId, ns, key) ?? (await this.load(threadId, ns));
        const history = await build(state.doc);
        if (!history) return;
        assertItemSize(history, 'checkpoint');
        const plan = planPut(state.doc, history, this.historyLimit);
        if (!plan.becomesHead) {
          const turn = this.turnOf(threadId, ns);
          if (turn) queueUpsert(turn, history);
          else await cosmosCall('write checkpoint', () => this.container.items.upsert(history));
          return;
        }
        plan.head.spilledWrites = (state.doc?.spilledWrites ?? []).filter((id) => id >= history.checkpointId);
        if (options.writesInDocs && !plan.head.spilledWrites.includes(history.checkpointId)) plan.head.spilledWrites.push(history.checkpointId);
        if (options.writes) plan.head.writes = mergeWrites(options.writes, plan.head.writes).writes;
        assertItemSize(plan.head, 'thread head');
        const tombstones = plan.pruned.filter((id) => id !== history.checkpointId).map((id): TombstoneDoc => ({ id: checkpointDocId(ns, id), threadId, kind: 'pruned', ns, ttl: PRUNED_TTL_SECONDS }));
        let sealed = plan.sealed.map((write) => writeDocOf(threadId, ns, write));
        const core: OperationInput[] = [this.headWrite(state, plan.head), upsertOf(history)];
        const rest = tombstones.map(upsertOf);
        if (core.length + sealed.length + rest.length > MAX_BATCH_OPERATIONS || jsonSize([...core, ...sealed, ...rest]) > MAX_BATCH_BYTES) {
          // Sealed writes are idempotent upserts of data the head still holds: safe to write ahead of the batch.
          for (const doc of sealed) await cosmosCall('seal pending write', () => this.container.items.upsert(doc));
          sealed = [];
        }
        const ops = [...core, ...sealed.map(upsertOf), ...rest].slice(0, MAX_BATCH_OPERATIONS);
        if (jsonSize(ops) > MAX_BATCH_BYTES) throw new AppError('STORAGE.TOO_LARGE', `checkpoint commit is ${jsonSize(ops)} bytes, over the ${MAX_BATCH_BYTES}-byte batch limit`);
        const status = await this.runBatch(key, ops, threadId, plan.head);
        if (status === 'done') return;
      }
      throw new AppError('STORAGE.CONFLICT', `the head of thread ${threadId} kept changing while a checkpoint was saved`);
    });
  }

  /**
   * Adds pending writes of `checkpointId`: to the head while it is the head's or a newer checkpoint,
   * else (an older checkpoint, or a head that would outgrow the item limit) as WriteDocs. Returns the
   * incoming entries that were not kept (their blob chunks can be discarded).
   */
  async addWrites(threadId: string, ns: string, checkpointId: string, entries: WriteEntry[]): Promise<WriteEntry[]> {
    const key = HeadCache.keyOf(threadId, ns);
    return this.cache.exclusive(key, async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        const state = this.stateOf(threadId, ns, key) ?? (await this.load(threadId, ns));
        const base = state.doc ?? emptyHead(threadId, ns);
        if (base.checkpointId !== null && checkpointId < base.checkpointId) return this.writeDocs(threadId, ns, entries);
        const { writes, losers } = mergeWrites(base.writes, entries);
        if (losers.length === entries.length) return losers;
        let next: HeadDoc = { ...base, writes };
        if (jsonSize(next) > MAX_ITEM_BYTES) {
          const spilled = await this.writeDocs(threadId, ns, entries);
          if ((base.spilledWrites ?? []).includes(checkpointId)) return spilled;
          next = { ...base, spilledWrites: [...(base.spilledWrites ?? []), checkpointId] };
          if (await this.writeHead(key, state, next)) return spilled;
          continue;
        }
        if (await this.writeHead(key, state, next)) return losers;
      }
      throw new AppError('STORAGE.CONFLICT', `the head of thread ${threadId} kept changing while writes were saved`);
    });
  }

  private cached(key: string): HeadState | undefined {
    return this.cache.get(key);
  }

  private async load(threadId: string, ns: string): Promise<HeadState> {
    const doc = await readItem<HeadDoc>(this.container, headDocId(ns), threadId, 'read thread head');
    const state: HeadState = doc ? { etag: doc._etag, doc } : { etag: undefined, doc: undefined };
    this.cache.set(HeadCache.keyOf(threadId, ns), state);
    return state;
  }

  private headWrite(state: HeadState, head: HeadDoc): OperationInput {
    return state.etag === undefined
      ? { operationType: BulkOperationType.Create, resourceBody: json(head) }
      : { operationType: BulkOperationType.Replace, id: head.id, ifMatch: state.etag, resourceBody: json(head) };
  }

  private async runBatch(key: string, ops: OperationInput[], threadId: string, head: HeadDoc): Promise<'done' | 'retry'> {
    const turn = this.turnOf(threadId, head.ns);
    if (turn) {
      // Kept for the turn's commit: the head (ops[0]) as the new turn head, the rest as upserts.
      turn.head = head;
      turn.dirty = true;
      for (const op of ops.slice(1)) if ('resourceBody' in op && op.resourceBody) queueUpsert(turn, op.resourceBody as { id: string });
      return 'done';
    }
    const response = await cosmosCall('commit checkpoint', () => this.container.items.batch(ops, threadId));
    const results = response.result ?? [];
    const failed = results.find((result) => result.statusCode >= 400 && result.statusCode !== 424);
    if (!failed && results.length === ops.length) {
      this.cache.set(key, { etag: results[0]?.eTag, doc: head });
      return 'done';
    }
    this.cache.delete(key);
    if (failed && RETRYABLE.has(failed.statusCode)) return 'retry';
    throw mapCosmosError({ code: failed?.statusCode ?? response.code }, 'commit checkpoint');
  }

  /** Create or If-Match replace of the head alone; false when another writer got there first. */
  private async writeHead(key: string, state: HeadState, next: HeadDoc): Promise<boolean> {
    assertItemSize(next, 'thread head');
    const turn = this.turnOf(next.threadId, next.ns);
    if (turn) {
      turn.head = next;
      turn.dirty = true;
      return true;
    }
    try {
      const { resource } = state.etag === undefined
        ? await this.container.items.create(next)
        : await this.container.item(next.id, next.threadId).replace(next, { accessCondition: { type: 'IfMatch', condition: state.etag } });
      this.cache.set(key, { etag: resource?._etag, doc: next });
      return true;
    } catch (error) {
      this.cache.delete(key);
      if ([...RETRYABLE].some((status) => isCosmosStatus(error, status))) return false;
      throw mapCosmosError(error, 'write thread head');
    }
  }

  /** WriteDocs: regular writes insert-if-absent, special ones overwrite. Returns the entries not kept. */
  private async writeDocs(threadId: string, ns: string, entries: WriteEntry[]): Promise<WriteEntry[]> {
    const losers: WriteEntry[] = [];
    for (const entry of entries) {
      const doc = writeDocOf(threadId, ns, entry);
      assertItemSize(doc, `write ${entry.channel}`);
      if (entry.idx < 0) {
        await cosmosCall('write special write', () => this.container.items.upsert(doc));
        continue;
      }
      try {
        await this.container.items.create(doc);
      } catch (error) {
        if (!isCosmosStatus(error, 409)) throw mapCosmosError(error, 'write pending write');
        losers.push(entry);
      }
    }
    return losers;
  }
}
