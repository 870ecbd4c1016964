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
import { cosmosCall } from './cosmos-errors';
import { deleteIfPresent, queryAll, readItem } from './cosmos-items';
import { compositeId } from './item-ids';
import { namespaceMatches, textScore, valueMatches } from './memory-matching';
import { assertItemSize } from './payloads';

/**
 * LangGraph long-term memory on Cosmos (container `memory`, partition key `/pk`). The partition is
 * the first two namespace labels joined by ':' — for (tenant, user, "memories") that is the user
 * key, so one user's memories are one partition and a prefix search within a user never fans out.
 * OFFSET/LIMIT is unsupported by the emulator, so paging and filters run client-side.
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

export class CosmosStore extends BaseStore {
  constructor(private readonly container: Container) {
    super();
  }

  async batch<Op extends Operation[]>(operations: Op): Promise<OperationResults<Op>> {
    const results: unknown[] = [];
    for (const op of operations) results.push(await this.run(op));
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
    const doc = await readItem<MemoryDoc>(this.container, docIdOf(namespace, key), memoryPartitionOf(namespace), 'read memory');
    return doc ? toItem(doc) : null;
  }

  private async putOp({ namespace, key, value }: PutOperation): Promise<void> {
    validateNamespace(namespace);
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

  private async searchOp({ namespacePrefix, filter, limit = 10, offset = 0, query }: SearchOperation): Promise<SearchItem[]> {
    if (namespacePrefix.length > 0) validateNamespace(namespacePrefix);
    const conditions = ['STARTSWITH(c.nsPath, @prefix)'];
    const parameters: SqlParameter[] = [{ name: '@prefix', value: nsPathOf(namespacePrefix) }];
    const pk = namespacePrefix.length >= 2 ? memoryPartitionOf(namespacePrefix) : undefined;
    if (pk !== undefined) {
      conditions.push('c.pk = @pk');
      parameters.push({ name: '@pk', value: pk });
    }
    const sql = { query: `SELECT * FROM c WHERE ${conditions.join(' AND ')} ORDER BY c.updatedAt DESC`, parameters };
    const docs = await queryAll<MemoryDoc>(this.container, sql, pk, 'search memory');
    const matching = docs.filter((doc) => !filter || valueMatches(doc.value, filter));
    const scored: SearchItem[] = matching.map((doc) => ({ ...toItem(doc), score: query ? textScore(doc.value, query) : undefined }));
    const ranked = query ? scored.filter((item) => (item.score ?? 0) > 0).sort((a, b) => (b.score ?? 0) - (a.score ?? 0)) : scored;
    return ranked.slice(offset, offset + limit);
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
    const docs = await queryAll<{ namespace: string[] }>(this.container, { query: `SELECT c.namespace FROM c${where}`, parameters }, pk, 'list memory namespaces');
    const unique = new Map<string, string[]>();
    for (const { namespace } of docs) {
      if (!matchConditions.every((condition) => namespaceMatches(namespace, condition))) continue;
      const kept = maxDepth === undefined ? namespace : namespace.slice(0, maxDepth);
      unique.set(JSON.stringify(kept), kept);
    }
    const sorted = [...unique.values()].sort((a, b) => a.join(SEP).localeCompare(b.join(SEP)));
    return sorted.slice(offset, offset + limit);
  }
}
