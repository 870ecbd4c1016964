import { Agent, createServer, request, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TlsMaterial } from '../emulators/shared/types';

/** One request the bot made to Cosmos DB, as the proxy saw it. */
export interface CosmosRequest {
  at: number;
  database: string | undefined;
  container: string | undefined;
  /** `read`, `create`, `upsert`, `replace`, `patch`, `delete`, `query`, `query-plan`, `batch`, or `meta` (databases, containers, account). */
  op: string;
}

/**
 * An HTTPS proxy in front of the Cosmos emulator that forwards every request unchanged and records
 * what it was, so a benchmark can count round trips per turn without touching the bot.
 */
export interface CosmosCountingProxy {
  endpoint: string;
  readonly log: readonly CosmosRequest[];
  /** Index to pass to `since` later. */
  mark(): number;
  since(mark: number, database?: string): CosmosRequest[];
  /** Resolves once no request arrived for `quietMs` (or `timeoutMs` passed). */
  settle(quietMs?: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export function classifyCosmosRequest(method: string, path: string, headers: IncomingHttpHeaders): Omit<CosmosRequest, 'at'> {
  const parts = path.split('?')[0]!.split('/').filter(Boolean).map(decodeURIComponent);
  const database = parts[0] === 'dbs' ? parts[1] : undefined;
  const container = parts[2] === 'colls' ? parts[3] : undefined;
  if (parts[4] !== 'docs') return { database, container, op: 'meta' };
  const header = (name: string): string => String(headers[name] ?? '').toLowerCase();
  if (method === 'POST' && header('x-ms-documentdb-isquery') === 'true') return { database, container, op: 'query' };
  if (method === 'POST' && header('x-ms-cosmos-is-query-plan-request') === 'true') return { database, container, op: 'query-plan' };
  if (method === 'POST' && header('x-ms-cosmos-is-batch-request') === 'true') return { database, container, op: 'batch' };
  if (method === 'POST') return { database, container, op: header('x-ms-documentdb-is-upsert') === 'true' ? 'upsert' : 'create' };
  if (method === 'GET') return { database, container, op: parts[5] === undefined ? 'query' : 'read' };
  if (method === 'PUT') return { database, container, op: 'replace' };
  if (method === 'PATCH') return { database, container, op: 'patch' };
  if (method === 'DELETE') return { database, container, op: 'delete' };
  return { database, container, op: method.toLowerCase() };
}

export async function startCosmosProxy(target: string, tls: TlsMaterial): Promise<CosmosCountingProxy> {
  const upstream = new URL(target);
  const log: CosmosRequest[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    log.push({ at: Date.now(), ...classifyCosmosRequest(req.method ?? 'GET', req.url ?? '/', req.headers) });
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host }, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  server.keepAliveTimeout = 10 * 60_000;
  await new Promise<void>((done) => server.listen(0, 'localhost', done));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://localhost:${port}/`,
    log,
    mark: () => log.length,
    since: (mark, database) => log.slice(mark).filter((r) => database === undefined || r.database === database),
    settle: async (quietMs = 400, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const last = log[log.length - 1]?.at ?? 0;
        const idle = Date.now() - last;
        if (idle >= quietMs || Date.now() >= deadline) return;
        await new Promise((r) => setTimeout(r, quietMs - idle));
      }
    },
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => done());
      }),
  };
}
