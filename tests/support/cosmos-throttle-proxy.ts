import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensureDevCa } from '../../emulators/shared/dev-ca';

/**
 * An HTTPS proxy in front of the Cosmos emulator that answers 429 (with `x-ms-retry-after-ms`)
 * to the requests `shouldThrottle` picks and forwards the rest unchanged.
 */
export interface ThrottleProxy {
  endpoint: string;
  stats: { requests: number; throttled: number; forwarded: number };
  /** Decides per request (1-based sequence number); default: every second request. */
  shouldThrottle: (sequence: number) => boolean;
  stop(): Promise<void>;
}

export async function startThrottleProxy(target: string, options: { retryAfterMs?: number } = {}): Promise<ThrottleProxy> {
  const ca = ensureDevCa();
  const upstream = new URL(target);
  const retryAfterMs = String(options.retryAfterMs ?? 5);
  const proxy: Omit<ThrottleProxy, 'endpoint' | 'stop'> = {
    stats: { requests: 0, throttled: 0, forwarded: 0 },
    shouldThrottle: (sequence) => sequence % 2 === 0,
  };
  const server: Server = createServer({ cert: ca.serverCertPem, key: ca.serverKeyPem }, (req, res) => {
    proxy.stats.requests += 1;
    if (proxy.shouldThrottle(proxy.stats.requests)) {
      proxy.stats.throttled += 1;
      req.resume();
      const body = JSON.stringify({ code: 'TooManyRequests', message: 'Request rate is large (proxy)' });
      res.writeHead(429, { 'content-type': 'application/json', 'x-ms-retry-after-ms': retryAfterMs, 'x-ms-substatus': '3200' });
      res.end(body);
      return;
    }
    proxy.stats.forwarded += 1;
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
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
  await new Promise<void>((done) => server.listen(0, 'localhost', done));
  const { port } = server.address() as AddressInfo;
  return Object.assign(proxy, {
    endpoint: `https://localhost:${port}/`,
    stop: () => new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  });
}
