import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ContractTransactionResponse } from "ethers";
import { connectContracts, type LedgerContracts } from "../../shared/chain/contracts";
import { sha256Hex } from "../../shared/hashing";
import { roleBits } from "../../shared/roles";
import { encodeCurrency, encodeUnit } from "../../shared/trade-codes";
import { FatalIndexerError } from "../../indexer/sync";
import { DEMO_MEMBERS, DEMO_PRODUCTS, type DemoMemberKey, type DemoResult } from "../../scripts/demo/scenario";
import { startTestChain, type TestChain } from "../support/chain";
import { openTestDatabase, databaseKind } from "../support/database";
import { startFlakyProxy, type FlakyProxy } from "../support/flaky-proxy";
import { loadDemo, mineBlocks, referenceDump, testIndexer, type TestDatabase } from "../support/indexer";
import { dumpTables } from "../support/tables";

/**
 * Real reorganizations of a hardhat node: evm_snapshot, transactions that get indexed, evm_revert and
 * different transactions at the same heights. After the indexer has caught up, its tables must be
 * those of a fresh sync of the final chain.
 */
describe(`indexer across chain reorganizations on hardhat node (${databaseKind})`, () => {
  let chain: TestChain;
  let database: TestDatabase;
  let demo: DemoResult;
  let as: Record<DemoMemberKey | "admin", LedgerContracts>;
  let proxy: FlakyProxy;

  beforeAll(async () => {
    [chain, database] = await Promise.all([startTestChain("hardhat"), openTestDatabase()]);
    demo = await loadDemo(chain);
    as = { admin: chain.contracts } as typeof as;
    for (const [i, member] of DEMO_MEMBERS.entries()) as[member.key] = connectContracts(chain.deployment, await chain.signer(i + 1));
    proxy = await startFlakyProxy(chain.node.url);
  });
  afterAll(async () => {
    await proxy?.close();
    await chain?.stop();
    await database?.close();
  });
  // Every test starts from the demo chain and an empty database.
  let baseline: string;
  beforeEach(async () => {
    baseline = await snapshot();
    await database.reset();
  });
  afterEach(() => revert(baseline));

  const mined = async (tx: Promise<ContractTransactionResponse>) => (await (await tx).wait())!.blockNumber;
  const head = () => chain.provider.getBlockNumber();
  const snapshot = async () => (await chain.rpc("evm_snapshot")) as string;
  const revert = async (id: string) => expect(await chain.rpc("evm_revert", [id])).toBe(true);
  const doc = (text: string) => sha256Hex(text);
  const commission = (who: DemoMemberKey, gtin: bigint, lot: string, quantity: number) =>
    mined(as[who].ledger.commission(gtin, lot, quantity, encodeUnit("KGM"), 370686, Math.floor(Date.now() / 1000) - 3600, doc(lot)));
  const ship = (from: DemoMemberKey, to: DemoMemberKey, batchId: number, quantity: number) =>
    mined(as[from].ledger.ship(batchId, demo.members[to], quantity, demo.members.carrier, doc(`waybill ${batchId} ${to}`)));

  /** One branch of the story: new batches, a partial and a whole shipment, member changes, anchors. */
  async function oldBranch(): Promise<void> {
    await commission("orchard", DEMO_PRODUCTS.apples.gtin, "REORG-OLD-1", 1_000);
    const splitBlock = await ship("orchard", "coldStore", demo.batches.applesB, 2_000);
    const [split] = await as.admin.ledger.queryFilter(as.admin.ledger.filters.BatchSplit(), splitBlock, splitBlock);
    await mined(as.coldStore.ledger.receiveShipment(split.args.childId));
    // Retired on the old branch: part (a split and a retired child), then the rest (a status change).
    await mined(as.coldStore.ledger.retire(split.args.childId, 300, doc("old branch disposal")));
    await mined(as.coldStore.ledger.retire(split.args.childId, 1_700, doc("old branch retail sale")));
    await mined(as.admin.registry.suspend(demo.members.carrier, doc("suspended on the old branch")));
    await mined(as.coldStore.ledger.anchor(doc("old branch root"), 3, "https://tracefin.example/anchors/old"));
    await mined(
      as.juicePlant.ledger.transform(
        [{ batchId: demo.batches.juice, quantity: 500 }],
        [{ gtin: DEMO_PRODUCTS.juice.gtin, quantity: 400, unit: encodeUnit("LTR"), originRegion: 370602, lot: "OLD-BLEND" }],
        doc("old blend"),
      ),
    );
    // Finance state on the old branch: a pledge offer (a new loan) and a judicial freeze (a receipt changed).
    const block = await chain.provider.getBlock("latest");
    await mined(
      as.orchard.liens.offer({
        collateral: chain.deployment.contracts.WarehouseReceipt,
        collateralId: demo.finance.receipts.apples,
        borrower: demo.members.orchard,
        financier: demo.members.bank,
        principal: 1_000_000,
        currency: encodeCurrency("CNY"),
        maturity: block!.timestamp + 30 * 86_400,
        rateBps: 500,
        marginCallLtvBps: 8_000,
        offerExpiresAt: block!.timestamp + 86_400,
        salt: doc("offer on the old branch"),
      }),
    );
    await mined(as.regulator.receipts.freeze(demo.finance.receipts.discs, doc("court order on the old branch")));
  }

  /** Another branch from the same parent: the same batch ids and heights, different content. */
  async function newBranch(): Promise<void> {
    await commission("steelMill", DEMO_PRODUCTS.steel.gtin, "REORG-NEW-1", 7_000);
    await ship("orchard", "juicePlant", demo.batches.applesB, 5_000);
    await mined(as.admin.registry.setRoles(demo.members.bank, roleBits(["FINANCIER", "AUDITOR"])));
    await mined(as.juicePlant.ledger.anchor(doc("new branch root"), 5, "https://tracefin.example/anchors/new"));
    await mined(as.coldStore.receipts.attest(demo.finance.receipts.apples, doc("inventory check on the new branch")));
  }

  it.each([
    { name: "longer", extraBlocks: 6, maxBlockRange: 5000 },
    { name: "shorter", extraBlocks: 0, maxBlockRange: 2 },
  ])("rolls back to the common ancestor and follows a $name new chain", async ({ extraBlocks, maxBlockRange }) => {
    const indexer = testIndexer(chain, database.db, { maxBlockRange });
    const base = await indexer.syncToHead();
    const id = await snapshot();
    await oldBranch();
    const oldHead = await indexer.syncToHead();
    expect(oldHead).toBe(base + 10);
    const indexedOld = await dumpTables(database.db);
    expect(indexedOld.anchors.map((a) => a.uri)).toContain("https://tracefin.example/anchors/old");
    expect(indexedOld.members.find((m) => m.address === demo.members.carrier.toLowerCase())?.status).toBe("suspended");
    expect(indexedOld.loans.filter((l) => l.status === "offered")).toHaveLength(1);
    expect(indexedOld.receipts.find((r) => r.id === demo.finance.receipts.discs)?.frozen).toBe(true);
    expect(indexedOld.batches.filter((b) => b.status === "retired").map((b) => b.quantity).sort()).toEqual(["1700", "300"]);

    await revert(id);
    await newBranch();
    await mineBlocks(chain, extraBlocks);
    const newHead = await head();
    expect(newHead).toBe(base + 5 + extraBlocks);
    expect(await indexer.syncToHead()).toBe(newHead);
    expect(indexer.status().reorgs).toBe(1);

    const afterReorg = await dumpTables(database.db);
    expect(afterReorg.anchors.map((a) => a.uri)).not.toContain("https://tracefin.example/anchors/old");
    expect(afterReorg.members.find((m) => m.address === demo.members.carrier.toLowerCase())?.status).toBe("active");
    expect(afterReorg.loans.filter((l) => l.status === "offered")).toEqual([]);
    expect(afterReorg.receipts.find((r) => r.id === demo.finance.receipts.discs)?.frozen).toBe(false);
    expect(afterReorg.batches.filter((b) => b.status === "retired")).toEqual([]);
    expect(afterReorg.receiptEvents.filter((e) => e.type === "attested").length).toBeGreaterThan(1);
    expect(afterReorg).toEqual(await referenceDump(chain, database));
  });

  it("undoes a reorganization exactly as deep as the reorg window", async () => {
    const indexer = testIndexer(chain, database.db, { reorgWindow: 2 });
    await indexer.syncToHead();
    const ancestor = await commission("orchard", DEMO_PRODUCTS.apples.gtin, "WINDOW-COMMON", 100);
    const id = await snapshot();
    await commission("orchard", DEMO_PRODUCTS.apples.gtin, "WINDOW-OLD-1", 200);
    await ship("coldStore", "exporter", demo.batches.applesA, 100);
    expect(await indexer.syncToHead()).toBe(ancestor + 2);

    await revert(id);
    await commission("steelMill", DEMO_PRODUCTS.steel.gtin, "WINDOW-NEW-1", 300);
    await ship("coldStore", "juicePlant", demo.batches.applesA, 50);
    expect(await indexer.syncToHead()).toBe(ancestor + 2);
    expect(indexer.status().reorgs).toBe(1);
    expect(await dumpTables(database.db)).toEqual(await referenceDump(chain, database));
  });

  it("stops with FatalIndexerError on a reorganization deeper than the reorg window, changing nothing", async () => {
    const indexer = testIndexer(chain, database.db, { reorgWindow: 2 });
    await indexer.syncToHead();
    const id = await snapshot();
    await commission("orchard", DEMO_PRODUCTS.apples.gtin, "DEEP-OLD-1", 100);
    await commission("orchard", DEMO_PRODUCTS.apples.gtin, "DEEP-OLD-2", 100);
    await mined(as.coldStore.ledger.anchor(doc("deep old root"), 1, ""));
    await indexer.syncToHead();
    const before = await dumpTables(database.db);

    await revert(id);
    await commission("steelMill", DEMO_PRODUCTS.steel.gtin, "DEEP-NEW-1", 100);
    await mineBlocks(chain, 3);
    await expect(indexer.syncToHead()).rejects.toThrow(FatalIndexerError);
    await expect(indexer.syncToHead()).rejects.toThrow(/deeper than the reorg window \(2 blocks\)/);
    // run() does not retry a fatal error either.
    await expect(testIndexer(chain, database.db, { reorgWindow: 2 }).run(new AbortController().signal)).rejects.toThrow(
      FatalIndexerError,
    );
    expect(indexer.status().reorgs).toBe(0);
    expect(await dumpTables(database.db)).toEqual(before);
  });

  it.each([
    { name: "had no events", events: false },
    { name: "had events", events: true },
  ])("notices a reorganization between reading a range's logs and its blocks (old range $name)", async ({ events }) => {
    // The proxy lets the node answer eth_getLogs for the new range, then reorganizes the chain before
    // the answer reaches the indexer: the logs describe the old branch, the blocks read next the new one.
    let armed = false;
    let reorganized = false;
    let hookError: unknown;
    const indexer = testIndexer(chain, database.db, { rpcUrl: proxy.url, maxBlockRange: 3 });
    const base = await indexer.syncToHead();
    const id = await snapshot();
    if (events) {
      await commission("orchard", DEMO_PRODUCTS.apples.gtin, "RACE-OLD-1", 10);
      await mineBlocks(chain, 2);
    } else {
      await mineBlocks(chain, 3);
    }
    proxy.setPlan({
      async beforeReply({ method, params }) {
        const filter = params[0] as { fromBlock: string };
        if (!armed || method !== "eth_getLogs" || Number(filter.fromBlock) !== base + 1) return;
        armed = false;
        try {
          await revert(id);
          await commission("steelMill", DEMO_PRODUCTS.steel.gtin, "RACE-NEW-1", 20);
          await ship("coldStore", "exporter", demo.batches.applesA, 30);
          await mined(as.juicePlant.ledger.anchor(doc("race root"), 2, ""));
          reorganized = true;
        } catch (error) {
          hookError = error;
        }
      },
    });
    armed = true;
    try {
      expect(await indexer.syncToHead()).toBe(base + 3);
    } finally {
      proxy.setPlan({});
    }
    expect(hookError).toBeUndefined();
    expect(reorganized).toBe(true);
    const dump = await dumpTables(database.db);
    expect(dump.anchors.map((a) => a.root)).toContain(doc("race root"));
    expect(dump).toEqual(await referenceDump(chain, database));
  });
});
