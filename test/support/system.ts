import type { Server } from "node:http";
import { RpcClient } from "../../shared/chain/rpc";
import { createLogger } from "../../shared/logger";
import { createIndexer } from "../../indexer/sync";
import { createApp, type AppOptions } from "../../server/app";
import { listen } from "../../server/index";
import { loadDemoScenario, DEMO_MEMBERS, type DemoResult } from "../../scripts/demo/scenario";
import { startTestChain, type TestChain } from "./chain";
import { openTestDatabase } from "./database";
import { request as send } from "./sign-in";

export interface TestSystem {
  chain: TestChain;
  database: Awaited<ReturnType<typeof openTestDatabase>>;
  demo: DemoResult;
  baseUrl: string;
  /** Indexes everything mined so far. */
  sync(): Promise<void>;
  get(path: string): Promise<{ status: number; body: any; headers: Headers }>;
  post(path: string, body: unknown): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

/** The whole read path for real: hardhat node -> demo story -> indexer -> database -> HTTP API. */
export async function startTestSystem(): Promise<TestSystem> {
  const [chain, database] = await Promise.all([startTestChain("hardhat"), openTestDatabase()]);
  const signers = await Promise.all(Array.from({ length: DEMO_MEMBERS.length + 1 }, (_, i) => chain.signer(i)));
  const demo = await loadDemoScenario(chain.deployment, signers);
  const rpc = new RpcClient(chain.node.url);
  const logger = createLogger("test", "silent");
  const indexer = createIndexer({
    db: database.db, rpc, deployment: chain.deployment, logger,
    confirmations: 0, reorgWindow: 64, maxBlockRange: 5000, pollIntervalMs: 50,
  });
  await indexer.syncToHead();
  const { app } = createApp({ db: database.db, logger, rpc });
  const server: Server = await listen(app, "127.0.0.1", 0);
  const address = server.address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const request = (path: string, init?: RequestInit) => send(baseUrl + path, init);
  return {
    chain,
    database,
    demo,
    baseUrl,
    sync: async () => void (await indexer.syncToHead()),
    get: (path) => request(path),
    post: (path, body) =>
      request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      await chain.stop();
      await database.close();
    },
  };
}

/** A second API instance over a test system's database and chain, with options of its own (auth, managed keys, documents...). */
export async function startAppOver(
  system: TestSystem,
  options: Partial<AppOptions> = {},
): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const { app } = createApp({
    db: system.database.db,
    logger: createLogger("test", "silent"),
    rpc: new RpcClient(system.chain.node.url),
    deployment: system.chain.deployment,
    ...options,
  });
  const server: Server = await listen(app, "127.0.0.1", 0);
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
