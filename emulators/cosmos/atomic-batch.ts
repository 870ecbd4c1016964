/**
 * Transactional batches as Cosmos DB runs them. `@vercel/cosmosdb-server` 1.0.1 parses
 * `x-ms-cosmos-batch-atomic` and ignores it: it stops at the first failed operation but leaves the
 * earlier ones applied. The service's rules, which this module enforces:
 * - "a group of point operations that need to either succeed or fail together with the same partition
 *   key in a container … if any operation fails, the entire transaction is rolled back"
 *   (https://learn.microsoft.com/azure/cosmos-db/nosql/transactional-batch);
 * - "If there's a failure, the failed operation will have a status code of its corresponding error. All
 *   the other operations will have a 424 status code (failed dependency)" (same page); the HTTP status is
 *   207 Multi-Status, which @azure/cosmos resolves rather than throws (its own test "rolls back prior
 *   operations when one fails" reads `result[0].statusCode === 424, result[1].statusCode === 404` from a
 *   resolved `items.batch`, then reads the upserted item back as undefined);
 * - an operation whose partition key differs from the request's fails the whole request with 400
 *   "One or more operations within the batch request have a different partition key value than the
 *   request." (message asserted by the same @azure/cosmos test suite).
 * How: while an atomic batch request runs, every document write records how to undo it; the first
 * failing operation undoes them all synchronously (so no other request ever sees a half-applied batch,
 * the package runs the operations of one batch without yielding), and the response is rewritten.
 * Relies on the pinned package's internals (`Documents._set`, `delete`, `_data`, `_item`, the handler's
 * `_document-operations` exports).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { createRequire } from 'node:module';
import Documents from '@vercel/cosmosdb-server/lib/account/documents';

type Doc = Record<string, unknown>;

interface DocumentsInternals {
  _data: Map<string, { read(): Doc | null }>;
  _set(data: Doc): Doc;
  _item(keyPath: string, value: unknown, partition: unknown): { read(): Doc | null };
  _getPartition(data: Doc): unknown;
  delete(idOrRid: string, partition: unknown): void;
}

interface OperationInput {
  partitionKey?: string;
  resourceBody?: Doc;
  id?: string;
}

interface OperationResult {
  statusCode: number;
  body?: unknown;
}

type Operation = (collection: { documents: DocumentsInternals }, input: OperationInput) => OperationResult;

interface Transaction {
  /** The request's partition key header, raw (`["value"]`) and parsed. */
  header: string;
  partition: unknown;
  undo: (() => void)[];
  failed: boolean;
  mismatch: boolean;
}

export const PARTITION_MISMATCH_MESSAGE = 'One or more operations within the batch request have a different partition key value than the request.';

const transaction = new AsyncLocalStorage<Transaction>();
let patched = false;

function rollBack(txn: Transaction): void {
  txn.failed = true;
  const steps = txn.undo.splice(0).reverse();
  transaction.exit(() => steps.forEach((step) => step()));
}

function parseKey(raw: string | undefined): { ok: true; value: unknown } | { ok: false } {
  if (raw === undefined) return { ok: false };
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) && parsed.length === 1 ? { ok: true, value: parsed[0] } : { ok: true, value: parsed };
  } catch {
    return { ok: false };
  }
}

/** The partition an operation addresses: its item's key path value, or its own partition key. */
function operationPartition(documents: DocumentsInternals, input: OperationInput): unknown {
  if (input.resourceBody) return documents._getPartition(input.resourceBody);
  const parsed = parseKey(input.partitionKey);
  return parsed.ok ? parsed.value : undefined;
}

function patchDocuments(): void {
  const proto = (Documents as unknown as { prototype: DocumentsInternals }).prototype;
  const originalSet = proto._set;
  const originalDelete = proto.delete;
  proto._set = function set(this: DocumentsInternals, data) {
    const txn = transaction.getStore();
    if (txn) {
      const prior = this._data.get(String(data._rid))?.read() ?? null;
      txn.undo.push(() => (prior ? this._set(prior) : this.delete(String(data.id), this._getPartition(data))));
    }
    return originalSet.call(this, data);
  };
  proto.delete = function remove(this: DocumentsInternals, idOrRid, partition) {
    const txn = transaction.getStore();
    const existing = txn ? this._item('/id', idOrRid, partition).read() : null;
    originalDelete.call(this, idOrRid, partition);
    if (txn && existing) txn.undo.push(() => this._set(existing));
  };
}

function atomic(original: Operation): Operation {
  return (collection, input) => {
    const txn = transaction.getStore();
    if (!txn) return original(collection, input);
    if (txn.failed) return { statusCode: 424, body: {} };
    if (input.partitionKey === undefined) input.partitionKey = txn.header;
    const explicit = parseKey(input.partitionKey);
    const target = operationPartition(collection.documents, input);
    const same = (value: unknown): boolean => JSON.stringify(value ?? null) === JSON.stringify(txn.partition ?? null);
    if (!same(target) || (explicit.ok && !same(explicit.value))) {
      txn.mismatch = true;
      rollBack(txn);
      return { statusCode: 400, body: { code: 'BadRequest', message: PARTITION_MISMATCH_MESSAGE } };
    }
    try {
      const result = original(collection, input);
      if (result.statusCode >= 400) rollBack(txn);
      return result;
    } catch (error) {
      rollBack(txn);
      throw error;
    }
  };
}

function patchOperations(): void {
  // The module's own exports object (the batch handler reads it at call time); an ES import would
  // hand out a read-only namespace copy under some loaders (tsx).
  const ops = createRequire(__filename)('@vercel/cosmosdb-server/lib/handler/_document-operations') as Record<string, Operation>;
  for (const name of ['createOperation', 'upsertOperation', 'readOperation', 'deleteOperation', 'replaceOperation']) {
    const original = ops[name];
    if (original) ops[name] = atomic(original);
  }
}

/** The response of a failed batch: the failed operation's status, 424 for every other one, HTTP 207. */
function rewrite(txn: Transaction, res: ServerResponse, chunk: unknown): string | undefined {
  if (!txn.failed || typeof chunk !== 'string') return undefined;
  if (txn.mismatch) {
    res.statusCode = 400;
    return JSON.stringify({ code: 'BadRequest', message: PARTITION_MISMATCH_MESSAGE });
  }
  if (res.statusCode >= 400) return undefined;
  let results: unknown;
  try {
    results = JSON.parse(chunk);
  } catch {
    return undefined;
  }
  if (!Array.isArray(results)) return undefined;
  let reported = false;
  const rewritten = results.map((entry: { statusCode?: number }) => {
    const status = entry.statusCode ?? 0;
    if (!reported && status >= 400 && status !== 424) {
      reported = true;
      return { statusCode: status, requestCharge: 0 };
    }
    return { statusCode: 424, requestCharge: 0 };
  });
  res.statusCode = 207;
  return JSON.stringify(rewritten);
}

function isAtomicBatch(req: IncomingMessage): boolean {
  const flag = (name: string): boolean => String(req.headers[name] ?? '').toLowerCase() === 'true';
  return req.method === 'POST' && flag('x-ms-cosmos-is-batch-request') && flag('x-ms-cosmos-batch-atomic');
}

/** Makes `x-ms-cosmos-batch-atomic` batches all-or-nothing, within one partition key. */
export function makeBatchesAtomic(server: Server | HttpsServer): void {
  if (!patched) {
    patched = true;
    patchDocuments();
    patchOperations();
  }
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!isAtomicBatch(req)) return listeners.forEach((listener) => listener.call(server, req, res));
    const raw = req.headers['x-ms-documentdb-partitionkey'];
    const header = typeof raw === 'string' ? raw : undefined;
    const parsed = parseKey(header);
    if (!header || !parsed.ok) {
      req.resume();
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'BadRequest', message: 'A transactional batch needs the x-ms-documentdb-partitionkey header.' }));
      return;
    }
    const txn: Transaction = { header, partition: parsed.value, undo: [], failed: false, mismatch: false };
    const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => end(rewrite(txn, res, chunk) ?? chunk, ...rest)) as typeof res.end;
    transaction.run(txn, () => listeners.forEach((listener) => listener.call(server, req, res)));
  });
}
