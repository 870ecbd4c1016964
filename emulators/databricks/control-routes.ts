/**
 * `/_control/*` of the Databricks emulator (loopback only): latency, injected 5xx, warehouse
 * state, counters, query history (like `system.query.history`) and reset.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DatabricksControls, FailureScope } from './controls';
import type { WorkspaceEngineHandle } from './engine';
import { HttpApiError } from './engine-types';
import { readJson, sendJson } from './http-util';

const bad = (message: string): HttpApiError => new HttpApiError(400, 'INVALID_PARAMETER_VALUE', message);

export async function handleControl(
  controls: DatabricksControls, engine: WorkspaceEngineHandle, req: IncomingMessage, res: ServerResponse, url: URL,
): Promise<void> {
  const route = `${req.method ?? 'GET'} ${url.pathname.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /_control':
    case 'GET /_control/state':
      return sendJson(res, 200, controls.snapshot());
    case 'GET /_control/history': {
      const upn = url.searchParams.get('upn')?.toLowerCase();
      return sendJson(res, 200, { queries: engine.history().filter((q) => !upn || q.upn === upn) });
    }
    case 'POST /_control/latency': {
      const body = await readJson(req);
      const entries = typeof body.operation === 'string' ? { [body.operation]: body.ms } : (body.latencyMs as Record<string, unknown> | undefined) ?? {};
      for (const [operation, ms] of Object.entries(entries)) {
        if (typeof ms !== 'number' || ms < 0) throw bad(`latency for ${operation} must be a non-negative number`);
        controls.latencyMs[operation] = ms;
      }
      return sendJson(res, 200, controls.snapshot());
    }
    case 'POST /_control/fail': {
      const body = await readJson(req);
      const count = body.count ?? 1;
      const status = body.status ?? 503;
      const scope = (body.scope ?? 'all') as FailureScope;
      const method = body.method;
      if (typeof count !== 'number' || count < 0 || typeof status !== 'number' || status < 500 || status > 599 || !['all', 'thrift', 'rest'].includes(scope)) {
        throw bad('expected { count >= 0, status 5xx, scope: all|thrift|rest, method?: Thrift method name }');
      }
      if (method !== undefined && (typeof method !== 'string' || !/^[A-Za-z]{1,64}$/.test(method) || scope === 'rest')) throw bad('method must be a Thrift method name (scope thrift or all)');
      controls.failures = count > 0 ? { remaining: count, status, scope, ...(method !== undefined ? { method } : {}) } : undefined;
      return sendJson(res, 200, controls.snapshot());
    }
    case 'POST /_control/warehouse': {
      const state = (await readJson(req)).state;
      if (state !== 'STOPPED' && state !== 'RUNNING') throw bad('state must be STOPPED or RUNNING');
      controls.warehouseStopped = state === 'STOPPED';
      return sendJson(res, 200, controls.snapshot());
    }
    case 'POST /_control/reset': {
      const body = await readJson(req);
      controls.reset();
      if (body.data !== false) await engine.resetData();
      return sendJson(res, 200, controls.snapshot());
    }
    default:
      throw new HttpApiError(404, 'ENDPOINT_NOT_FOUND', `No control route ${route}`);
  }
}
