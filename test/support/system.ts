import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Server } from "node:http";
import { RpcClient } from "../../shared/chain/rpc";
import { createLogger } from "../../shared/logger";
import { createIndexer } from "../../indexer/sync";
import { createApp, type AppOptions } from "../../server/app";
import { listen } from "../../server/index";
import { createFileKeystore, type Keystore } from "../../server/signing/keystore";
import { loadDemoScenario, DEMO_MEMBERS, type DemoMemberKey, type DemoResult } from "../../scripts/demo/scenario";
import { startTestChain, type TestChain } from "./chain";
import { openTestDatabase } from "./database";
import { apiKeyOf, demoWallet, request as send, tokenOf, type SignInTarget } from "./sign-in";

/** Request headers carrying a credential; `{}` is a request without one. */
export type Credential = Record<string, string>;

export interface TestSystem {
  chain: TestChain;
  database: Awaited<ReturnType<typeof openTestDatabase>>;
  demo: DemoResult;
  baseUrl: string;
  /** Where and how to sign in to the system's API (tokenOf, apiKeyOf). */
  signInTarget: SignInTarget;
  /** Indexes everything mined so far. */
  sync(): Promise<void>;
  /** A read-write API key of a demo member (issued once, by the member signed in): `{ "x-api-key": ... }`. */
  as(member: DemoMemberKey): Promise<Credential>;
  /** GET, by default as the regulator (who reads everything); `{}` sends no credential. */
  get(path: string, credential?: Credential): Promise<{ status: number; body: any; headers: Headers }>;
  /** POST of a JSON body, by default as the regulator; `{}` sends no credential. */
  post(path: string, body: unknown, credential?: Credential): Promise<{ status: number; body: any; headers: Headers }>;
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
  // Tests sign many members in: the per-IP sign-in limit is not what they test (auth.test.ts does).
  const auth = { jwtSecret: new Uint8Array(randomBytes(32)), rateLimit: { max: 100_000, windowMs: 60_000 } };
  // Verified API keys are kept between requests, as in a deployment (revocations are announced).
  const credentialWatch = await database.watchCredentials();
  const { app, accessLog } = createApp({ db: database.db, logger, rpc, deployment: chain.deployment, auth, credentialWatch });
  const server: Server = await listen(app, "127.0.0.1", 0);
  const address = server.address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const request = (path: string, init?: RequestInit) => send(baseUrl + path, init);
  const signInTarget: SignInTarget = { baseUrl, domain: "localhost", chainId: chain.deployment.chainId };
  const keys = new Map<DemoMemberKey, Promise<Credential>>();
  const as = (member: DemoMemberKey) => {
    if (!keys.has(member)) {
      const wallet = demoWallet(member);
      keys.set(member, tokenOf(signInTarget, wallet).then(async (token) => ({ "x-api-key": await apiKeyOf(signInTarget, token, wallet.address, "read-write") })));
    }
    return keys.get(member)!;
  };
  return {
    chain,
    database,
    demo,
    baseUrl,
    signInTarget,
    sync: async () => void (await indexer.syncToHead()),
    as,
    get: async (path, credential) => request(path, { headers: credential ?? (await as("regulator")) }),
    post: async (path, body, credential) =>
      request(path, {
        method: "POST",
        headers: { "content-type": "application/json", ...(credential ?? (await as("regulator"))) },
        body: JSON.stringify(body),
      }),
    async stop() {
      await accessLog.flush();
      await new Promise((resolve) => server.close(resolve));
      await credentialWatch.close();
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

/** Where startManagedApp's instances expect sign-in messages to come from. */
export const MANAGED_APP_DOMAIN = "tracefin.test";

/**
 * A second API instance that signs for members (managed signing): a keystore in a temporary folder
 * (cheap scrypt, for tests), sign-in for MANAGED_APP_DOMAIN. `close` stops it and removes the keys.
 */
export async function startManagedApp(
  system: TestSystem,
  folderPrefix: string,
): Promise<{ baseUrl: string; keystore: Keystore; close(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), folderPrefix));
  const keystore = createFileKeystore(dir, "managed keys passphrase for tests only", { scryptN: 1 << 10 });
  const app = await startAppOver(system, {
    auth: { jwtSecret: new Uint8Array(randomBytes(32)), domain: MANAGED_APP_DOMAIN, rateLimit: { max: 10_000, windowMs: 60_000 } },
    managedKeys: keystore,
  });
  return {
    baseUrl: app.baseUrl,
    keystore,
    async close() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
