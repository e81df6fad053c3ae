import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RpcClient } from "../../shared/chain/rpc";
import { startTestChain, type TestChain } from "../support/chain";
import { openTestDatabase, databaseKind } from "../support/database";
import { startFlakyProxy, type FaultPlan, type FlakyProxy } from "../support/flaky-proxy";
import { loadDemo, recordingLogger, referenceDump, testIndexer, waitFor, type TestDatabase } from "../support/indexer";
import { dumpTables, type TableDump } from "../support/tables";

/**
 * The indexer reads the hardhat node through a real HTTP proxy that fails, delays and refuses
 * requests the way nodes and RPC providers do. Whatever the proxy does, the tables must end equal to
 * those of a direct sync.
 */
describe(`indexer over a misbehaving RPC endpoint (${databaseKind})`, () => {
  let chain: TestChain;
  let database: TestDatabase;
  let proxy: FlakyProxy;
  let head: number;
  let direct: TableDump;

  beforeAll(async () => {
    [chain, database] = await Promise.all([startTestChain("hardhat"), openTestDatabase()]);
    await loadDemo(chain);
    head = await chain.provider.getBlockNumber();
    direct = await referenceDump(chain, database);
    proxy = await startFlakyProxy(chain.node.url);
  });
  afterAll(async () => {
    await proxy?.close();
    await chain?.stop();
    await database?.close();
  });
  beforeEach(() => database.reset());

  /** An indexer reading through the proxy with `plan`, its logger, and an RPC timeout of `timeoutMs`. */
  function throughProxy(plan: FaultPlan, options: { maxBlockRange?: number; timeoutMs?: number } = {}) {
    proxy.setPlan(plan);
    const logger = recordingLogger();
    const indexer = testIndexer(chain, database.db, {
      rpc: new RpcClient(proxy.url, options.timeoutMs ?? 15_000),
      maxBlockRange: options.maxBlockRange ?? 5000,
      logger,
    });
    return { indexer, logger };
  }

  it("rides out an outage of the first requests, failed in every way a node fails", async () => {
    const { indexer, logger } = throughProxy({ failFirst: 5 });
    expect(await indexer.syncToHead()).toBe(head);
    expect(await dumpTables(database.db)).toEqual(direct);
    expect(proxy.stats.failed).toBe(5);
    expect(logger.entries.filter((e) => e.message === "RPC failed, retrying")).toHaveLength(5);
  });

  it("rides out a quarter of the requests failing at random", async () => {
    const { indexer } = throughProxy({ failRate: 0.25, seed: 7 }, { maxBlockRange: 4 });
    expect(await indexer.syncToHead()).toBe(head);
    expect(await dumpTables(database.db)).toEqual(direct);
    expect(proxy.stats.failed).toBeGreaterThan(10);
  });

  it("rides out slow answers and answers slower than its timeout", async () => {
    const { indexer } = throughProxy(
      { delayMs: [0, 40], stallRate: 0.08, stallMs: 2_000, seed: 3 },
      { maxBlockRange: 4, timeoutMs: 600 },
    );
    expect(await indexer.syncToHead()).toBe(head);
    expect(await dumpTables(database.db)).toEqual(direct);
    expect(proxy.stats.stalled).toBeGreaterThan(0);
  });

  it.each(["results", "blockRange", "http503"] as const)(
    "shrinks its eth_getLogs range when the node refuses wide ones (%s)",
    async (rangeError) => {
      const { indexer, logger } = throughProxy({ maxLogRange: 4, rangeError });
      expect(await indexer.syncToHead()).toBe(head);
      expect(await dumpTables(database.db)).toEqual(direct);
      expect(proxy.stats.refusedRanges).toBeGreaterThan(0);
      expect(logger.entries.some((e) => e.message === "Node refused the log range; shrinking it")).toBe(true);
      // Halved from 5000 down to 4 (10 refusals: 5000, 2500, ..., 9); growing back stays below the
      // smallest refused range, so the hard limit costs a few more refusals (8, 7, 6, 5), not every other call.
      expect(indexer.status().blockRange).toBe(4);
      expect(proxy.stats.refusedRanges).toBeLessThanOrEqual(14);
      // The accepted ranges tile the chain from the deployment block to the head: no gap, no overlap.
      const accepted = proxy.stats.logRanges.filter((range) => !range.refused);
      accepted.forEach((range, i) => expect(range.from).toBe(i === 0 ? chain.deployment.startBlock : accepted[i - 1].to + 1));
      expect(accepted.at(-1)?.to).toBe(head);
    },
  );

  it("follows the head through failures, delays and range refusals at once", async () => {
    const { indexer } = throughProxy({ failRate: 0.15, delayMs: [0, 15], maxLogRange: 3, rangeError: "blockRange", seed: 11 });
    const controller = new AbortController();
    const running = indexer.run(controller.signal);
    try {
      await waitFor("the indexer to reach the head", () => indexer.status().checkpoint === head, { timeoutMs: 60_000 });
    } finally {
      controller.abort();
      await running;
    }
    expect(await dumpTables(database.db)).toEqual(direct);
    expect(proxy.stats.failed).toBeGreaterThan(0);
    expect(proxy.stats.refusedRanges).toBeGreaterThan(0);
    expect(indexer.status().blockRange).toBeLessThanOrEqual(6);
  });

  it("stops retrying as soon as run() is aborted while the node is down", async () => {
    const { indexer, logger } = throughProxy({ failFirst: 1_000_000 });
    const controller = new AbortController();
    const running = indexer.run(controller.signal);
    await waitFor("a few failed attempts", () => proxy.stats.failed >= 3, { timeoutMs: 30_000 });
    controller.abort();
    const requestsAtAbort = proxy.stats.requests;
    await running;
    // At most the request in flight when the signal came; no further retry round.
    expect(proxy.stats.requests - requestsAtAbort).toBeLessThanOrEqual(1);
    expect(logger.entries.some((e) => e.message === "RPC failed, retrying")).toBe(true);
  });
});
