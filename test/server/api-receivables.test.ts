import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectContracts } from "../../shared/chain/contracts";
import { eventArgs } from "../../shared/chain/events";
import { sha256Hex } from "../../shared/hashing";
import { encodeCurrency } from "../../shared/trade-codes";
import { DEMO_MEMBERS, type DemoMemberKey } from "../../scripts/demo/scenario";
import { RECEIVABLE_AMOUNTS as A } from "../../scripts/demo/receivables";
import { startTestSystem, type TestSystem } from "../support/system";
import { databaseKind } from "../support/database";

const signerIndexOf = (key: DemoMemberKey) => DEMO_MEMBERS.findIndex((member) => member.key === key) + 1;
const codes = (findings: { code: string }[]) => findings.map((finding) => finding.code);
const monthOf = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 7);

describe(`receivables through the API (${databaseKind})`, () => {
  let system: TestSystem;
  let members: Record<DemoMemberKey, string>;
  let ids: TestSystem["demo"]["receivables"];
  const wait = async (tx: Promise<{ wait(): Promise<unknown> }>) => (await tx).wait();
  const as = async (key: DemoMemberKey) => connectContracts(system.chain.deployment, await system.chain.signer(signerIndexOf(key)));

  beforeAll(async () => {
    system = await startTestSystem();
    members = Object.fromEntries(
      Object.entries(system.demo.members).map(([key, address]) => [key, address.toLowerCase()]),
    ) as Record<DemoMemberKey, string>;
    ids = system.demo.receivables;
  });
  afterAll(async () => {
    await system?.stop();
  });

  it("shows the settled supply-chain receivable with every holder's settled amount, its lot and its sale", async () => {
    const res = await system.get(`/api/v1/receivables/${ids.supplyChain}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: ids.supplyChain,
      creditor: { address: members.partsMaker, name: "Fushan Brake Systems Co." },
      debtor: { address: members.autoMaker, name: "Yantai Auto Works" },
      faceValue: String(A.supplyChain),
      currency: "CNY",
      status: "settled",
      paid: String(A.supplyChain),
      outstanding: "0",
      overdue: false,
      disputed: false,
    });
    expect(res.body.confirmedAt).toBe(res.body.registeredAt);
    const settled = Object.fromEntries(res.body.holdings.map((h: any) => [h.holder.address, h.settled]));
    expect(settled).toEqual({
      [members.partsMaker]: String(A.supplyChain - A.toSteelMill - A.toFoundry),
      [members.steelMill]: String(A.toSteelMill - A.steelMillToRefractory),
      [members.foundry]: String(A.toFoundry - A.sold),
      [members.refractory]: String(A.steelMillToRefractory),
      [members.bank]: String(A.sold),
    });
    expect(res.body.holdings.every((h: any) => h.closed && h.amount === "0" && h.free === "0")).toBe(true);
    expect(res.body.lots).toEqual([
      { id: ids.lotId, holder: expect.objectContaining({ address: members.steelMill }), amount: String(A.lot), pledged: false, status: "released", loanId: ids.loanId },
    ]);
    expect(res.body.sales).toEqual([
      {
        id: ids.saleId,
        seller: expect.objectContaining({ address: members.foundry }),
        financier: expect.objectContaining({ address: members.bank }),
        amount: String(A.sold),
        price: String(A.salePrice),
        discountBps: 120,
        status: "sold",
      },
    ]);
  });

  it("lists receivables by creditor, debtor, holder, status and overdue, and pages through them", async () => {
    const list = async (query: string) => (await system.get(`/api/v1/receivables?${query}`)).body.items.map((r: any) => r.id);
    expect(await list(`debtor=${members.autoMaker}`)).toEqual([ids.supplyChain, ids.outstanding]);
    expect(await list(`creditor=${members.orchard}`)).toEqual([ids.overdue]);
    // The supply-chain receivable was settled: the steel mill no longer holds any of it.
    expect(await list(`holder=${members.steelMill}`)).toEqual([ids.outstanding]);
    expect(await list(`overdue=true`)).toEqual([ids.overdue]);
    expect(await list(`overdue=false&status=confirmed`)).toEqual([ids.outstanding, ids.disputed]);
    expect(await list(`status=settled&currency=CNY`)).toEqual([ids.supplyChain]);

    const first = await system.get(`/api/v1/receivables?limit=2`);
    expect(first.body.items.map((r: any) => r.id)).toEqual([ids.supplyChain, ids.overdue]);
    const second = await system.get(`/api/v1/receivables?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((r: any) => r.id)).toEqual([ids.outstanding, ids.disputed]);
    expect(second.body.nextCursor).toBeNull();

    const overdue = await system.get(`/api/v1/receivables/${ids.overdue}`);
    expect(overdue.body).toMatchObject({
      status: "confirmed",
      overdue: true,
      paid: String(A.overduePartialPayment),
      outstanding: String(A.overdue - A.overduePartialPayment),
    });
  });

  it("draws the transfer tree: two tiers down the chain, and the foundry's sale to the bank", async () => {
    const res = await system.get(`/api/v1/receivables/${ids.supplyChain}/transfers`);
    expect(res.status).toBe(200);
    const nodes = res.body.tree.map((n: any) => [n.holder.address, n.parent, n.depth, n.received, n.passedOn]);
    expect(nodes).toEqual([
      [members.partsMaker, null, 0, String(A.supplyChain), String(A.toSteelMill + A.toFoundry)],
      [members.steelMill, members.partsMaker, 1, String(A.toSteelMill), String(A.steelMillToRefractory)],
      [members.refractory, members.steelMill, 2, String(A.steelMillToRefractory), "0"],
      [members.foundry, members.partsMaker, 1, String(A.toFoundry), String(A.sold)],
      [members.bank, members.foundry, 2, String(A.sold), "0"],
    ]);
    expect(res.body.tree.every((n: any) => n.holds === "0")).toBe(true);
    expect(res.body.transfers.map((t: any) => [t.from.address, t.to.address, t.amount, t.kind])).toEqual([
      [members.partsMaker, members.steelMill, String(A.toSteelMill), "transfer"],
      [members.partsMaker, members.foundry, String(A.toFoundry), "transfer"],
      [members.steelMill, members.refractory, String(A.steelMillToRefractory), "transfer"],
      [members.foundry, members.bank, String(A.sold), "sale"],
    ]);
  });

  it("tells the history, filtered by type: one settlement row per holder", async () => {
    const settled = await system.get(`/api/v1/receivables/${ids.supplyChain}/events?type=holder_settled`);
    expect(settled.body.items.map((e: any) => e.counterparty.address).sort()).toEqual(
      ids.supplyChainHolders.map((a) => a.toLowerCase()).sort(),
    );
    const all = await system.get(`/api/v1/receivables/${ids.supplyChain}/events?limit=200`);
    const types = all.body.items.map((e: any) => e.type);
    expect(types.slice(0, 2)).toEqual(["registered", "confirmed"]);
    expect(types).toEqual(expect.arrayContaining(["transferred", "sale_offered", "sold", "earmarked", "lot_pledged", "payment", "settled"]));
    const payment = all.body.items.find((e: any) => e.type === "payment");
    expect(payment).toMatchObject({ actor: { address: members.autoMaker }, amount: String(A.supplyChain) });
  });

  describe("verification for banks", () => {
    it("finds the next delivery's receivable eligible for the steel mill's part, with the chain that brought it", async () => {
      const res = await system.get(`/api/v1/receivables/${ids.outstanding}/verification?holder=${members.steelMill}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        receivableId: ids.outstanding,
        verdict: "eligible",
        reasons: [],
        receivable: { status: "confirmed", confirmedByDebtor: true, outstanding: String(A.outstanding), overdue: false },
        debtor: {
          address: members.autoMaker,
          status: "active",
          roles: ["ENTERPRISE"],
          // The supply-chain receivable was paid on its due date.
          paymentRecord: { dueReceivables: 1, paidOnTime: 1, paidLate: 0, onTimeRatio: 1, overdue: [] },
        },
        holder: { address: members.steelMill, amount: String(A.outstandingToSteelMill), free: String(A.outstandingToSteelMill), pledged: "0" },
        holders: 3,
        disputesAndFreezes: [],
      });
      // The brake maker's lot is pledged to the bank: the bank sees every lien on the receivable.
      expect(res.body.liens).toEqual([
        expect.objectContaining({ lotId: ids.outstandingFinance.lotId, loanId: ids.outstandingFinance.loanId, status: "active", principal: String(A.outstandingLoanPrincipal) }),
      ]);
      expect(res.body.debtor.paymentRecord.outstanding).toEqual([{ currency: "CNY", amount: String(A.outstanding), count: 1 }]);
      expect(res.body.transferChain.map((t: any) => [t.from.address, t.to.address])).toEqual([[members.partsMaker, members.steelMill]]);
      expect(res.body.asOf.blockNumber).toBeGreaterThan(0);
      // The creditor's own part: nothing was transferred to it; a third of it is pledged, the rest free.
      const creditor = await system.get(`/api/v1/receivables/${ids.outstanding}/verification?holder=${members.partsMaker}`);
      const held = A.outstanding - A.outstandingToSteelMill - A.outstandingSold;
      expect(creditor.body).toMatchObject({
        verdict: "eligible",
        holder: { amount: String(held), earmarked: String(A.outstandingLot), pledged: String(A.outstandingLot), free: String(held - A.outstandingLot) },
        transferChain: [],
      });
      expect(codes(creditor.body.warnings)).toEqual(["PARTLY_EARMARKED"]);
    });

    it("refuses the overdue, the disputed and the settled receivable, each for its reasons", async () => {
      const overdue = await system.get(`/api/v1/receivables/${ids.overdue}/verification?holder=${members.orchard}`);
      expect(overdue.body.verdict).toBe("not_eligible");
      expect(codes(overdue.body.reasons)).toEqual(["IN_SETTLEMENT", "PAST_DUE", "DEBTOR_IN_ARREARS"]);
      expect(overdue.body.debtor.paymentRecord).toMatchObject({
        dueReceivables: 1,
        paidOnTime: 0,
        onTimeRatio: 0,
        overdue: [{ currency: "CNY", amount: String(A.overdue - A.overduePartialPayment), count: 1 }],
      });

      const disputed = await system.get(`/api/v1/receivables/${ids.disputed}/verification`);
      expect(codes(disputed.body.reasons)).toEqual(["RECEIVABLE_DISPUTED"]);
      expect(codes(disputed.body.warnings)).toContain("NO_PAYMENT_RECORD");
      expect(disputed.body.holder).toBeNull();
      expect(disputed.body.disputesAndFreezes.map((e: any) => e.type)).toEqual(["disputed"]);

      const settled = await system.get(`/api/v1/receivables/${ids.supplyChain}/verification?holder=${members.bank}`);
      expect(codes(settled.body.reasons)).toEqual(["RECEIVABLE_CLOSED", "NOTHING_HELD"]);
      expect(settled.body.transferChain.map((t: any) => [t.from.address, t.to.address, t.kind])).toEqual([
        [members.partsMaker, members.foundry, "transfer"],
        [members.foundry, members.bank, "sale"],
      ]);
    });

    it("names a holder that is no member, and answers 404 and 400 for what does not exist or is malformed", async () => {
      const stranger = "0x" + "ab".repeat(20);
      const res = await system.get(`/api/v1/receivables/${ids.outstanding}/verification?holder=${stranger}`);
      expect(codes(res.body.reasons)).toEqual(["HOLDER_NOT_ACTIVE", "NOTHING_HELD"]);
      expect(res.body.holder).toMatchObject({ status: "unknown", amount: "0" });

      const missing = await system.get(`/api/v1/receivables/999999/verification`);
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe("NOT_FOUND");
      const malformed = await system.get(`/api/v1/receivables/abc/verification?holder=0x12&minDaysToDue=-1`);
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.details.map((d: any) => d.field).sort()).toEqual(["params.id", "query.holder", "query.minDaysToDue"]);
    });
  });

  it("lists a member's holdings, the closed ones on request", async () => {
    const open = await system.get(`/api/v1/members/${members.steelMill}/receivables`);
    expect(open.status).toBe(200);
    expect(open.body.items.map((i: any) => [i.receivable.id, i.holding.amount, i.holding.free])).toEqual([
      [ids.outstanding, String(A.outstandingToSteelMill), String(A.outstandingToSteelMill)],
    ]);
    const all = await system.get(`/api/v1/members/${members.steelMill}/receivables?includeClosed=true`);
    expect(all.body.items.map((i: any) => [i.receivable.id, i.holding.closed, i.holding.settled])).toEqual([
      [ids.supplyChain, true, String(A.toSteelMill - A.steelMillToRefractory)],
      [ids.outstanding, false, "0"],
    ]);
    const stranger = await system.get(`/api/v1/members/0x${"cd".repeat(20)}/receivables`);
    expect(stranger.status).toBe(404);
  });

  it("puts what members are to receive and to pay in a maturity calendar, overdue apart", async () => {
    const outstanding = (await system.get(`/api/v1/receivables/${ids.outstanding}`)).body;
    const autoMaker = await system.get(`/api/v1/members/${members.autoMaker}/maturity-calendar`);
    expect(autoMaker.status).toBe(200);
    expect(autoMaker.body).toMatchObject({
      member: { address: members.autoMaker, name: "Yantai Auto Works" },
      overdue: [],
      months: [{ month: monthOf(outstanding.dueDate), currency: "CNY", payable: String(A.outstanding), payableCount: 1, receivable: "0" }],
      later: [],
    });
    const steelMill = await system.get(`/api/v1/members/${members.steelMill}/maturity-calendar`);
    expect(steelMill.body.months).toEqual([
      { month: monthOf(outstanding.dueDate), currency: "CNY", receivable: String(A.outstandingToSteelMill), receivableCount: 1, payable: "0", payableCount: 0 },
    ]);
    // A one-month window ends before the next delivery falls due.
    const short = await system.get(`/api/v1/members/${members.steelMill}/maturity-calendar?months=1`);
    expect(short.body.months).toEqual([]);
    expect(short.body.later).toEqual([expect.objectContaining({ receivable: String(A.outstandingToSteelMill) })]);

    const owed = String(A.overdue - A.overduePartialPayment);
    const orchard = await system.get(`/api/v1/members/${members.orchard}/maturity-calendar`);
    expect(orchard.body.overdue).toEqual([{ currency: "CNY", receivable: owed, receivableCount: 1, payable: "0", payableCount: 0 }]);
    const juicePlant = await system.get(`/api/v1/members/${members.juicePlant}/maturity-calendar`);
    expect(juicePlant.body.overdue).toEqual([{ currency: "CNY", receivable: "0", receivableCount: 0, payable: owed, payableCount: 1 }]);
  });

  it("gives the regulator outstanding amounts by debtor and what is overdue", async () => {
    const res = await system.get(`/api/v1/receivables/exposure`);
    expect(res.status).toBe(200);
    const byDebtor = Object.fromEntries(res.body.byDebtor.map((row: any) => [row.debtor.address, [row.outstanding, row.overdue, row.receivables]]));
    const owed = String(A.overdue - A.overduePartialPayment);
    expect(byDebtor).toEqual({
      [members.autoMaker]: [String(A.outstanding), "0", 1],
      [members.juicePlant]: [owed, owed, 1],
      [members.exporter]: [String(A.disputed), "0", 1],
    });
    expect(res.body.overdue).toEqual([{ currency: "CNY", receivables: 1, outstanding: owed }]);
    expect(res.body.byFinancier).toEqual([
      {
        financier: { address: members.bank, name: "Yantai Commercial Bank Supply-Chain Finance" },
        currency: "CNY",
        purchased: String(A.outstandingSold),
        overdue: "0",
        pledgedLoans: 1,
        lent: String(A.outstandingLoanPrincipal),
      },
    ]);
  });

  it("follows the chain: a discount, a pledge and a freeze show in the verification and the regulator view after the next sync", async () => {
    const [steelMill, bank, regulator] = await Promise.all([as("steelMill"), as("bank"), as("regulator")]);
    const before = await system.get(`/api/v1/receivables/${ids.outstanding}/verification?holder=${members.steelMill}`);
    expect(before.body.verdict).toBe("eligible");

    // The steel mill sells 50,000.00 to the bank and earmarks the rest into a lot pledged for a loan.
    const sold = 5_000_000;
    const offered = await (await steelMill.receivables.offerSale(ids.outstanding, members.bank, sold, 4_900_000)).wait();
    const { saleId } = eventArgs(offered!, steelMill.receivables, "SaleOffered");
    await wait(bank.receivables.acceptSale(saleId));
    const lotAmount = A.outstandingToSteelMill - sold;
    const earmarked = await (await steelMill.receivables.earmark(ids.outstanding, lotAmount)).wait();
    const { lotId } = eventArgs(earmarked!, steelMill.receivables, "LotEarmarked");
    const block = await system.chain.provider.getBlock("latest");
    const terms = {
      collateral: await steelMill.receivables.getAddress(),
      collateralId: lotId,
      borrower: members.steelMill,
      financier: members.bank,
      principal: 10_000_000,
      currency: encodeCurrency("CNY"),
      maturity: block!.timestamp + 120 * 86_400,
      rateBps: 450,
      marginCallLtvBps: 9_000,
      offerExpiresAt: block!.timestamp + 7 * 86_400,
      salt: sha256Hex("api test lot pledge"),
    };
    await wait(steelMill.liens.offer(terms));
    await wait(bank.liens.accept(terms, lotAmount));
    await system.sync();

    const pledged = await system.get(`/api/v1/receivables/${ids.outstanding}/verification?holder=${members.steelMill}`);
    expect(pledged.body.verdict).toBe("not_eligible");
    expect(codes(pledged.body.reasons)).toEqual(["NO_FREE_AMOUNT"]);
    expect(pledged.body.holder).toMatchObject({ amount: String(lotAmount), earmarked: String(lotAmount), pledged: String(lotAmount), free: "0" });
    expect(pledged.body.liens).toEqual([
      expect.objectContaining({ lotId: ids.outstandingFinance.lotId }),
      expect.objectContaining({ lotId: Number(lotId), status: "active", principal: "10000000", financier: expect.objectContaining({ address: members.bank }) }),
    ]);
    const bankPart = await system.get(`/api/v1/receivables/${ids.outstanding}/verification?holder=${members.bank}`);
    const bankHolds = String(A.outstandingSold + sold);
    expect(bankPart.body).toMatchObject({ verdict: "eligible", holder: { amount: bankHolds, free: bankHolds } });
    // The bank first bought from the brake maker: the tree (and so the chain) has it under the creditor.
    expect(bankPart.body.transferChain.map((t: any) => [t.from.address, t.kind])).toEqual([[members.partsMaker, "sale"]]);
    const tree = await system.get(`/api/v1/receivables/${ids.outstanding}/transfers`);
    expect(tree.body.transfers.map((t: any) => [t.from.address, t.to.address, t.kind])).toEqual([
      [members.partsMaker, members.steelMill, "transfer"],
      [members.partsMaker, members.bank, "sale"],
      [members.steelMill, members.bank, "sale"],
    ]);

    const exposure = await system.get(`/api/v1/receivables/exposure`);
    expect(exposure.body.byFinancier).toEqual([
      {
        financier: { address: members.bank, name: "Yantai Commercial Bank Supply-Chain Finance" },
        currency: "CNY",
        purchased: bankHolds,
        overdue: "0",
        pledgedLoans: 2,
        lent: String(A.outstandingLoanPrincipal + 10_000_000),
      },
    ]);

    await wait(regulator.receivables.freeze(ids.outstanding, sha256Hex("court order (2026) Lu 06 Zhi Bao 118")));
    await system.sync();
    const frozen = await system.get(`/api/v1/receivables/${ids.outstanding}/verification?holder=${members.bank}`);
    expect(codes(frozen.body.reasons)).toEqual(["RECEIVABLE_FROZEN"]);
    expect(frozen.body.disputesAndFreezes.map((e: any) => [e.type, e.actor.address])).toEqual([["frozen", members.regulator]]);
  });
});
