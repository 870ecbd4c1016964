/**
 * Cosmos DB answers a query sent with `x-ms-documentdb-partitionkey` from that logical partition
 * only. `@vercel/cosmosdb-server` 1.0.1 ignores the header and evaluates every query over every
 * document of the container, so each query got slower as the container grew (the 5,000-turn
 * isolation run spent 82% of the emulator's CPU scanning checkpoints of other threads). This keeps
 * an index of documents by partition and evaluates a partition-scoped query over its partition only,
 * as the service does. Cross-partition queries are unchanged. Query-plan requests are answered
 * without executing anything (below). The package version is pinned: this relies on its `Documents`
 * internals (`_data`, `_set`, `delete`, `query`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import Documents from '@vercel/cosmosdb-server/lib/account/documents';

interface StoredItem {
  read(): Record<string, unknown> | null;
}

interface CompiledQuery {
  exec(data: unknown[], options: Record<string, unknown>): unknown;
}

/** The parts of the package's `Documents` class this module relies on. */
interface DocumentsInternals {
  _data: Map<string, StoredItem>;
  _parent: { read(): { indexingPolicy?: { compositeIndexes?: unknown } } | null };
  _byPartition?: Map<string, Set<string>>;
  _set(data: Record<string, unknown>): Record<string, unknown>;
  _item(keyPath: string, value: unknown, partition: unknown): StoredItem;
  _getPartition(data: Record<string, unknown>): unknown;
  _getQuery(sql: string): CompiledQuery;
  _userDefinedFunctions(): unknown;
  delete(idOrRid: string, partition: unknown): void;
  query(params: { query: string; parameters?: unknown }, options: { maxItemCount?: number; continuation?: unknown }): unknown;
}

const requestPartition = new AsyncLocalStorage<string | undefined>();
let patched = false;

/** The partition key of a stored document, in the header's JSON form (`["value"]`). */
function keyOf(partition: unknown): string {
  return JSON.stringify([partition ?? {}]);
}

/** Normalises the header (the SDK sends `["value"]`); undefined when absent or unreadable. */
function headerKey(req: IncomingMessage): string | undefined {
  const raw = req.headers['x-ms-documentdb-partitionkey'];
  if (typeof raw !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) && parsed.length === 1 ? keyOf(parsed[0]) : undefined;
  } catch {
    return undefined;
  }
}

function partitionIndex(items: DocumentsInternals): Map<string, Set<string>> {
  if (!items._byPartition) {
    items._byPartition = new Map();
    for (const [rid, item] of items._data) {
      const data = item.read();
      if (data) addToIndex(items._byPartition, keyOf(items._getPartition(data)), rid);
    }
  }
  return items._byPartition;
}

function addToIndex(index: Map<string, Set<string>>, key: string, rid: string): void {
  let rids = index.get(key);
  if (!rids) index.set(key, (rids = new Set()));
  rids.add(rid);
}

function patchDocuments(): void {
  if (patched) return;
  patched = true;
  const proto = (Documents as unknown as { prototype: DocumentsInternals }).prototype;
  const originalSet = proto._set;
  const originalDelete = proto.delete;
  const originalQuery = proto.query;

  proto._set = function set(this: DocumentsInternals, data) {
    const stored = originalSet.call(this, data);
    addToIndex(partitionIndex(this), keyOf(this._getPartition(stored)), String(stored._rid));
    return stored;
  };
  proto.delete = function remove(this: DocumentsInternals, idOrRid, partition) {
    const existing = this._item('/id', idOrRid, partition).read();
    originalDelete.call(this, idOrRid, partition);
    if (existing) partitionIndex(this).get(keyOf(this._getPartition(existing)))?.delete(String(existing._rid));
  };
  proto.query = function query(this: DocumentsInternals, params, options) {
    const key = requestPartition.getStore();
    if (key === undefined || !this._parent.read()) return originalQuery.call(this, params, options);
    const rids = partitionIndex(this).get(key) ?? new Set<string>();
    const data = [...rids].map((rid) => this._data.get(rid)?.read()).filter((d) => d !== null && d !== undefined);
    const compositeIndexes = this._parent.read()?.indexingPolicy?.compositeIndexes ?? [];
    try {
      return this._getQuery(params.query).exec(data, { parameters: params.parameters, udf: this._userDefinedFunctions(), ...options, compositeIndexes });
    } catch (error) {
      (error as { badRequest?: boolean }).badRequest = true;
      throw error;
    }
  };
}

/**
 * The SDK asks the gateway for a query plan (`x-ms-cosmos-is-query-plan-request`) beside every
 * query, and uses it only when the service says the query needs one. The package executed the plan
 * request as a cross-partition query (a full scan per query, for nothing); the gateway only plans.
 * This answers with the plan of a simple query over the whole key range, without executing it.
 */
const SIMPLE_QUERY_PLAN = {
  partitionedQueryExecutionInfoVersion: 2,
  queryInfo: {
    distinctType: 'None', top: null, offset: null, limit: null, orderBy: [], orderByExpressions: [], groupByExpressions: [],
    groupByAliases: [], aggregates: [], groupByAliasToAggregateType: {}, rewrittenQuery: '', hasSelectValue: false, dCountInfo: null,
  },
  queryRanges: [{ min: '', max: 'FF', isMinInclusive: true, isMaxInclusive: false }],
};

function isQueryPlanRequest(req: IncomingMessage): boolean {
  return String(req.headers['x-ms-cosmos-is-query-plan-request'] ?? '').toLowerCase() === 'true';
}

function answerQueryPlan(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-ms-request-charge': '0', 'x-ms-activity-id': randomUUID() });
    res.end(JSON.stringify(SIMPLE_QUERY_PLAN));
  });
}

/** Makes the server's document queries honour the partition key header, and plan without executing. */
export function scopeQueriesToPartitions(server: Server | HttpsServer): void {
  patchDocuments();
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (isQueryPlanRequest(req)) return answerQueryPlan(req, res);
    const key = headerKey(req);
    requestPartition.run(key, () => listeners.forEach((listener) => listener.call(server, req, res)));
  });
}
