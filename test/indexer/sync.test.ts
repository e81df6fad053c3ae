import { ethers, type ContractTransactionResponse } from "ethers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { RpcClient } from "../../shared/chain/rpc";
import { createLogger } from "../../shared/logger";
import {
  batches, members, traceEvents, lineageEdges, anchors, loans, receivableEvents, receivableHoldings, receivableLots, receivables,
  receivableSales, warehouseReceipts,
} from "../../shared/db/schema";
import { connectContracts } from "../../shared/chain/contracts";
import { eventArgs } from "../../shared/chain/events";
import { encodeCurrency } from "../../shared/trade-codes";
import { createIndexer } from "../../indexer/sync";
import { loadDemoScenario, DEMO_MEMBERS, type DemoMemberKey, type DemoResult } from "../../scripts/demo/scenario";
import { startTestChain, type TestChain } from "../support/chain";
import { openTestDatabase, databaseKind } from "../support/database";

type TestDb = Awaited<ReturnType<typeof openTestDatabase>>;

describe(`indexer full sync on hardhat node (${databaseKind})`, () => {
  let chain: TestChain;
  let database: TestDb;
  let demo: DemoResult;
  let cancelledId: number;
  let retiredPartId: number;

  beforeAll(async () => {
    [chain, database] = await Promise.all([startTestChain("hardhat"), openTestDatabase()]);
    const signers = await Promise.all(Array.from({ length: DEMO_MEMBERS.length + 1 }, (_, i) => chain.signer(i)));
    demo = await loadDemoScenario(chain.deployment, signers);
    // A shipment called back by its shipper, which the demo story does not contain.
    const orchard = chain.contracts.ledger.connect(signers[1]);
    await (await orchard.ship(demo.batches.applesB, demo.members.coldStore, 1_000, ethers.ZeroAddress, ethers.ZeroHash)).wait();
    cancelledId = Number(await chain.contracts.ledger.batchCount());
    await (await orchard.cancelShipment(cancelledId, ethers.id("truck broke down"))).wait();
    // Retirements, which the demo story does not contain either: part of apples B (a split child is
    // retired), then the whole of the batch whose shipment was called back.
    await (await orchard.retire(demo.batches.applesB, 250, ethers.id("spoiled in storage"))).wait();
    retiredPartId = Number(await chain.contracts.ledger.batchCount());
    await (await orchard.retire(cancelledId, 1_000, ethers.id("sold at the farm shop"))).wait();
  });
  afterAll(async () => {
    await chain?.stop();
    await database?.close();
  });
  beforeEach(() => database.reset());

  const indexer = (overrides: Partial<Parameters<typeof createIndexer>[0]> = {}) =>
    createIndexer({
      db: database.db,
      rpc: new RpcClient(chain.node.url),
      deployment: chain.deployment,
      logger: createLogger("indexer", "silent"),
      confirmations: 0,
      reorgWindow: 64,
      maxBlockRange: 5000,
      pollIntervalMs: 50,
      ...overrides,
    });

  it("reproduces every batch exactly as the contract stores it", async () => {
    await indexer().syncToHead();
    const count = Number(await chain.contracts.ledger.batchCount());
    const rows = await database.db.select().from(batches).orderBy(asc(batches.id));
    expect(rows).toHaveLength(count);
    const statuses = ["none", "active", "in_transit", "on_hold", "recalled", "consumed", "retired"];
    for (const row of rows) {
      const onChain = await chain.contracts.ledger.batchOf(row.id);
      expect({ id: row.id, custodian: row.custodian, quantity: row.quantity, status: row.status }).toEqual({
        id: row.id,
        custodian: onChain.custodian.toLowerCase(),
        quantity: onChain.quantity.toString(),
        status: statuses[Number(onChain.status)],
      });
    }
    const memberRows = await database.db.select().from(members);
    expect(memberRows).toHaveLength(DEMO_MEMBERS.length);
    const [anchor] = await database.db.select().from(anchors);
    expect(anchor.root).toBe(demo.anchor.root);
    const cancelled = await database.db
      .select()
      .from(traceEvents)
      .where(eq(traceEvents.batchId, cancelledId))
      .orderBy(asc(traceEvents.blockNumber), asc(traceEvents.logIndex));
    expect(cancelled.map((e) => [e.type, e.actor, e.counterparty])).toEqual([
      ["split", demo.members.orchard.toLowerCase(), null],
      ["shipped", demo.members.orchard.toLowerCase(), demo.members.coldStore.toLowerCase()],
      ["shipment_cancelled", demo.members.orchard.toLowerCase(), demo.members.coldStore.toLowerCase()],
      ["retired", demo.members.orchard.toLowerCase(), null],
    ]);
    expect(cancelled[2].details).toEqual({ reasonHash: ethers.id("truck broke down") });
    expect(cancelled[3]).toMatchObject({ type: "retired", actor: demo.members.orchard.toLowerCase(), quantity: "1000", details: { reasonHash: ethers.id("sold at the farm shop") } });
    const retiredPart = await database.db.select().from(batches).where(eq(batches.id, retiredPartId));
    expect(retiredPart).toEqual([expect.objectContaining({ status: "retired", quantity: "250", parentId: demo.batches.applesB })]);
    const retiredPartEvents = await database.db
      .select()
      .from(traceEvents)
      .where(eq(traceEvents.batchId, retiredPartId))
      .orderBy(asc(traceEvents.blockNumber), asc(traceEvents.logIndex));
    expect(retiredPartEvents.map((e) => [e.type, e.quantity])).toEqual([["split", "250"], ["retired", "250"]]);
  });

  it("reproduces every warehouse receipt and loan exactly as the contracts store them", async () => {
    await indexer().syncToHead();
    const { receipts, liens } = chain.contracts;
    const receiptRows = await database.db.select().from(warehouseReceipts).orderBy(asc(warehouseReceipts.id));
    expect(receiptRows.map((r) => r.id)).toEqual(Array.from({ length: receiptRows.length }, (_, i) => i + 1));
    expect(receiptRows.length).toBeGreaterThanOrEqual(4);
    for (const row of receiptRows) {
      if (row.status === "redeemed") {
        // Burned: the contract forgets it; the ledger shows the goods with the holder.
        await expect(receipts.ownerOf(row.id)).rejects.toThrow();
        expect((await chain.contracts.ledger.batchOf(row.batchId)).custodian.toLowerCase()).toBe(row.holder);
        continue;
      }
      const onChain = await receipts.receiptOf(row.id);
      expect({
        holder: row.holder, warehouse: row.warehouse, batchId: row.batchId, quantity: row.quantity,
        expiresAt: row.expiresAt ?? 0, pledged: row.pledged, frozen: row.frozen, redemptionRequested: row.redemptionRequested,
      }).toEqual({
        holder: onChain.holder.toLowerCase(), warehouse: onChain.warehouse.toLowerCase(), batchId: Number(onChain.batchId),
        quantity: onChain.quantity.toString(), expiresAt: Number(onChain.expiresAt), pledged: onChain.pledged,
        frozen: onChain.frozen, redemptionRequested: onChain.redemptionRequested,
      });
    }
    const loanRows = await database.db.select().from(loans);
    expect(loanRows.map((l) => l.id).sort()).toEqual([...Object.values(demo.finance.loans), demo.receivables.loanId, demo.receivables.outstandingFinance.loanId].sort());
    const statuses = ["none", "offered", "withdrawn", "active", "released", "enforced"];
    for (const row of loanRows) {
      const onChain = await liens.loanOf(row.id);
      expect({ status: row.status, outstanding: row.outstanding, valuation: row.valuation, ltvBps: row.ltvBps }).toEqual({
        status: statuses[Number(onChain.status)],
        outstanding: onChain.outstanding.toString(),
        valuation: onChain.valuation.toString(),
        ltvBps: Number(onChain.ltvBps),
      });
      if (row.collateralKey) {
        expect(await liens.lienOn(row.collateralKey)).toBe(row.status === "active" ? row.id : ethers.ZeroHash);
      }
    }
  });

  it("reproduces receivables, holdings, lots and sales exactly as the contract stores them", async () => {
    // An auto maker owes the parts maker; the parts maker pays two suppliers with parts, earmarks a lot,
    // sells a part to the bank; the auto maker pays half, holders are settled, then it pays the rest.
    const as = async (key: DemoMemberKey) => connectContracts(chain.deployment, await chain.signer(DEMO_MEMBERS.findIndex((m) => m.key === key) + 1));
    const [partsMaker, autoMaker, bank] = await Promise.all([as("partsMaker"), as("autoMaker"), as("bank")]);
    const { members } = demo;
    const mined = async (tx: Promise<ContractTransactionResponse>) => (await tx).wait();
    const now = (await chain.provider.getBlock("latest"))!.timestamp;
    await mined(
      partsMaker.receivables.register(members.autoMaker, 1_000_000, encodeCurrency("CNY"), now + 90 * 86_400, 7 * 86_400,
        ethers.id("VAT invoice 1"), ethers.id("supply contract")),
    );
    const id = Number(await chain.contracts.receivables.receivableCount());
    await mined(autoMaker.receivables.confirm(id));
    await mined(partsMaker.receivables.safeTransferFrom(members.partsMaker, members.steelMill, id, 300_000, "0x"));
    await mined(partsMaker.receivables.safeTransferFrom(members.partsMaker, members.orchard, id, 100_000, "0x"));
    await mined(partsMaker.receivables.earmark(id, 200_000));
    const offered = await mined(partsMaker.receivables.offerSale(id, members.bank, 150_000, 140_000));
    const saleId = Number(eventArgs(offered!, partsMaker.receivables, "SaleOffered").saleId);
    await mined(bank.receivables.acceptSale(saleId));
    await mined(autoMaker.receivables.recordPayment(id, 500_000, ethers.id("payment 1")));
    const holders = [members.partsMaker, members.steelMill, members.orchard, members.bank];
    await mined(autoMaker.receivables.settleHolders(id, holders));

    await indexer().syncToHead();
    const [row] = await database.db.select().from(receivables).where(eq(receivables.id, id));
    const onChain = await chain.contracts.receivables.receivableOf(id);
    expect(row).toMatchObject({ status: "confirmed", paid: onChain.paid.toString(), faceValue: "1000000", currency: "CNY", debtor: members.autoMaker.toLowerCase() });
    const holdings = await database.db.select().from(receivableHoldings).where(eq(receivableHoldings.receivableId, id));
    expect(holdings).toHaveLength(holders.length);
    for (const holding of holdings) {
      expect([holding.amount, holding.earmarked, holding.settled]).toEqual([
        (await chain.contracts.receivables.balanceOf(holding.holder, id)).toString(),
        (await chain.contracts.receivables.earmarkedOf(id, holding.holder)).toString(),
        (await chain.contracts.receivables.settledOf(id, holding.holder)).toString(),
      ]);
    }
    const [lot] = await database.db.select().from(receivableLots).where(eq(receivableLots.receivableId, id));
    expect(lot).toMatchObject({ receivableId: id, holder: members.partsMaker.toLowerCase(), amount: "200000", status: "earmarked" });
    const [sale] = await database.db.select().from(receivableSales).where(eq(receivableSales.receivableId, id));
    expect(sale).toMatchObject({ id: saleId, status: "sold", amount: "150000", price: "140000" });
    const tree = await database.db
      .select()
      .from(receivableEvents)
      .where(and(eq(receivableEvents.receivableId, id), eq(receivableEvents.type, "transferred")))
      .orderBy(asc(receivableEvents.blockNumber), asc(receivableEvents.logIndex));
    expect(tree.map((e) => [e.actor, e.counterparty, e.amount])).toEqual([
      [members.partsMaker.toLowerCase(), members.steelMill.toLowerCase(), "300000"],
      [members.partsMaker.toLowerCase(), members.orchard.toLowerCase(), "100000"],
      [members.partsMaker.toLowerCase(), members.bank.toLowerCase(), "150000"],
    ]);

    // The rest is paid: every holder is settled in full and closed, and the receivable is settled.
    await mined(autoMaker.receivables.recordPayment(id, 500_000, ethers.id("payment 2")));
    await mined(autoMaker.receivables.settleHolders(id, holders));
    await indexer().syncToHead();
    const [settled] = await database.db.select().from(receivables).where(eq(receivables.id, id));
    expect(settled.status).toBe("settled");
    const closed = await database.db.select().from(receivableHoldings).where(eq(receivableHoldings.receivableId, id));
    expect(closed.map((h) => [h.amount, h.closed])).toEqual(closed.map(() => ["0", true]));
    expect(closed.reduce((sum, h) => sum + BigInt(h.settled), 0n)).toBe(1_000_000n);

    // And every receivable of the demo story too: state, every holding, every lot.
    const statuses = ["none", "registered", "confirmed", "cancelled", "rejected", "settled"];
    const rows = await database.db.select().from(receivables).orderBy(asc(receivables.id));
    expect(rows).toHaveLength(Number(await chain.contracts.receivables.receivableCount()));
    for (const r of rows) {
      const state = await chain.contracts.receivables.receivableOf(r.id);
      expect([r.status, r.paid, r.disputed, r.frozen]).toEqual([statuses[Number(state.status)], state.paid.toString(), state.disputed, state.frozen]);
    }
    for (const holding of await database.db.select().from(receivableHoldings)) {
      expect([holding.amount, holding.earmarked, holding.settled], holding.key).toEqual([
        (await chain.contracts.receivables.balanceOf(holding.holder, holding.receivableId)).toString(),
        (await chain.contracts.receivables.earmarkedOf(holding.receivableId, holding.holder)).toString(),
        (await chain.contracts.receivables.settledOf(holding.receivableId, holding.holder)).toString(),
      ]);
    }
    for (const lotRow of await database.db.select().from(receivableLots)) {
      if (lotRow.status !== "earmarked") continue; // dissolved lots are deleted on chain
      const onChainLot = await chain.contracts.receivables.lotOf(lotRow.id);
      expect([lotRow.amount, lotRow.pledged]).toEqual([onChainLot.amount.toString(), onChainLot.pledged]);
    }
  });

  it("yields the same tables whatever the block range, and replays change nothing", async () => {
    await indexer({ maxBlockRange: 1 }).syncToHead();
    const events1 = await database.db.select().from(traceEvents).orderBy(asc(traceEvents.blockNumber), asc(traceEvents.logIndex));
    const edges1 = await database.db.select().from(lineageEdges);
    await database.reset();
    await indexer({ maxBlockRange: 5000 }).syncToHead();
    const events2 = await database.db.select().from(traceEvents).orderBy(asc(traceEvents.blockNumber), asc(traceEvents.logIndex));
    expect(events2).toEqual(events1);
    expect(await database.db.select().from(lineageEdges)).toHaveLength(edges1.length);
    const recalled = await database.db.select().from(batches).where(eq(batches.id, demo.batches.applesC));
    expect(recalled[0].status).toBe("recalled");
  });
});
