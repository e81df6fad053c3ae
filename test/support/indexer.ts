import { RpcClient } from "../../shared/chain/rpc";
import type { Database } from "../../shared/db/client";
import { createLogger, type Logger } from "../../shared/logger";
import { createIndexer, type IndexerOptions } from "../../indexer/sync";
import { loadDemoScenario, DEMO_MEMBERS, type DemoResult } from "../../scripts/demo/scenario";
import type { TestChain } from "./chain";
import type { openTestDatabase } from "./database";
import { dumpTables, type TableDump } from "./tables";

export type TestDatabase = Awaited<ReturnType<typeof openTestDatabase>>;

/** An indexer over `db` reading `rpcUrl` (default: the chain's own node), with the test defaults. */
export function testIndexer(chain: TestChain, db: Database, overrides: Partial<IndexerOptions> & { rpcUrl?: string } = {}) {
  const { rpcUrl, ...options } = overrides;
  return createIndexer({
    db,
    rpc: new RpcClient(rpcUrl ?? chain.node.url),
    deployment: chain.deployment,
    logger: createLogger("indexer", "silent"),
    confirmations: 0,
    reorgWindow: 64,
    maxBlockRange: 5000,
    pollIntervalMs: 50,
    ...options,
  });
}

/** Loads the demo story with the chain's unlocked accounts. */
export async function loadDemo(chain: TestChain): Promise<DemoResult> {
  const signers = await Promise.all(Array.from({ length: DEMO_MEMBERS.length + 1 }, (_, i) => chain.signer(i)));
  return loadDemoScenario(chain.deployment, signers);
}

/**
 * The tables a single uninterrupted sync produces: resets `database`, indexes the chain as it is now
 * (up to block `upTo` when given, by asking for as many confirmations) with a new indexer, and dumps.
 */
export async function referenceDump(chain: TestChain, database: TestDatabase, upTo?: number): Promise<TableDump> {
  await database.reset();
  const head = await chain.provider.getBlockNumber();
  await testIndexer(chain, database.db, { confirmations: upTo === undefined ? 0 : head - upTo }).syncToHead();
  return dumpTables(database.db);
}

export interface LogEntry {
  level: "debug" | "info" | "warn" | "error";
  message: string;
  fields?: Record<string, unknown>;
}

/** A logger that keeps what the indexer says and lets a test react to it (e.g. stop after n ranges). */
export function recordingLogger(onEntry?: (entry: LogEntry) => void): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const write = (level: LogEntry["level"]) => (message: string, fields?: Record<string, unknown>) => {
    const entry = { level, message, fields };
    entries.push(entry);
    onEntry?.(entry);
  };
  return { entries, debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => Promise<boolean> | boolean,
  { timeoutMs = 20_000, intervalMs = 25 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Mines `count` empty blocks. */
export async function mineBlocks(chain: TestChain, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await chain.rpc("evm_mine");
}
