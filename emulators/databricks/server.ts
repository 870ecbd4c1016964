/**
 * The Databricks emulator over HTTPS: the Thrift SQL warehouse at `/sql/1.0/warehouses/{id}`, the
 * Statement Execution lookup, the Genie API and `/_control`. Every API request is authenticated
 * with the caller's Entra bearer token and runs as that user.
 */
import { createServer, type Server } from 'node:https';
import { keepIdleConnections } from '../shared/idle-connections';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Directory } from '../shared/directory';
import type { RunningEmulator, TlsMaterial } from '../shared/types';
import { handleControl } from './control-routes';
import { DatabricksControls } from './controls';
import { createWorkspaceEngine, type WorkspaceEngineHandle } from './engine';
import { HttpApiError } from './engine-types';
import { createGenieHandler, DEFAULT_SPACE_ID, HR_SPACE_ID, type GenieHandler, type GenieOptions } from './genie';
import { readBody, sendApiError, sendJson } from './http-util';
import { statementJson } from './statements-api';
import { createWarehouseService, type WarehouseService } from './warehouse/thrift-service';

export const WAREHOUSE_ID = 'e0a1b2c3d4e5f607';

export interface DatabricksEmulatorInfo {
  host: 'localhost';
  port: number;
  baseUrl: string;
  httpPath: string;
  warehouseId: string;
  genieSpaceId: string;
  /** The demo allow-list: retail and HR (the sandbox space is deliberately left out). */
  genieSpaceIds: string[];
  controlUrl: string;
}

export interface DatabricksEmulatorOptions {
  port?: number;
  tls: TlsMaterial;
  entra: { jwksUri: string; issuers: string[]; tenantId: string; directory: Directory };
  genie?: GenieOptions;
}

export type RunningDatabricksEmulator = RunningEmulator<DatabricksEmulatorInfo> & {
  engine: WorkspaceEngineHandle;
  controls: DatabricksControls;
  genie: GenieHandler;
};

const isLoopback = (req: IncomingMessage): boolean => ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress ?? '');

interface Parts {
  engine: WorkspaceEngineHandle;
  controls: DatabricksControls;
  warehouse: WarehouseService;
  genie: GenieHandler;
}

async function route(parts: Parts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { engine, controls, warehouse, genie } = parts;
  const url = new URL(req.url ?? '/', 'https://localhost');
  const path = url.pathname;
  if (path === '/_control' || path.startsWith('/_control/')) {
    if (!isLoopback(req)) throw new HttpApiError(403, 'PERMISSION_DENIED', 'Test controls are local only.');
    if (path.startsWith('/_control/genie') && (await genie.handleControl(req, res, url))) return;
    return handleControl(controls, engine, req, res, url);
  }
  // Pre-signed result links carry their own credential and must come without a bearer token.
  if (genie.serveExternalLink(req, res, url)) return;
  const thrift = path.startsWith('/sql/1.0/warehouses/');
  controls.count(thrift ? 'requests.thrift' : 'requests.rest');
  const thriftBody = thrift && req.method === 'POST' ? await readBody(req) : undefined;
  const injected = controls.takeFailure(thrift ? 'thrift' : 'rest', thriftBody ? thriftMethodOf(thriftBody) : undefined);
  if (injected !== undefined) {
    throw new HttpApiError(injected, 'TEMPORARILY_UNAVAILABLE', 'The service is temporarily unavailable (injected failure).');
  }
  let user;
  try {
    user = await engine.authenticate(req.headers.authorization);
  } catch (error) {
    controls.count(error instanceof HttpApiError && error.status === 401 ? 'auth.401' : 'auth.403');
    throw error;
  }

  if (thrift) {
    const id = path.slice('/sql/1.0/warehouses/'.length).replace(/\/+$/, '');
    if (id !== WAREHOUSE_ID) throw new HttpApiError(404, 'RESOURCE_DOES_NOT_EXIST', `SQL warehouse ${id} does not exist.`);
    if (req.method !== 'POST') throw new HttpApiError(405, 'BAD_REQUEST', 'Thrift requests must be POST.');
    if (controls.warehouseStopped) {
      throw new HttpApiError(503, 'TEMPORARILY_UNAVAILABLE', `SQL warehouse ${WAREHOUSE_ID} is stopped. Start the warehouse and retry.`, { 'retry-after': '30' });
    }
    return warehouse.handle(thriftBody ?? Buffer.alloc(0), res, user);
  }
  const statement = /^\/api\/2\.0\/sql\/statements\/([0-9a-f-]{36})\/?$/.exec(path);
  if (statement?.[1] && req.method === 'GET') {
    controls.count('rest.statements');
    await controls.delay('statements');
    return sendJson(res, 200, statementJson(engine, user, statement[1]));
  }
  const warehouseInfo = /^\/api\/2\.0\/sql\/warehouses\/([^/]+)\/?$/.exec(path);
  if (warehouseInfo?.[1] === WAREHOUSE_ID && req.method === 'GET') {
    return sendJson(res, 200, { id: WAREHOUSE_ID, name: 'Retail analytics (emulator)', state: controls.warehouseStopped ? 'STOPPED' : 'RUNNING' });
  }
  if (path.startsWith('/api/2.0/genie/') && (await genie.handle(req, res, user, url))) return;
  throw new HttpApiError(404, 'ENDPOINT_NOT_FOUND', `No API found for '${req.method ?? 'GET'} ${path}'.`);
}

export async function startDatabricksEmulator(options: DatabricksEmulatorOptions): Promise<RunningDatabricksEmulator> {
  const engine = await createWorkspaceEngine({
    directory: options.entra.directory,
    auth: { jwksUri: options.entra.jwksUri, issuers: options.entra.issuers, tenantId: options.entra.tenantId, caCertPath: options.tls.caCertPath },
  });
  const controls = new DatabricksControls();
  const genie = createGenieHandler(engine, options.genie);
  const parts: Parts = { engine, controls, warehouse: createWarehouseService(engine, controls, WAREHOUSE_ID), genie };

  const server: Server = createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) => {
    route(parts, req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof HttpApiError) return sendApiError(res, error);
      sendApiError(res, new HttpApiError(500, 'INTERNAL_ERROR', error instanceof Error ? error.message : String(error)));
    });
  });
  keepIdleConnections(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, 'localhost', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `https://localhost:${port}`;
  return {
    info: {
      host: 'localhost', port, baseUrl, httpPath: `/sql/1.0/warehouses/${WAREHOUSE_ID}`, warehouseId: WAREHOUSE_ID,
      genieSpaceId: DEFAULT_SPACE_ID, genieSpaceIds: [DEFAULT_SPACE_ID, HR_SPACE_ID], controlUrl: `${baseUrl}/_control`,
    },
    engine,
    controls,
    genie,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.close();
    },
  };
}

/**
 * The method name of a Thrift binary-protocol call (strict: version word, then the name; old style:
 * the name first), read only to aim injected failures at one method. Undefined when unreadable.
 */
export function thriftMethodOf(body: Buffer): string | undefined {
  if (body.length < 8) return undefined;
  const strict = body.readUInt16BE(0) === 0x8001;
  const at = strict ? 4 : 0;
  const length = body.readInt32BE(at);
  if (length <= 0 || length > 64 || body.length < at + 4 + length) return undefined;
  return body.subarray(at + 4, at + 4 + length).toString('utf8');
}
