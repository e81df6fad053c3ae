import type { Server } from "node:http";
import type { Express } from "express";

/**
 * Idle keep-alive connections are closed after this long. Node's default (5 s) is shorter than the
 * idle timeouts of common proxies and HTTP clients, which then reuse a connection the server is
 * closing and get a reset; the server must be the side that outlasts the other.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Listens on host:port and resolves with the bound server (port 0 picks a free port). */
export function listen(app: Express, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    // Kept above keepAliveTimeout, so that the headers of a request on an idle connection are not timed out first.
    server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  });
}
