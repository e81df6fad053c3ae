import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ethers, type ContractTransactionResponse } from "ethers";
import { connectContracts, type LedgerContracts } from "../../shared/chain/contracts";
import { REGISTRATION_TYPES, registrationDomain } from "../../shared/chain/receivable-registration";
import { encodeCurrency } from "../../shared/trade-codes";
import { DEMO_MEMBERS, type DemoMemberKey, type DemoResult } from "../../scripts/demo/scenario";
import { startTestChain, type TestChain } from "../support/chain";
import { openTestDatabase, databaseKind } from "../support/database";
import { loadDemo, mineBlocks, referenceDump, testIndexer, type TestDatabase } from "../support/indexer";
import { dumpTables, type TableDump } from "../support/tables";

const RECEIVABLE_STATUSES = ["none", "registered", "confirmed", "cancelled", "rejected", "settled"];

/**
 * Reorganizations over receivables: a branch that registers and confirms, transfers parts to a new
 * holder, earmarks and pledges a lot through the lien registry (repaid in part, the lot reduced),
 * frees an older lot, sells a part, pays a receivable in full and settles (closing) its holders, then
 * freezes one receivable and disputes another, is indexed, then replaced by a different branch. The
 * receivable tables must then be those of a fresh sync of the final chain and agree with the contract.
 */
describe(`indexer across reorganizations of receivables on hardhat node (${databaseKind})`, () => {
  let chain: TestChain;
  let database: TestDatabase;
  let demo: DemoResult;
  let as: Record<DemoMemberKey | "admin", LedgerContracts>;

  beforeAll(async () => {
    [chain, database] = await Promise.all([startTestChain("hardhat"), openTestDatabase()]);
    demo = await loadDemo(chain);
    as = { admin: chain.contracts } as typeof as;
    for (const [i, member] of DEMO_MEMBERS.entries()) as[member.key] = connectContracts(chain.deployment, await chain.signer(i + 1));
  });
  afterAll(async () => {
    await chain?.stop();
    await database?.close();
  });
  let baseline: string;
  beforeEach(async () => {
    baseline = await snapshot();
    await database.reset();
  });
  afterEach(() => revert(baseline));

  /** Transactions of the branch being mined, to prove afterwards that none of them left a row. */
  let sent: string[] = [];
  const mined = async (tx: Promise<ContractTransactionResponse>) => {
    const receipt = (await (await tx).wait())!;
    sent.push(receipt.hash.toLowerCase());
    return receipt.blockNumber;
  };
  const snapshot = async () => (await chain.rpc("evm_snapshot")) as string;
  const revert = async (id: string) => expect(await chain.rpc("evm_revert", [id])).toBe(true);
  const head = () => chain.provider.getBlockNumber();
  const now = async () => (await chain.provider.getBlock("latest"))!.timestamp;
  const member = (key: DemoMemberKey) => demo.members[key];
  const CNY = encodeCurrency("CNY");
  const receivableCount = async () => Number(await chain.contracts.receivables.receivableCount());
  const register = async (creditor: DemoMemberKey, debtor: DemoMemberKey, faceValue: number, invoice: string) => {
    await mined(
      as[creditor].receivables.register(member(debtor), faceValue, CNY, (await now()) + 90 * 86_400, 7 * 86_400, ethers.id(invoice),
        ethers.id(`contract for ${invoice}`)),
    );
    return receivableCount();
  };
  const transfer = (from: DemoMemberKey, to: DemoMemberKey, id: number, amount: number) =>
    mined(as[from].receivables.safeTransferFrom(member(from), member(to), id, amount, "0x"));
  const lastLot = async (block: number) => {
    const [event] = await chain.contracts.receivables.queryFilter(chain.contracts.receivables.filters.LotEarmarked(), block, block);
    return Number(event.args.lotId);
  };
  const lastSale = async (block: number) => {
    const [event] = await chain.contracts.receivables.queryFilter(chain.contracts.receivables.filters.SaleOffered(), block, block);
    return Number(event.args.saleId);
  };

  /**
   * The state both branches start from, indexed before the fork: R1 (the parts maker's, owed by the
   * auto maker) split with the steel mill and with lot 1 earmarked; R2 (the orchard's, owed by the
   * juice plant) registered already confirmed with the debtor's EIP-712 signature, part sold on to
   * the exporter.
   */
  async function commonState() {
    const r1 = await register("partsMaker", "autoMaker", 1_000_000, "R1 invoice");
    await mined(as.autoMaker.receivables.confirm(r1));
    await transfer("partsMaker", "steelMill", r1, 300_000);
    const lot1 = await lastLot(await mined(as.partsMaker.receivables.earmark(r1, 100_000)));
    const registration = {
      creditor: member("orchard"),
      debtor: member("juicePlant"),
      faceValue: 500_000,
      currency: CNY,
      dueDate: (await now()) + 60 * 86_400,
      graceSeconds: 0,
      invoiceHash: ethers.id("R2 invoice"),
      documentHash: ethers.id("R2 contract"),
      salt: ethers.id("R2 salt"),
    };
    const debtor = await chain.signer(DEMO_MEMBERS.findIndex((m) => m.key === "juicePlant") + 1);
    const signature = await debtor.signTypedData(
      registrationDomain(chain.deployment.chainId, chain.deployment.contracts.Receivables),
      REGISTRATION_TYPES,
      registration,
    );
    await mined(as.orchard.receivables.registerConfirmed(registration, signature));
    const r2 = await receivableCount();
    await transfer("orchard", "exporter", r2, 200_000);
    return { r1, r2, lot1 };
  }

  /** The branch that is indexed and then orphaned, in two parts indexed separately. */
  async function oldBranch({ r1, r2, lot1 }: Awaited<ReturnType<typeof commonState>>, syncBetween: () => Promise<unknown>) {
    const r3 = await register("partsMaker", "autoMaker", 400_000, "R3 invoice on the old branch");
    await mined(as.autoMaker.receivables.confirm(r3));
    await transfer("partsMaker", "orchard", r1, 50_000);
    await mined(as.partsMaker.receivables.releaseLot(lot1));
    const lot2 = await lastLot(await mined(as.steelMill.receivables.earmark(r1, 200_000)));
    const t = await now();
    const terms = {
      collateral: chain.deployment.contracts.Receivables,
      collateralId: lot2,
      borrower: member("steelMill"),
      financier: member("bank"),
      principal: 100_000,
      currency: CNY,
      maturity: t + 60 * 86_400,
      rateBps: 500,
      marginCallLtvBps: 9_000,
      offerExpiresAt: t + 7 * 86_400,
      salt: ethers.id("lot pledge on the old branch"),
    };
    await mined(as.steelMill.liens.offer(terms));
    await mined(as.bank.liens.accept(terms, 200_000));
    await syncBetween();
    await mined(as.bank.liens.recordRepayment(terms, 50_000, ethers.id("repayment on the old branch")));
    await mined(as.bank.liens.releasePart(terms, 50_000));
    const sale = await lastSale(await mined(as.partsMaker.receivables.offerSale(r1, member("bank"), 150_000, 140_000)));
    await mined(as.bank.receivables.acceptSale(sale));
    await mined(as.juicePlant.receivables.recordPayment(r2, 500_000, ethers.id("R2 paid in full on the old branch")));
    await mined(as.juicePlant.receivables.settleHolders(r2, [member("orchard"), member("exporter")]));
    await mined(as.regulator.receivables.freeze(r1, ethers.id("court order on the old branch")));
    await mined(as.autoMaker.receivables.dispute(r3, ethers.id("goods short on the old branch")));
    return { r3, lot2, sale, blocks: 15 };
  }

  /** Another branch from the same parent: the same receivable, lot and sale ids, different content. */
  async function newBranch({ r1, r2 }: Awaited<ReturnType<typeof commonState>>) {
    await transfer("partsMaker", "juicePlant", r1, 80_000);
    const r3 = await register("steelMill", "autoMaker", 250_000, "R3 invoice on the new branch");
    const lot2 = await lastLot(await mined(as.juicePlant.receivables.earmark(r1, 30_000)));
    await mined(as.juicePlant.receivables.recordPayment(r2, 100_000, ethers.id("R2 paid in part on the new branch")));
    await mined(as.juicePlant.receivables.settleHolders(r2, [member("orchard"), member("exporter")]));
    const sale = await lastSale(await mined(as.partsMaker.receivables.offerSale(r1, member("bank"), 10_000, 9_000)));
    return { r3, lot2, sale, blocks: 6 };
  }

  /** Every receivable table against what the contract stores, for every member as a possible holder. */
  async function expectContractState(dump: TableDump): Promise<void> {
    const contract = chain.contracts.receivables;
    const count = await receivableCount();
    expect(dump.receivables.map((r) => r.id)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    for (const row of dump.receivables) {
      const onChain = await contract.receivableOf(row.id);
      expect({ status: row.status, paid: row.paid, disputed: row.disputed, frozen: row.frozen, debtor: row.debtor, faceValue: row.faceValue })
        .toEqual({
          status: RECEIVABLE_STATUSES[Number(onChain.status)], paid: onChain.paid.toString(), disputed: onChain.disputed,
          frozen: onChain.frozen, debtor: onChain.debtor.toLowerCase(), faceValue: onChain.faceValue.toString(),
        });
      const holdings = dump.receivableHoldings.filter((h) => h.receivableId === row.id);
      // No double count: the holdings add up to what is not closed yet, the settlements to what was settled.
      expect(holdings.reduce((sum, h) => sum + BigInt(h.amount), 0n)).toBe(onChain.faceValue - onChain.closedTotal);
      expect(holdings.reduce((sum, h) => sum + BigInt(h.settled), 0n)).toBe(onChain.settledTotal);
      const candidates = new Set([...Object.values(demo.members).map((a) => a.toLowerCase()), ...holdings.map((h) => h.holder)]);
      for (const address of candidates) {
        const holding = holdings.find((h) => h.holder === address);
        const onChainHolding = {
          amount: (await contract.balanceOf(address, row.id)).toString(),
          earmarked: (await contract.earmarkedOf(row.id, address)).toString(),
          settled: (await contract.settledOf(row.id, address)).toString(),
        };
        if (holding) expect({ holder: address, amount: holding.amount, earmarked: holding.earmarked, settled: holding.settled })
          .toEqual({ holder: address, ...onChainHolding });
        else expect(onChainHolding).toEqual({ amount: "0", earmarked: "0", settled: "0" });
      }
    }
    for (const lot of dump.receivableLots) {
      if (lot.status === "earmarked") {
        const onChain = await contract.lotOf(lot.id);
        expect([lot.holder, lot.amount, lot.receivableId, lot.pledged]).toEqual([
          onChain.holder.toLowerCase(), onChain.amount.toString(), Number(onChain.receivableId), onChain.pledged,
        ]);
      } else {
        await expect(contract.lotOf(lot.id)).rejects.toThrow();
      }
    }
    // No lot or sale the contract has and the tables lack.
    await expect(contract.lotOf(dump.receivableLots.length + 1)).rejects.toThrow();
    for (const sale of dump.receivableSales) {
      if (sale.status === "offered") {
        const onChain = await contract.saleOf(sale.id);
        expect([sale.seller, sale.financier, sale.amount, sale.price, sale.receivableId]).toEqual([
          onChain.seller.toLowerCase(), onChain.financier.toLowerCase(), onChain.amount.toString(), onChain.price.toString(),
          Number(onChain.receivableId),
        ]);
      } else {
        await expect(contract.saleOf(sale.id)).rejects.toThrow();
      }
    }
    // Every history row sits in a block of the canonical chain.
    const blockNumbers = [...new Set(dump.receivableEvents.map((e) => e.blockNumber))];
    const canonical = new Map(
      await Promise.all(blockNumbers.map(async (n) => [n, (await chain.provider.getBlock(n))!.hash!.toLowerCase()] as const)),
    );
    for (const event of dump.receivableEvents) expect(event.blockHash).toBe(canonical.get(event.blockNumber));
  }

  it.each([
    { name: "longer", extraBlocks: 12, maxBlockRange: 5000 },
    { name: "shorter", extraBlocks: 0, maxBlockRange: 1 },
  ])("rolls receivable tables back to the common ancestor and follows a $name new chain", async ({ extraBlocks, maxBlockRange }) => {
    const indexer = testIndexer(chain, database.db, { maxBlockRange });
    const common = await commonState();
    const base = await indexer.syncToHead();
    const beforeFork = await dumpTables(database.db);
    await expectContractState(beforeFork);

    const id = await snapshot();
    sent = [];
    const old = await oldBranch(common, () => indexer.syncToHead());
    const orphaned = sent;
    expect(await indexer.syncToHead()).toBe(base + old.blocks);
    const indexedOld = await dumpTables(database.db);
    await expectContractState(indexedOld);
    // The old branch is really indexed: what the rollback must undo.
    const r1Holders = (dump: TableDump) =>
      Object.fromEntries(dump.receivableHoldings.filter((h) => h.receivableId === common.r1).map((h) => [h.holder, h.amount]));
    expect(r1Holders(indexedOld)).toEqual({
      [member("partsMaker").toLowerCase()]: "500000",
      [member("steelMill").toLowerCase()]: "300000",
      [member("orchard").toLowerCase()]: "50000",
      [member("bank").toLowerCase()]: "150000",
    });
    expect(indexedOld.receivables.find((r) => r.id === old.r3)).toMatchObject({ status: "confirmed", disputed: true });
    expect(indexedOld.receivables.find((r) => r.id === common.r1)?.frozen).toBe(true);
    expect(indexedOld.receivables.find((r) => r.id === common.r2)?.status).toBe("settled");
    expect(indexedOld.receivableHoldings.filter((h) => h.receivableId === common.r2).map((h) => [h.amount, h.settled, h.closed])).toEqual(
      expect.arrayContaining([["0", "300000", true], ["0", "200000", true]]),
    );
    const mine = <T extends { id: number }>(rows: T[], ...ids: number[]) => rows.filter((row) => ids.includes(row.id));
    expect(mine(indexedOld.receivableLots, common.lot1, old.lot2).map((l) => [l.id, l.status, l.amount, l.pledged])).toEqual([
      [common.lot1, "released", "100000", false],
      [old.lot2, "earmarked", "150000", true],
    ]);
    expect(mine(indexedOld.receivableSales, old.sale).map((s) => [s.id, s.status])).toEqual([[old.sale, "sold"]]);
    const oldLoan = (dump: TableDump) => dump.loans.filter((l) => l.salt === ethers.id("lot pledge on the old branch"));
    expect(oldLoan(indexedOld).map((l) => [l.collateralKind, l.collateralId, l.status, l.outstanding])).toEqual([
      ["Receivables", String(old.lot2), "active", "50000"],
    ]);
    const oldTypes = new Set(indexedOld.receivableEvents.map((e) => e.type));
    for (const type of ["registered", "confirmed", "transferred", "earmarked", "lot_released", "lot_pledged", "lot_reduced", "sale_offered",
      "sold", "payment", "holder_settled", "holder_closed", "settled", "frozen", "disputed"] as const) {
      expect(oldTypes).toContain(type);
    }

    await revert(id);
    sent = [];
    const next = await newBranch(common);
    await mineBlocks(chain, extraBlocks);
    const newHead = await head();
    expect(newHead).toBe(base + next.blocks + extraBlocks);
    expect(await indexer.syncToHead()).toBe(newHead);
    expect(indexer.status().reorgs).toBe(1);

    const afterReorg = await dumpTables(database.db);
    await expectContractState(afterReorg);
    // Nothing of the orphaned branch is left: no history row, loan or loan event from its transactions.
    const orphanedTx = new Set(orphaned);
    expect(afterReorg.receivableEvents.filter((e) => orphanedTx.has(e.txHash))).toEqual([]);
    expect(afterReorg.loanEvents.filter((e) => orphanedTx.has(e.txHash))).toEqual([]);
    expect(oldLoan(afterReorg)).toEqual([]);
    expect(afterReorg.loans).toEqual(beforeFork.loans);
    // The rows before the fork are as they were, plus the new branch's: none counted twice.
    const newTx = new Set(sent);
    expect(afterReorg.receivableEvents.filter((e) => !newTx.has(e.txHash))).toEqual(beforeFork.receivableEvents);
    expect(afterReorg.receivableEvents.map((e) => e.type).sort()).toEqual(
      [...beforeFork.receivableEvents.map((e) => e.type), "transferred", "registered", "earmarked", "payment", "holder_settled",
        "holder_settled", "sale_offered"].sort(),
    );
    expect(r1Holders(afterReorg)).toEqual({
      [member("partsMaker").toLowerCase()]: "620000",
      [member("steelMill").toLowerCase()]: "300000",
      [member("juicePlant").toLowerCase()]: "80000",
    });
    expect(mine(afterReorg.receivables, common.r1, common.r2, next.r3).map((r) => [r.id, r.status, r.paid, r.frozen, r.disputed])).toEqual([
      [common.r1, "confirmed", "0", false, false],
      [common.r2, "confirmed", "100000", false, false],
      [next.r3, "registered", "0", false, false],
    ]);
    expect(afterReorg.receivables.find((r) => r.id === next.r3)?.creditor).toBe(member("steelMill").toLowerCase());
    expect(afterReorg.receivableHoldings.filter((h) => h.receivableId === common.r2).map((h) => [h.amount, h.settled, h.closed])).toEqual(
      expect.arrayContaining([["300000", "60000", false], ["200000", "40000", false]]),
    );
    expect(mine(afterReorg.receivableLots, common.lot1, next.lot2).map((l) => [l.id, l.holder, l.status, l.amount, l.pledged])).toEqual([
      [common.lot1, member("partsMaker").toLowerCase(), "earmarked", "100000", false],
      [next.lot2, member("juicePlant").toLowerCase(), "earmarked", "30000", false],
    ]);
    expect(mine(afterReorg.receivableSales, next.sale).map((s) => [s.id, s.status, s.amount])).toEqual([[next.sale, "offered", "10000"]]);
    // The receivables, lots and sales of before the fork are back as they were.
    const before = (rows: { id: number }[], ...mineIds: number[]) => rows.filter((row) => !mineIds.includes(row.id));
    expect(before(afterReorg.receivables, common.r2, next.r3)).toEqual(before(beforeFork.receivables, common.r2));
    expect(before(afterReorg.receivableLots, next.lot2)).toEqual(beforeFork.receivableLots);
    expect(before(afterReorg.receivableSales, next.sale)).toEqual(beforeFork.receivableSales);
    expect(afterReorg).toEqual(await referenceDump(chain, database));
  });
});
