import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getEventListeners } from "node:events";
import { eq } from "drizzle-orm";
import type { ContractTransactionResponse } from "ethers";
import { connectContracts, type LedgerContracts } from "../../shared/chain/contracts";
import { sha256Hex } from "../../shared/hashing";
import { encodeUnit } from "../../shared/trade-codes";
import { anchors, batches, indexerCheckpoints, traceEvents } from "../../shared/db/schema";
import { DEMO_MEMBERS, DEMO_PRODUCTS, type DemoMemberKey, type DemoResult } from "../../scripts/demo/scenario";
import { startTestChain, type TestChain } from "../support/chain";
import { openTestDatabase, databaseKind } from "../support/database";
import { loadDemo, mineBlocks, referenceDump, testIndexer, waitFor, type TestDatabase } from "../support/indexer";
import { dumpTables } from "../support/tables";

/** run(signal) following a live hardhat node, and the confirmations it waits for. */
describe(`indexer following the head of a hardhat node (${databaseKind})`, () => {
  let chain: TestChain;
  let database: TestDatabase;
  let demo: DemoResult;
  let as: Record<DemoMemberKey, LedgerContracts>;

  beforeAll(async () => {
    [chain, database] = await Promise.all([startTestChain("hardhat"), openTestDatabase()]);
    demo = await loadDemo(chain);
    as = {} as typeof as;
    for (const [i, member] of DEMO_MEMBERS.entries()) as[member.key] = connectContracts(chain.deployment, await chain.signer(i + 1));
  });
  afterAll(async () => {
    await chain?.stop();
    await database?.close();
  });
  beforeEach(() => database.reset());

  const mined = async (tx: Promise<ContractTransactionResponse>) => (await (await tx).wait())!.blockNumber;
  const doc = (text: string) => sha256Hex(text);
  let lots = 0;
  /** Commissions a new apple batch; resolves with its id and block. */
  async function commission(): Promise<{ id: number; block: number }> {
    const lot = `FOLLOW-${++lots}`;
    const block = await mined(
      as.orchard.ledger.commission(DEMO_PRODUCTS.apples.gtin, lot, 500, encodeUnit("KGM"), 370686, Math.floor(Date.now() / 1000) - 60, doc(lot)),
    );
    return { id: Number(await chain.contracts.ledger.batchCount()), block };
  }
  const batchRow = async (id: number) => (await database.db.select().from(batches).where(eq(batches.id, id)))[0];
  const checkpointBlock = async () => (await database.db.select().from(indexerCheckpoints))[0]?.blockNumber;
  /** Resolves with how long `promise` took, failing after `ms`. */
  async function settlesWithin(promise: Promise<void>, ms: number): Promise<number> {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms);
    });
    try {
      await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return Date.now() - started;
  }

  it("run() indexes new transactions as they are mined and resolves once aborted", async () => {
    const indexer = testIndexer(chain, database.db, { pollIntervalMs: 10 });
    const controller = new AbortController();
    const running = indexer.run(controller.signal);
    try {
      const head = await chain.provider.getBlockNumber();
      await waitFor("the initial catch-up", async () => (await checkpointBlock()) === head);

      const batch = await commission();
      await waitFor("the new batch to be indexed", async () => (await batchRow(batch.id)) !== undefined);
      expect((await batchRow(batch.id)).createdBlock).toBe(batch.block);

      const shipBlock = await mined(
        as.orchard.ledger.ship(batch.id, demo.members.coldStore, 500, demo.members.carrier, doc("follow waybill")),
      );
      await mined(as.coldStore.ledger.receiveShipment(batch.id));
      const root = doc("follow anchor");
      const anchorBlock = await mined(as.coldStore.ledger.anchor(root, 4, ""));
      await waitFor("the anchor to be indexed", async () => (await database.db.select().from(anchors).where(eq(anchors.root, root))).length === 1);
      const timeline = await database.db.select().from(traceEvents).where(eq(traceEvents.batchId, batch.id));
      expect(timeline.map((e) => e.type).sort()).toEqual(["commissioned", "received", "shipped"]);
      expect(timeline.find((e) => e.type === "shipped")?.blockNumber).toBe(shipBlock);
      expect(await batchRow(batch.id)).toMatchObject({ custodian: demo.members.coldStore.toLowerCase(), status: "active" });
      expect(indexer.status()).toMatchObject({ checkpoint: anchorBlock, head: anchorBlock, lagBlocks: 0 });

      // Idle polling does not pile up listeners on the signal (each sleep used to leave one behind).
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(getEventListeners(controller.signal, "abort").length).toBeLessThanOrEqual(1);
    } finally {
      controller.abort();
      expect(await settlesWithin(running, 5_000)).toBeLessThan(5_000);
    }
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    const followed = await dumpTables(database.db);
    expect(followed).toEqual(await referenceDump(chain, database));
  });

  it("run() with an already aborted signal resolves without indexing", async () => {
    const controller = new AbortController();
    controller.abort();
    await testIndexer(chain, database.db).run(controller.signal);
    expect(await checkpointBlock()).toBeUndefined();
  });

  it("leaves the newest `confirmations` blocks alone until enough blocks are mined on top", async () => {
    const confirmations = 3;
    const indexer = testIndexer(chain, database.db, { confirmations });
    const batch = await commission();
    expect(await indexer.syncToHead()).toBe(batch.block - confirmations);
    expect(indexer.status()).toMatchObject({ checkpoint: batch.block - confirmations, head: batch.block, lagBlocks: 0 });
    expect(await batchRow(batch.id)).toBeUndefined();

    await mineBlocks(chain, confirmations - 1);
    expect(await indexer.syncToHead()).toBe(batch.block - 1);
    expect(await batchRow(batch.id)).toBeUndefined();

    await mineBlocks(chain, 1);
    expect(await indexer.syncToHead()).toBe(batch.block);
    expect((await batchRow(batch.id)).createdBlock).toBe(batch.block);

    // The same while following: a batch mined now appears only once 3 blocks are on top of it.
    const controller = new AbortController();
    const running = indexer.run(controller.signal);
    try {
      const next = await commission();
      await mineBlocks(chain, confirmations - 1);
      await waitFor("the indexer to reach the safe head", () => indexer.status().checkpoint === next.block - 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(indexer.status().checkpoint).toBe(next.block - 1);
      expect(await batchRow(next.id)).toBeUndefined();
      await mineBlocks(chain, 1);
      await waitFor("the confirmed batch to be indexed", async () => (await batchRow(next.id)) !== undefined);
      expect(await checkpointBlock()).toBe(next.block);
    } finally {
      controller.abort();
      await running;
    }

    // Up to its checkpoint, the tables are those of a sync without confirmations.
    const checkpoint = (await checkpointBlock())!;
    const withConfirmations = await dumpTables(database.db);
    expect(withConfirmations).toEqual(await referenceDump(chain, database, checkpoint));
  });
});
