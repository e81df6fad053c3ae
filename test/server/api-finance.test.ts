import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectContracts } from "../../shared/chain/contracts";
import { sha256Hex } from "../../shared/hashing";
import { DEMO_MEMBERS, type DemoMemberKey } from "../../scripts/demo/scenario";
import { pledge } from "../../scripts/demo/finance";
import { startTestSystem, type TestSystem } from "../support/system";
import { databaseKind } from "../support/database";

const DAY = 86_400;
const signerIndexOf = (key: DemoMemberKey) => DEMO_MEMBERS.findIndex((member) => member.key === key) + 1;
const codes = (findings: { code: string }[]) => findings.map((finding) => finding.code);

describe(`warehouse receipts and loans through the API (${databaseKind})`, () => {
  let system: TestSystem;
  let members: Record<DemoMemberKey, string>;
  let receipts: TestSystem["demo"]["finance"]["receipts"];
  let loans: TestSystem["demo"]["finance"]["loans"];
  /** A second loan on the apples receipt, active while the tests run. */
  let activeLoanId: string;
  let activeMaturity: number;

  beforeAll(async () => {
    system = await startTestSystem();
    members = Object.fromEntries(
      Object.entries(system.demo.members).map(([key, address]) => [key, address.toLowerCase()]),
    ) as Record<DemoMemberKey, string>;
    ({ receipts, loans } = system.demo.finance);
    const as = async (key: DemoMemberKey) => connectContracts(system.chain.deployment, await system.chain.signer(signerIndexOf(key)));
    const [orchard, bank, coldStore] = await Promise.all([as("orchard"), as("bank"), as("coldStore")]);
    const block = await system.chain.provider.getBlock("latest");
    activeMaturity = block!.timestamp + 20 * DAY;
    ({ loanId: activeLoanId } = await pledge(
      { warehouse: coldStore, holder: orchard, bank, holderAddress: system.demo.members.orchard, bankAddress: system.demo.members.bank },
      receipts.apples,
      { principal: 2_000_000, valuation: 4_800_000, maturity: activeMaturity, rateBps: 500, marginCallLtvBps: 7_000 },
    ));
    await system.sync();
  });
  afterAll(async () => {
    await system?.stop();
  });

  describe("receipts", () => {
    it("shows each receipt as it stands after the demo's pledges, releases, redemption and enforcement", async () => {
      const apples = await system.get(`/api/v1/receipts/${receipts.apples}`);
      expect(apples.status).toBe(200);
      expect(apples.body).toMatchObject({
        id: receipts.apples,
        batchId: system.demo.batches.applesD,
        warehouse: { address: members.coldStore, name: "Yantai Bohai Cold-Chain Warehouse" },
        holder: { address: members.orchard },
        quantity: "6000",
        unit: "KGM",
        status: "live",
        pledged: true,
        frozen: false,
        insurance: { value: "9600000", currency: "CNY", policyHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) },
        splitFrom: null,
      });
      expect(apples.body.lastAttestedAt).toBeGreaterThan(0);

      const released = await system.get(`/api/v1/receipts/${receipts.applesReleased}`);
      expect(released.body).toMatchObject({ status: "redeemed", quantity: "6000", splitFrom: receipts.apples, pledged: false });

      const discs = await system.get(`/api/v1/receipts/${receipts.discs}`);
      expect(discs.body).toMatchObject({
        holder: { address: members.autoMaker, name: "Yantai Auto Works" },
        warehouse: { address: members.bondedWarehouse },
        pledged: false,
        quantity: "1600",
        unit: "H87",
      });
    });

    it("lists receipts by holder, warehouse and status, and pages through them", async () => {
      const byWarehouse = await system.get(`/api/v1/receipts?warehouse=${members.coldStore}`);
      expect(byWarehouse.body.items.map((r: any) => r.id)).toEqual([receipts.apples, receipts.applesReleased, receipts.recalledApples]);
      const byHolder = await system.get(`/api/v1/receipts?holder=${members.autoMaker}`);
      expect(byHolder.body.items.map((r: any) => r.id)).toEqual([receipts.discs]);
      const live = await system.get(`/api/v1/receipts?status=live&pledged=false`);
      expect(live.body.items.map((r: any) => r.id)).toEqual([receipts.discs, receipts.recalledApples]);
      const first = await system.get(`/api/v1/receipts?limit=2`);
      expect(first.body.items).toHaveLength(2);
      const second = await system.get(`/api/v1/receipts?limit=2&cursor=${first.body.nextCursor}`);
      expect([...first.body.items, ...second.body.items].map((r: any) => r.id)).toEqual(
        [receipts.apples, receipts.applesReleased, receipts.discs, receipts.recalledApples].sort((a, b) => a - b),
      );
      expect(second.body.nextCursor).toBeNull();
    });

    it("tells each receipt's history in chain order", async () => {
      const history = await system.get(`/api/v1/receipts/${receipts.apples}/events`);
      expect(history.status).toBe(200);
      expect(history.body.items.map((e: any) => e.type)).toEqual([
        "issued", "attested", "pledged", "split", "unpledged", "pledged",
      ]);
      expect(history.body.items[0]).toMatchObject({
        actor: { address: members.coldStore },
        counterparty: { address: members.orchard },
        quantity: "12000",
      });
      const discs = await system.get(`/api/v1/receipts/${receipts.discs}/events?type=transferred`);
      expect(discs.body.items).toEqual([
        expect.objectContaining({ actor: { address: members.partsMaker, name: expect.any(String) }, counterparty: { address: members.autoMaker, name: "Yantai Auto Works" } }),
      ]);
    });

    it("refuses malformed ids and answers 404 for unknown receipts", async () => {
      expect((await system.get("/api/v1/receipts/0x1")).status).toBe(400);
      const missing = await system.get("/api/v1/receipts/999999");
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe("NOT_FOUND");
      expect((await system.get("/api/v1/receipts/999999/verification")).status).toBe(404);
      const badAge = await system.get(`/api/v1/receipts/${receipts.discs}/verification?maxAttestationAgeDays=0`);
      expect(badAge.status).toBe(400);
      expect(badAge.body.error.details).toEqual([expect.objectContaining({ field: "query.maxAttestationAgeDays" })]);
    });
  });

  describe("verification for banks", () => {
    it("finds the enforced discs receipt eligible for new financing, with warnings and its lien history", async () => {
      const res = await system.get(`/api/v1/receipts/${receipts.discs}/verification`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        receiptId: receipts.discs,
        verdict: "eligible",
        reasons: [],
        holder: { address: members.autoMaker, status: "active", roles: ["ENTERPRISE"] },
        warehouse: { address: members.bondedWarehouse, status: "active", roles: ["WAREHOUSE"], isCustodian: true },
        goods: {
          batchId: system.demo.batches.discs2,
          status: "active",
          quantity: "1600",
          product: { gtin: "06970000000048", hsCode: "870830" },
          lot: "FBS-D-2026-42",
          producer: { address: members.partsMaker },
          custodian: { address: members.bondedWarehouse },
          certificates: [],
        },
        insurance: { value: "48000000", currency: "CNY" },
        activeLien: null,
        lienHistory: [
          expect.objectContaining({ loanId: loans.discs, status: "enforced", outstanding: "25000000", currency: "CNY" }),
        ],
      });
      expect(codes(res.body.warnings)).toEqual(["NO_INSPECTION"]);
      // Discs <- the mill's steel coil (shipped whole to the parts maker and transformed).
      expect(res.body.goods.provenance.upstreamBatches).toBe(1);
      expect(res.body.goods.provenance.recalledUpstream).toEqual([]);
      const head = await system.chain.provider.getBlockNumber();
      expect(res.body.asOf.blockNumber).toBe(head);
    });

    it("refuses a pledged receipt and names the active lien", async () => {
      const res = await system.get(`/api/v1/receipts/${receipts.apples}/verification`);
      expect(res.body.verdict).toBe("not_eligible");
      expect(codes(res.body.reasons)).toEqual(["RECEIPT_PLEDGED"]);
      expect(res.body.activeLien).toMatchObject({ loanId: activeLoanId, status: "active", principal: "2000000", financier: { address: members.bank } });
      expect(res.body.lienHistory.map((l: any) => [l.loanId, l.status])).toEqual([
        [loans.apples, "released"],
        [activeLoanId, "active"],
      ]);
      expect(res.body.lienHistory[0].registrationNumber).toBe("ZDW-2026-370600-00012345");
      expect(res.body.goods.certificates).toEqual([
        expect.objectContaining({ batchId: system.demo.batches.applesD, passed: true, inspector: { address: members.inspector, name: expect.any(String) } }),
      ]);
    });

    it("refuses a receipt whose goods were recalled, with every reason", async () => {
      const res = await system.get(`/api/v1/receipts/${receipts.recalledApples}/verification`);
      expect(res.body.verdict).toBe("not_eligible");
      expect(codes(res.body.reasons)).toEqual(["GOODS_RECALLED", "INSPECTION_FAILED"]);
      expect(codes(res.body.warnings)).toEqual(["NOT_INSURED"]);
      expect(res.body.goods.status).toBe("recalled");
    });

    it("refuses a redeemed receipt", async () => {
      const res = await system.get(`/api/v1/receipts/${receipts.applesReleased}/verification`);
      expect(res.body.verdict).toBe("not_eligible");
      expect(codes(res.body.reasons)).toContain("RECEIPT_REDEEMED");
      expect(res.body.warehouse.isCustodian).toBe(false);
    });

    it("follows the chain: a freeze and a suspended warehouse show up after the next sync", async () => {
      const regulator = connectContracts(system.chain.deployment, await system.chain.signer(signerIndexOf("regulator")));
      await (await regulator.receipts.freeze(receipts.discs, sha256Hex("court order (2026) Lu 06 Zhi 123"))).wait();
      await (await system.chain.contracts.registry.suspend(system.demo.members.bondedWarehouse, sha256Hex("licence review"))).wait();
      try {
        await system.sync();
        const res = await system.get(`/api/v1/receipts/${receipts.discs}/verification`);
        expect(codes(res.body.reasons)).toEqual(["RECEIPT_FROZEN", "WAREHOUSE_NOT_ACTIVE"]);
        expect(res.body.warehouse.status).toBe("suspended");
        const history = await system.get(`/api/v1/receipts/${receipts.discs}/events?type=frozen`);
        expect(history.body.items).toEqual([expect.objectContaining({ actor: { address: members.regulator, name: expect.any(String) } })]);
      } finally {
        await (await system.chain.contracts.registry.reinstate(system.demo.members.bondedWarehouse, sha256Hex("licence renewed"))).wait();
        await (await regulator.receipts.unfreeze(receipts.discs, sha256Hex("order lifted"))).wait();
        await system.sync();
      }
      const res = await system.get(`/api/v1/receipts/${receipts.discs}/verification`);
      expect(res.body.verdict).toBe("eligible");
    });
  });

  describe("loans", () => {
    it("shows the demo's loans with their terms, state and history", async () => {
      const apples = await system.get(`/api/v1/loans/${loans.apples}`);
      expect(apples.status).toBe(200);
      expect(apples.body).toMatchObject({
        id: loans.apples,
        collateral: { kind: "WarehouseReceipt", id: String(receipts.apples), key: expect.stringMatching(/^0x[0-9a-f]{64}$/) },
        borrower: { address: members.orchard },
        financier: { address: members.bank },
        principal: "6000000",
        currency: "CNY",
        outstanding: "0",
        rateBps: 450,
        marginCallLtvBps: 8000,
        valuation: "7200000",
        ltvBps: 8334,
        marginCall: true,
        status: "released",
        registrationNumber: "ZDW-2026-370600-00012345",
      });
      const history = await system.get(`/api/v1/loans/${loans.apples}/events`);
      expect(history.body.items.map((e: any) => e.type)).toEqual([
        "offered", "activated", "registration", "valued", "margin_call", "repayment", "part_released", "repayment", "released",
      ]);
      expect(history.body.items[0].actor.address).toBe(members.orchard);
      expect(history.body.items[1].actor.address).toBe(members.bank);

      const discs = await system.get(`/api/v1/loans/${loans.discs}`);
      expect(discs.body).toMatchObject({ status: "enforced", outstanding: "25000000", enforcedTo: { address: members.autoMaker } });
    });

    it("lists loans by financier, borrower and status", async () => {
      const all = await system.get(`/api/v1/loans?financier=${members.bank}`);
      // The receivables story's loans on lots (one repaid and released, one active) come between the demo's and this file's.
      const lotLoan = system.demo.receivables.outstandingFinance.loanId;
      expect(all.body.items.map((l: any) => l.id)).toEqual([loans.apples, loans.discs, system.demo.receivables.loanId, lotLoan, activeLoanId]);
      const active = await system.get(`/api/v1/loans?status=active`);
      expect(active.body.items.map((l: any) => l.id)).toEqual([lotLoan, activeLoanId]);
      const byBorrower = await system.get(`/api/v1/loans?borrower=${members.partsMaker}`);
      expect(byBorrower.body.items.map((l: any) => l.id)).toEqual([loans.discs, lotLoan]);
    });

    it("lists loans due within a window, soonest first, with overdue flags", async () => {
      const soon = await system.get(`/api/v1/loans/due?financier=${members.bank}&withinDays=30`);
      expect(soon.body.items).toEqual([expect.objectContaining({ id: activeLoanId, overdue: false })]);
      expect(soon.body.items[0].secondsToMaturity).toBeGreaterThan(19 * DAY);
      const none = await system.get(`/api/v1/loans/due?financier=${members.bank}&withinDays=10`);
      expect(none.body.items).toEqual([]);
    });

    it("sums a financier's loan book by currency, maturity and warehouse", async () => {
      const res = await system.get(`/api/v1/financiers/${members.bank}/loan-book`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        financier: { address: members.bank },
        // This file's loan on the apples receipt and the receivables story's loan on a lot.
        activeLoans: 2,
        byCurrency: [{ currency: "CNY", loans: 2, outstanding: "17000000", principal: "17000000" }],
        byMaturity: [
          { bucket: "within_180_days", currency: "CNY", loans: 1, outstanding: "15000000" },
          { bucket: "within_30_days", currency: "CNY", loans: 1, outstanding: "2000000" },
        ],
        // Only loans on warehouse receipts have a warehouse.
        byWarehouse: [{ warehouse: { address: members.coldStore, name: "Yantai Bohai Cold-Chain Warehouse" }, currency: "CNY", loans: 1, outstanding: "2000000" }],
        marginCalls: 0,
      });
      const nobody = await system.get(`/api/v1/financiers/${members.orchard}/loan-book`);
      expect(nobody.body).toMatchObject({ activeLoans: 0, byCurrency: [], byMaturity: [], byWarehouse: [] });
    });

    it("refuses malformed loan ids and answers 404 for unknown ones", async () => {
      const bad = await system.get("/api/v1/loans/not-a-hash");
      expect(bad.status).toBe(400);
      expect(bad.body.error.details).toEqual([expect.objectContaining({ field: "params.id" })]);
      expect((await system.get(`/api/v1/loans/0x${"ab".repeat(32)}`)).status).toBe(404);
      expect((await system.get(`/api/v1/financiers/0x123/loan-book`)).status).toBe(400);
    });
  });
});
