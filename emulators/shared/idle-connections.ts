import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';

/** How long an idle client connection stays open, as behind the real services' load balancers. */
export const IDLE_CONNECTION_MS = 10 * 60_000;

/**
 * Node closes idle keep-alive sockets after 5 s by default; a client reusing one at that moment gets
 * `socket hang up` / ECONNRESET, which no real Azure endpoint produces at that rate. Production
 * clients keep sockets in their agents, so the emulators keep them open like the services do.
 */
export function keepIdleConnections(server: HttpServer | HttpsServer): void {
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  server.headersTimeout = IDLE_CONNECTION_MS + 1_000;
}

/** Listens on localhost (`port` 0: any free port) and returns the port and a stop that drops open connections. */
export async function listenLocal(server: HttpsServer, port: number | undefined): Promise<{ port: number; stop: () => Promise<void> }> {
  keepIdleConnections(server);
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port ?? 0, 'localhost', () => resolveListen());
  });
  const stop = (): Promise<void> =>
    new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    });
  return { port: (server.address() as { port: number }).port, stop };
}
