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
