import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge, parseJsonObject, readBody, sendJson } from '../entra/http';
import { type Directory, type DirectoryUser, findUser } from '../shared/directory';
import { listenLocal } from '../shared/idle-connections';
import type { RunningEmulator, TlsMaterial } from '../shared/types';
import { GraphControls, parseGraphFaultRule } from './controls';
import { type Authenticate, GraphHttpError, assertMayReadMemberships, claimedSubject, createGraphAuthenticator, meOf } from './graph-auth';

export interface GraphEmulatorInfo {
  /** Like `https://graph.microsoft.com`: no version segment. */
  baseUrl: string;
  controlUrl: string;
}

export interface GraphEmulatorOptions {
  port?: number;
  tls: TlsMaterial;
  entra: { jwksUri: string; issuers: string[]; tenantId: string; directory: Directory };
}

/** Graph evaluates at most 20 group ids per request (learn.microsoft.com/graph/api/directoryobject-checkmembergroups). */
const MAX_GROUP_IDS = 20;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface GraphState {
  directory: Directory;
  authenticate: Authenticate;
  controls: GraphControls;
  baseUrl: string;
}

/**
 * Microsoft Graph over HTTPS, as much of it as the bot uses: `POST /v1.0/me/checkMemberGroups` and
 * `POST /v1.0/users/{id}/checkMemberGroups`, answered from the demo directory with Graph's token
 * validation, permission checks and error envelope. Test controls (typed client: `control-client.ts`):
 * - `GET /_control/counters`, `POST /_control/reset`
 * - `POST /_control/faults {mode, count?, delayMs?, retryAfterSeconds?, user?}`, `POST /_control/faults/clear {user?}`
 */
export async function startGraphEmulator(options: GraphEmulatorOptions): Promise<RunningEmulator<GraphEmulatorInfo>> {
  const state: GraphState = {
    directory: options.entra.directory,
    authenticate: createGraphAuthenticator({ ...options.entra, caCertPath: options.tls.caCertPath }),
    controls: new GraphControls(),
    baseUrl: '',
  };
  const server: Server = createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) => {
    route(state, req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLarge) return graphError(res, new GraphHttpError(413, 'Request_BadRequest', error.message));
      if (!res.headersSent) graphError(res, new GraphHttpError(500, 'generalException', String(error)));
    });
  });
  const { port, stop } = await listenLocal(server, options.port);
  state.baseUrl = `https://localhost:${port}`;
  return {
    info: { baseUrl: state.baseUrl, controlUrl: `${state.baseUrl}/_control` },
    stop,
  };
}

async function route(state: GraphState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'https://localhost').pathname.replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  if (path.startsWith('/_control')) return control(state, method, path.slice('/_control'.length), req, res);
  const me = /^\/v1\.0\/me\/checkMemberGroups$/i.test(path);
  const other = /^\/v1\.0\/users\/([^/]+)\/checkMemberGroups$/i.exec(path);
  if (!me && !other) return graphError(res, new GraphHttpError(400, 'BadRequest', `Resource not found for the segment '${path.split('/').pop() ?? ''}'.`));
  if (method !== 'POST') return graphError(res, new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${method}' is not allowed.`));

  const subject = claimedSubject(req.headers.authorization);
  state.controls.counters.checkMemberGroups += 1;
  if (subject) state.controls.counters.byUser[subject] = (state.controls.counters.byUser[subject] ?? 0) + 1;
  const user = subject ? findUser(state.directory, subject) : undefined;
  const fault = state.controls.takeFault(user ? [user.objectId, user.upn, user.shortName] : subject ? [subject] : []);
  if (fault) {
    state.controls.counters.faulted += 1;
    if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault.mode === 'reset') return void req.socket.destroy();
    if (fault.mode !== 'delay') return graphFault(res, fault.mode, fault.retryAfterSeconds);
  }

  try {
    const caller = await state.authenticate(req.headers.authorization);
    const body = parseJsonObject(await readBody(req));
    const groupIds = parseGroupIds(body);
    let target: DirectoryUser;
    if (me) target = meOf(caller);
    else {
      assertMayReadMemberships(caller);
      const id = decodeURIComponent(other![1]!);
      const found = findUser(state.directory, id);
      if (!found || (found.objectId !== id.toLowerCase() && found.upn.toLowerCase() !== id.toLowerCase())) {
        throw new GraphHttpError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
      }
      target = found;
    }
    const memberOf = new Set(target.groups.map((name) => state.directory.groups.find((g) => g.name === name)?.id.toLowerCase()));
    state.controls.counters.answered += 1;
    return sendJson(res, 200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(Edm.String)', value: groupIds.filter((id) => memberOf.has(id.toLowerCase())) }, headersFor(req));
  } catch (error) {
    if (!(error instanceof GraphHttpError)) throw error;
    if (error.status === 401) state.controls.counters.unauthorized += 1;
    if (error.status === 403) state.controls.counters.forbidden += 1;
    return graphError(res, error, headersFor(req));
  }
}

function parseGroupIds(body: Record<string, unknown> | undefined): string[] {
  const ids = body?.groupIds;
  if (!Array.isArray(ids) || ids.length === 0) throw new GraphHttpError(400, 'Request_BadRequest', "Invalid request: 'groupIds' must be a non-empty collection of group ids.");
  if (ids.length > MAX_GROUP_IDS) throw new GraphHttpError(400, 'Request_BadRequest', `Invalid request: at most ${MAX_GROUP_IDS} group ids can be checked per request.`);
  for (const id of ids) if (typeof id !== 'string' || !GUID.test(id)) throw new GraphHttpError(400, 'Request_BadRequest', `Invalid GUID: '${String(id)}'.`);
  return ids as string[];
}

function headersFor(req: IncomingMessage): Record<string, string> {
  const clientRequestId = req.headers['client-request-id'];
  return { 'request-id': randomUUID(), ...(typeof clientRequestId === 'string' ? { 'client-request-id': clientRequestId } : {}) };
}

/** Graph's error envelope (learn.microsoft.com/graph/errors). */
function graphError(res: ServerResponse, error: GraphHttpError, headers: Record<string, string> = {}): void {
  const innerError = { date: new Date().toISOString().replace(/\.\d{3}Z$/, ''), 'request-id': headers['request-id'] ?? randomUUID(), 'client-request-id': headers['client-request-id'] ?? randomUUID() };
  sendJson(res, error.status, { error: { code: error.code, message: error.message, innerError } }, headers);
}

function graphFault(res: ServerResponse, mode: 'http_500' | 'http_503' | 'http_429', retryAfterSeconds: number | undefined): void {
  const retry: Record<string, string> = retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
  if (mode === 'http_429') return graphError(res, new GraphHttpError(429, 'TooManyRequests', 'Too many requests. (injected by the emulator)'), retry);
  if (mode === 'http_503') return graphError(res, new GraphHttpError(503, 'serviceNotAvailable', 'Service Unavailable. (injected by the emulator)'), retry);
  return graphError(res, new GraphHttpError(500, 'generalException', 'An internal server error occurred. (injected by the emulator)'));
}

async function control(state: GraphState, method: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (method === 'GET' && path === '/counters') return sendJson(res, 200, state.controls.counters);
  if (method !== 'POST') return sendJson(res, 404, { error: 'not_found' });
  const body = parseJsonObject(await readBody(req));
  if (!body) return sendJson(res, 400, { error: 'body must be a JSON object' });
  if (path === '/reset') {
    state.controls.reset();
    return sendJson(res, 200, { ok: true });
  }
  if (path === '/faults') {
    const rule = parseGraphFaultRule(body);
    if (typeof rule === 'string') return sendJson(res, 400, { error: rule });
    state.controls.addFault(rule);
    return sendJson(res, 200, { ok: true });
  }
  if (path === '/faults/clear') {
    if (body.user !== undefined && typeof body.user !== 'string') return sendJson(res, 400, { error: 'user must be a string' });
    state.controls.clearFaults(body.user as string | undefined);
    return sendJson(res, 200, { ok: true });
  }
  return sendJson(res, 404, { error: 'not_found' });
}
