import type { AddressInfo } from 'node:net';
import restify, { type Request, type Response } from 'restify';
import type { Logger } from '../../src/logging';
import { activityProblem } from './activity-shape';
import { authEndPage, authStartPage } from './auth-pages';
import { REFUSAL_BODY } from '../turns/trust-boundary';
import type { LocalGetRoute } from './local-metrics';

/** A readiness dependency: resolves when reachable, rejects otherwise. */
export interface ReadinessProbe {
  name: string;
  check(): Promise<void>;
}

export interface ServerDeps {
  logger: Logger;
  /**
   * Whether the bot serves this (well-formed) activity at all: undefined to go on, else the reason,
   * logged and answered 403 before the adapter sees it (the Teams trust boundary).
   */
  admit(activity: unknown): string | undefined;
  /** Hands one POST /api/messages to the adapter (`adapter.process(req, res, logic)`). */
  processActivity(req: Request, res: Response): Promise<void>;
  probes: ReadinessProbe[];
  /** Authority used by the consent fallback page. */
  authority: string;
  maxBodyBytes?: number;
  probeTimeoutMs?: number;
  /** Extra JSON GET routes (the local profile's `/_local/memory`); none in production. */
  getRoutes?: readonly LocalGetRoute[];
}

export interface RunningServer {
  listen(port: number): Promise<number>;
  /** Stops accepting at once; resolves when every connection is closed (at most about a second later). */
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** After close, requests already being answered get this long before their connections are cut. */
const CLOSE_GRACE_MS = 1000;

/**
 * HTTP only: routes, body limit, JSON parsing errors as 400. Knows nothing of Teams; several
 * instances can run in one process.
 */
/** Longer than Azure front ends keep idle connections to the app (App Service: 230 s). */
const IDLE_CONNECTION_MS = 240_000;

export function createServer(deps: ServerDeps): RunningServer {
  const server = restify.createServer({ name: 'teams-data-agent', handleUncaughtExceptions: false });
  const log = deps.logger.child({ module: 'server' });
  // Node closes an idle keep-alive socket after 5 s; a front end (App Service, Bot Connector) reusing
  // it at that moment gets a reset and the activity fails or is redelivered. Outlive their idle timeouts.
  server.server.keepAliveTimeout = IDLE_CONNECTION_MS;
  server.server.headersTimeout = IDLE_CONNECTION_MS + 1_000;
  server.use(restify.plugins.bodyParser({ maxBodySize: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, mapParams: false, mapFiles: false, rejectUnknown: true }));

  server.post('/api/messages', async (req: Request, res: Response) => {
    const problem = activityProblem(req.body);
    if (problem) {
      res.send(400, { error: 'InvalidActivity', message: `The request body is not a valid Bot Framework activity (${problem}).` });
      return;
    }
    const refusal = deps.admit(req.body);
    if (refusal) {
      log.warn({ refusal }, 'activity refused at the Teams trust boundary');
      res.send(403, REFUSAL_BODY);
      return;
    }
    try {
      await deps.processActivity(req, res);
    } catch (error) {
      log.warn({ err: error }, 'activity rejected before processing');
      if (!res.headersSent) res.send(400, { error: 'InvalidActivity', message: 'The request body is not a valid Bot Framework activity.' });
    }
  });
  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok' });
  });
  server.get('/readyz', async (_req: Request, res: Response) => {
    const results = await Promise.all(deps.probes.map((p) => runProbe(p, deps.probeTimeoutMs ?? 3000)));
    const failed = results.filter((r) => !r.ok);
    if (failed.length > 0) log.warn({ failed }, 'not ready');
    res.send(failed.length === 0 ? 200 : 503, { status: failed.length === 0 ? 'ready' : 'not-ready', checks: results });
  });
  for (const route of deps.getRoutes ?? []) {
    server.get(route.path, async (req: Request, res: Response) => {
      res.send(200, route.answer(Object.fromEntries(new URL(req.url ?? '/', 'http://local').searchParams)));
    });
  }
  server.get('/auth-start.html', html(() => authStartPage(deps.authority)));
  server.get('/auth-end.html', html(() => authEndPage()));
  server.on('restifyError', (req: Request, _res: Response, err: Error & { statusCode?: number }, next: (e?: unknown) => void) => {
    log.info({ status: err.statusCode, path: req.path(), message: err.message }, 'request refused');
    next();
  });

  return {
    listen: (port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, () => resolve((server.address() as AddressInfo).port));
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.server.closeIdleConnections();
        setTimeout(() => server.server.closeAllConnections(), CLOSE_GRACE_MS).unref();
      }),
  };
}

function html(render: () => string): (req: Request, res: Response) => Promise<void> {
  return async (_req, res) => {
    const body = render();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
}

async function runProbe(probe: ReadinessProbe, timeoutMs: number): Promise<{ name: string; ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { name: probe.name, ok: true };
  } catch (error) {
    return { name: probe.name, ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
