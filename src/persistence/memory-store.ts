import type { Container, SqlParameter } from '@azure/cosmos';
import {
  BaseStore,
  validateNamespace,
  type GetOperation,
  type Item,
  type ListNamespacesOperation,
  type Operation,
  type OperationResults,
  type PutOperation,
  type SearchItem,
  type SearchOperation,
} from '@langchain/langgraph-checkpoint';
import { AppError } from '../errors';
import { cosmosCall } from './cosmos-errors';
import { deleteIfPresent, queryAll, readItem } from './cosmos-items';
import { compositeId } from './item-ids';
import { namespaceMatches, textScore, valueMatches } from './memory-matching';
import { type BundleDoc, type BundleEntry, MAX_BUNDLE_ENTRIES, MemoryBundles } from './memory-bundle';
import { assertItemSize } from './payloads';

/**
 * LangGraph long-term memory on Cosmos (container `memory`, partition key `/pk`). The partition is
 * the first two namespace labels joined by ':' — for (tenant, user, "memories") that is the user
 * key, so one user's memories are one partition and a prefix search within a user never fans out.
 * OFFSET/LIMIT is unsupported by the emulator, so paging and filters run client-side.
 * Bundled namespaces — (tenant, user, "memories") by default — keep all their keys in one item
 * (memory-bundle.ts): a search of exactly that namespace is one point read; deeper namespaces under
 * a bundled one are refused so that read stays the whole answer.
 */
interface MemoryDoc {
  id: string;
  pk: string;
  namespace: string[];
  /** namespace joined by ':' plus a trailing ':' so STARTSWITH matches whole labels only. */
  nsPath: string;
  key: string;
  value: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

const SEP = ':';

export function memoryPartitionOf(namespace: readonly string[]): string {
  return namespace.slice(0, 2).join(SEP);
}

const nsPathOf = (namespace: readonly string[]): string => (namespace.length === 0 ? '' : `${namespace.join(SEP)}${SEP}`);
const docIdOf = (namespace: readonly string[], key: string): string => compositeId('m.', [namespace, key]);

function toItem(doc: MemoryDoc): Item {
  return { namespace: doc.namespace, key: doc.key, value: doc.value, createdAt: new Date(doc.createdAt), updatedAt: new Date(doc.updatedAt) };
}

export interface CosmosStoreOptions {
  /** Namespaces kept as one item each. Default: three labels ending in "memories". */
  isBundled?: (namespace: readonly string[]) => boolean;
  /** Most keys in one bundled namespace. Default MAX_BUNDLE_ENTRIES. */
  maxBundleEntries?: number;
}

const memoriesBundled = (namespace: readonly string[]): boolean => namespace.length === 3 && namespace[2] === 'memories';

const bundledItem = (namespace: string[], key: string, entry: BundleEntry): Item => ({
  namespace,
  key,
  value: entry.value,
  createdAt: new Date(entry.createdAt),
  updatedAt: new Date(entry.updatedAt),
});

function expand(docs: (MemoryDoc | BundleDoc)[]): Item[] {
  const bundled = new Set(docs.filter((d): d is BundleDoc => 'kind' in d && d.kind === 'bundle').map((d) => d.nsPath));
  return docs.flatMap((doc) => {
    if ('kind' in doc && doc.kind === 'bundle') return Object.entries(doc.entries).map(([key, entry]) => bundledItem(doc.namespace, key, entry));
    // An old-layout item whose namespace already has its bundle was migrated (a delete that failed).
    return bundled.has(doc.nsPath) ? [] : [toItem(doc as MemoryDoc)];
  });
}

const isPut = (op: Operation): op is PutOperation => 'value' in op && !('namespacePrefix' in op);

/** The puts from `start` on that target the same namespace as the put at `start`. */
function sameBundleRun(operations: readonly Operation[], start: number): PutOperation[] {
  const first = operations[start] as PutOperation;
  const path = JSON.stringify(first.namespace);
  const run: PutOperation[] = [];
  for (let i = start; i < operations.length; i += 1) {
    const op = operations[i] as Operation;
    if (!isPut(op) || JSON.stringify(op.namespace) !== path) break;
    run.push(op);
  }
  return run;
}

export class CosmosStore extends BaseStore {
  private readonly isBundled: (namespace: readonly string[]) => boolean;
  private readonly bundles: MemoryBundles;

  constructor(
    private readonly container: Container,
    options: CosmosStoreOptions = {},
  ) {
    super();
    this.isBundled = options.isBundled ?? memoriesBundled;
    this.bundles = new MemoryBundles(container, options.maxBundleEntries ?? MAX_BUNDLE_ENTRIES, memoryPartitionOf, nsPathOf);
  }

  private refuseUnderBundle(namespace: readonly string[]): void {
    for (let depth = 1; depth < namespace.length; depth += 1) {
      if (this.isBundled(namespace.slice(0, depth))) {
        throw new AppError('INTERNAL.UNEXPECTED', `namespace ${namespace.slice(0, depth).join(SEP)} is kept as one item and has no sub-namespaces`);
      }
    }
  }

  async batch<Op extends Operation[]>(operations: Op): Promise<OperationResults<Op>> {
    const results: unknown[] = [];
    for (let i = 0; i < operations.length; i += 1) {
      const op = operations[i] as Operation;
      const run = isPut(op) && this.isBundled(op.namespace) ? sameBundleRun(operations, i) : [];
      if (run.length > 1) {
        // Consecutive puts into one bundled namespace: one read-modify-write, as if applied in turn.
        await this.putBundled(run);
        for (const _ of run) results.push(undefined);
        i += run.length - 1;
      } else {
        results.push(await this.run(op));
      }
    }
    return results as OperationResults<Op>;
  }

  private async run(op: Operation): Promise<unknown> {
    if ('namespacePrefix' in op) return this.searchOp(op);
    if ('value' in op) return this.putOp(op);
    if ('key' in op) return this.getOp(op);
    return this.listNamespacesOp(op);
  }

  private async getOp({ namespace, key }: GetOperation): Promise<Item | null> {
    validateNamespace(namespace);
    if (this.isBundled(namespace)) {
      const entry = (await this.bundles.read(namespace)).entries[key];
      return entry ? bundledItem(namespace, key, entry) : null;
    }
    const doc = await readItem<MemoryDoc>(this.container, docIdOf(namespace, key), memoryPartitionOf(namespace), 'read memory');
    return doc ? toItem(doc) : null;
  }

  private async putOp({ namespace, key, value }: PutOperation): Promise<void> {
    validateNamespace(namespace);
    this.refuseUnderBundle(namespace);
    if (this.isBundled(namespace)) {
      await this.putBundled([{ namespace, key, value }]);
      return;
    }
    const pk = memoryPartitionOf(namespace);
    const id = docIdOf(namespace, key);
    if (value === null) {
      await deleteIfPresent(this.container, id, pk, 'delete memory');
      return;
    }
    const existing = await readItem<MemoryDoc>(this.container, id, pk, 'read memory');
    const now = new Date().toISOString();
    const doc: MemoryDoc = { id, pk, namespace, nsPath: nsPathOf(namespace), key, value, createdAt: existing?.createdAt ?? now, updatedAt: now };
    assertItemSize(doc, 'memory item');
    await cosmosCall('write memory', () => this.container.items.upsert(doc));
  }

  private async putBundled(puts: readonly PutOperation[]): Promise<void> {
    for (const put of puts) validateNamespace(put.namespace);
    const now = new Date().toISOString();
    await this.bundles.update(puts[0]!.namespace, (entries) => {
      let changed = false;
      for (const { key, value } of puts) {
        if (value === null) {
          changed = entries.delete(key) || changed;
        } else {
          entries.set(key, { value, createdAt: entries.get(key)?.createdAt ?? now, updatedAt: now });
          changed = true;
        }
      }
      return changed;
    });
  }

  private async searchOp({ namespacePrefix, filter, limit = 10, offset = 0, query }: SearchOperation): Promise<SearchItem[]> {
    if (namespacePrefix.length > 0) validateNamespace(namespacePrefix);
    const items = this.isBundled(namespacePrefix) ? await this.readBundle(namespacePrefix) : await this.queryItems(namespacePrefix);
    const matching = items.filter((item) => !filter || valueMatches(item.value, filter));
    const scored: SearchItem[] = matching.map((item) => ({ ...item, score: query ? textScore(item.value, query) : undefined }));
    const ranked = query ? scored.filter((item) => (item.score ?? 0) > 0).sort((a, b) => (b.score ?? 0) - (a.score ?? 0)) : scored;
    return ranked.slice(offset, offset + limit);
  }

  private async readBundle(namespace: string[]): Promise<Item[]> {
    const bundle = await this.bundles.read(namespace);
    return expand([bundle]).sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
  }

  private async queryItems(namespacePrefix: string[]): Promise<Item[]> {
    const conditions = ['STARTSWITH(c.nsPath, @prefix)'];
    const parameters: SqlParameter[] = [{ name: '@prefix', value: nsPathOf(namespacePrefix) }];
    const pk = namespacePrefix.length >= 2 ? memoryPartitionOf(namespacePrefix) : undefined;
    if (pk !== undefined) {
      conditions.push('c.pk = @pk');
      parameters.push({ name: '@pk', value: pk });
    }
    const sql = { query: `SELECT * FROM c WHERE ${conditions.join(' AND ')}`, parameters };
    const docs = await queryAll<MemoryDoc | BundleDoc>(this.container, sql, pk, 'search memory');
    // Entries of a bundle share its updatedAt order only after expanding: sort again.
    return expand(docs).sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
  }

  private async listNamespacesOp({ matchConditions = [], maxDepth, limit, offset }: ListNamespacesOperation): Promise<string[][]> {
    const literalPrefix = matchConditions.find((c) => c.matchType === 'prefix' && !c.path.includes('*'));
    const conditions: string[] = [];
    const parameters: SqlParameter[] = [];
    if (literalPrefix) {
      conditions.push('STARTSWITH(c.nsPath, @prefix)');
      parameters.push({ name: '@prefix', value: nsPathOf(literalPrefix.path) });
    }
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    const pk = literalPrefix && literalPrefix.path.length >= 2 ? memoryPartitionOf(literalPrefix.path) : undefined;
    const docs = await queryAll<{ namespace: string[]; entryCount?: number }>(this.container, { query: `SELECT c.namespace, c.entryCount FROM c${where}`, parameters }, pk, 'list memory namespaces');
    const unique = new Map<string, string[]>();
    for (const { namespace, entryCount } of docs) {
      if (entryCount === 0) continue;
      if (!matchConditions.every((condition) => namespaceMatches(namespace, condition))) continue;
      const kept = maxDepth === undefined ? namespace : namespace.slice(0, maxDepth);
      unique.set(JSON.stringify(kept), kept);
    }
    const sorted = [...unique.values()].sort((a, b) => a.join(SEP).localeCompare(b.join(SEP)));
    return sorted.slice(offset, offset + limit);
  }
}
