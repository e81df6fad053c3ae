import type { Server } from "node:http";
import type { Express } from "express";

/** Listens on host:port and resolves with the bound server (port 0 picks a free port). */
export function listen(app: Express, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}
