import { describe, expect, it } from "vitest";
import { ROLES } from "../../shared/roles";
import type { DebtorRecord, ReceivableVerificationFacts, TransferRow } from "../../server/receivables/receivables.repository";
import { assessReceivable } from "../../server/receivables/receivable-assessment";
import { chainTo, transferTree } from "../../server/receivables/transfer-tree";
import { ledgerTime } from "../../server/http/ledger-clock";
import { maturityCalendar } from "../../server/receivables/maturity-calendar";

const DAY = 86_400;
const REGISTERED = 1_780_000_000;
const DUE = REGISTERED + 90 * DAY;
const CREDITOR = "0x" + "aa".repeat(20);
const DEBTOR = "0x" + "bb".repeat(20);
const TIER2 = "0x" + "cc".repeat(20);
const TIER3 = "0x" + "dd".repeat(20);
const BANK = "0x" + "ee".repeat(20);

const move = (from: string, to: string, amount: number, kind: TransferRow["kind"] = "transfer", block = 10): TransferRow => ({
  from, to, amount: String(amount), kind, time: REGISTERED + block, blockNumber: block, txHash: "0x" + "12".repeat(32), logIndex: 0,
});

/** The receivable's facts and its debtor's record, as the two cached statements read them. */
type Facts = ReceivableVerificationFacts & { debtorRecord: DebtorRecord };

/** The facts of a sound receivable with tier 2 holding 300 of 1,000 it received from the creditor. */
function facts(change: (f: Facts) => void = () => {}): Facts {
  const f: Facts = {
    receivable: {
      id: 4, creditor: CREDITOR, debtor: DEBTOR, faceValue: "1000", currency: "CNY", dueDate: DUE, graceSeconds: 10 * DAY,
      invoiceHash: "0x" + "01".repeat(32), documentHash: "0x" + "02".repeat(32), status: "confirmed", paid: "0",
      disputed: false, frozen: false, paymentAgent: null, registeredAt: REGISTERED, confirmedAt: REGISTERED,
      createdBlock: 5, createdTx: "0x" + "03".repeat(32), updatedBlock: 10,
    },
    members: [
      { address: CREDITOR, name: "Tier 1", roles: ROLES.ENTERPRISE, status: "active" },
      { address: DEBTOR, name: "Auto maker", roles: ROLES.ENTERPRISE, status: "active" },
      { address: TIER2, name: "Tier 2", roles: ROLES.ENTERPRISE, status: "active" },
    ],
    holding: { holder: TIER2, amount: "300", earmarked: "0", pledged: "0", settled: "0", closed: false, openSaleOffers: "0" },
    holders: 2,
    transfers: [move(CREDITOR, TIER2, 300)],
    disputesAndFreezes: [],
    liens: [],
    debtorRecord: { paidOnTime: 3, paidLate: 0, open: [{ currency: "CNY", deadline: DUE + 10 * DAY, outstanding: "1000", count: 1 }] },
    checkpoint: { blockNumber: 11, blockHash: "0x" + "44".repeat(32), blockTime: REGISTERED + DAY },
  };
  change(f);
  return f;
}
const codes = (findings: { code: string }[]) => findings.map((finding) => finding.code);
const assess = (f: Facts, now = REGISTERED + DAY, holder: string | null = TIER2) => assessReceivable(f, f.debtorRecord, holder, 7, now);

describe("receivable assessment (the verdict rules)", () => {
  it("finds a confirmed receivable of a debtor that pays on time eligible, with the holder's amounts and chain", () => {
    const view = assess(facts());
    expect(view).toMatchObject({ verdict: "eligible", reasons: [], warnings: [] });
    expect(view.holder).toMatchObject({ amount: "300", free: "300", status: "active" });
    expect(view.debtor.paymentRecord).toEqual({
      dueReceivables: 3, paidOnTime: 3, paidLate: 0, onTimeRatio: 1, overdue: [], outstanding: [{ currency: "CNY", amount: "1000", count: 1 }],
    });
    expect(view.transferChain.map((t) => [t.from.name, t.to.name])).toEqual([["Tier 1", "Tier 2"]]);
  });

  it("refuses an unconfirmed, a closed, a disputed or a frozen receivable", () => {
    expect(codes(assess(facts((f) => ((f.receivable.status = "registered"), (f.receivable.confirmedAt = null)))).reasons)).toEqual(["NOT_CONFIRMED"]);
    expect(assess(facts((f) => (f.receivable.status = "registered"))).receivable.confirmedByDebtor).toBe(true);
    for (const status of ["cancelled", "rejected", "settled"] as const) {
      expect(codes(assess(facts((f) => (f.receivable.status = status))).reasons)).toEqual(["RECEIVABLE_CLOSED"]);
    }
    expect(codes(assess(facts((f) => (f.receivable.disputed = true))).reasons)).toEqual(["RECEIVABLE_DISPUTED"]);
    expect(codes(assess(facts((f) => (f.receivable.frozen = true))).reasons)).toEqual(["RECEIVABLE_FROZEN"]);
  });

  it("warns when the due date is near, refuses once it has passed, and calls it overdue after the grace period", () => {
    expect(codes(assess(facts(), DUE - 3 * DAY).warnings)).toEqual(["DUE_SOON"]);
    const due = assess(facts(), DUE);
    expect(codes(due.reasons)).toEqual(["PAST_DUE"]);
    expect(due.receivable.overdue).toBe(false);
    const overdue = assess(facts(), DUE + 11 * DAY);
    // Its own arrears count in the debtor's record too.
    expect(codes(overdue.reasons)).toEqual(["PAST_DUE", "DEBTOR_IN_ARREARS"]);
    expect(overdue.reasons[0].message).toContain("and is overdue");
    expect(overdue.debtor.paymentRecord).toMatchObject({ dueReceivables: 4, onTimeRatio: 0.75, overdue: [{ currency: "CNY", amount: "1000", count: 1 }] });
  });

  it("refuses a receivable in settlement: the debtor has started paying, nothing moves any more", () => {
    expect(codes(assess(facts((f) => (f.receivable.paid = "400"))).reasons)).toEqual(["IN_SETTLEMENT"]);
  });

  it("weighs the debtor: not active, in arrears on other receivables, paid late before, or no record yet", () => {
    expect(assess(facts((f) => (f.members[1].status = "suspended"))).reasons).toEqual([
      { code: "DEBTOR_NOT_ACTIVE", message: "the debtor is suspended" },
    ]);
    const arrears = facts((f) => f.debtorRecord.open.push({ currency: "USD", deadline: REGISTERED - DAY, outstanding: "250", count: 2 }));
    expect(assess(arrears).reasons).toEqual([
      { code: "DEBTOR_IN_ARREARS", message: "the debtor has overdue receivables outstanding: USD 250" },
    ]);
    const late = assess(facts((f) => (f.debtorRecord.paidLate = 1)));
    expect(codes(late.warnings)).toEqual(["DEBTOR_PAID_LATE"]);
    expect(late.debtor.paymentRecord.onTimeRatio).toBe(0.75);
    const newcomer = assess(facts((f) => (f.debtorRecord.paidOnTime = 0)));
    expect(codes(newcomer.warnings)).toEqual(["NO_PAYMENT_RECORD"]);
    expect(newcomer.debtor.paymentRecord.onTimeRatio).toBeNull();
  });

  it("weighs the holder's part: nothing held, all earmarked, partly earmarked, offered for sale, not a member", () => {
    expect(codes(assess(facts((f) => (f.holding = null))).reasons)).toEqual(["NOTHING_HELD"]);
    const allPledged = facts((f) => Object.assign(f.holding!, { earmarked: "300", pledged: "300" }));
    expect(codes(assess(allPledged).reasons)).toEqual(["NO_FREE_AMOUNT"]);
    const part = assess(facts((f) => Object.assign(f.holding!, { earmarked: "100", pledged: "100", openSaleOffers: "50" })));
    expect(part.verdict).toBe("eligible");
    expect(codes(part.warnings)).toEqual(["PARTLY_EARMARKED", "OPEN_SALE_OFFER"]);
    expect(part.holder).toMatchObject({ free: "200", earmarked: "100", pledged: "100" });
    const stranger = assess(facts((f) => (f.holding = null)), REGISTERED + DAY, BANK);
    expect(stranger.reasons).toEqual([
      { code: "HOLDER_NOT_ACTIVE", message: "the holder is not a member" },
      { code: "NOTHING_HELD", message: "the holder holds no part of this receivable" },
    ]);
  });

  it("assesses the receivable as a whole without a holder, with every transfer", () => {
    const view = assess(facts((f) => f.transfers.push(move(TIER2, TIER3, 100, "transfer", 11))), REGISTERED + DAY, null);
    expect(view.holder).toBeNull();
    expect(view.verdict).toBe("eligible");
    expect(view.transferChain).toHaveLength(2);
  });

  it("warns about a dispute that was resolved", () => {
    const resolved = facts((f) => {
      const event = { txHash: "0x" + "05".repeat(32), blockHash: "0x" + "06".repeat(32), logIndex: 0, blockNumber: 9, blockTime: REGISTERED, receivableId: 4, actor: DEBTOR, counterparty: null, amount: null, details: {} };
      f.disputesAndFreezes.push({ ...event, type: "disputed" }, { ...event, logIndex: 1, type: "dispute_resolved" });
    });
    expect(codes(assess(resolved).warnings)).toEqual(["DISPUTED_BEFORE"]);
  });
});

describe("transfer tree", () => {
  it("keeps each member once, under the holder it first received value from, depth first", () => {
    const transfers = [
      move(CREDITOR, TIER2, 500, "transfer", 1),
      move(CREDITOR, BANK, 100, "sale", 2),
      move(TIER2, TIER3, 200, "transfer", 3),
      // Tier 3 is paid again, by the creditor this time, and passes some back up to tier 2.
      move(CREDITOR, TIER3, 50, "transfer", 4),
      move(TIER3, TIER2, 30, "transfer", 5),
    ];
    const holds = new Map([[CREDITOR, 350n], [TIER2, 330n], [TIER3, 220n], [BANK, 100n]]);
    const tree = transferTree(CREDITOR, 1000n, transfers, holds);
    expect(tree.map((n) => [n.holder, n.parent, n.depth, n.received, n.passedOn, n.holds])).toEqual([
      [CREDITOR, null, 0, 1000n, 650n, 350n],
      [TIER2, CREDITOR, 1, 530n, 200n, 330n],
      [TIER3, TIER2, 2, 250n, 30n, 220n],
      [BANK, CREDITOR, 1, 100n, 0n, 100n],
    ]);
    // The chain to tier 3 follows the tree's path, and names every move along it (both directions).
    expect(chainTo(TIER3, tree, transfers).map((t) => t.blockNumber)).toEqual([1, 3]);
    expect(chainTo(CREDITOR, tree, transfers)).toEqual([]);
    expect(chainTo(BANK, tree, transfers).map((t) => t.kind)).toEqual(["sale"]);
  });
});

describe("ledger time", () => {
  it("is the later of the wall clock and the latest indexed block's time", () => {
    expect(ledgerTime(REGISTERED, REGISTERED * 1000 - 5_000)).toBe(REGISTERED);
    expect(ledgerTime(REGISTERED, (REGISTERED + 60) * 1000 + 999)).toBe(REGISTERED + 60);
    expect(ledgerTime(undefined, REGISTERED * 1000)).toBe(REGISTERED);
  });
});

describe("maturity calendar", () => {
  it("keeps overdue apart, folds what is within grace into the current month, and puts what lies beyond the window in later", () => {
    const at = Date.UTC(2027, 2, 15) / 1000; // 15 March 2027
    const row = (side: "receivable" | "payable", bucket: string, amount: number, currency = "CNY") => ({ side, bucket, currency, amount: String(amount), count: 1 });
    const calendar = maturityCalendar(
      [
        row("receivable", "overdue", 5),
        row("payable", "2027-02", 7), // due in February, still within grace
        row("receivable", "2027-03", 10),
        row("receivable", "2027-03", 20, "USD"),
        row("payable", "2027-05", 30),
        row("receivable", "2027-06", 40), // beyond a three-month window
      ],
      at,
      3,
    );
    expect(calendar.overdue).toEqual([{ currency: "CNY", receivable: "5", receivableCount: 1, payable: "0", payableCount: 0 }]);
    expect(calendar.months.map((m) => [m.month, m.currency, m.receivable, m.payable])).toEqual([
      ["2027-03", "CNY", "10", "7"],
      ["2027-03", "USD", "20", "0"],
      ["2027-05", "CNY", "0", "30"],
    ]);
    expect(calendar.later).toEqual([{ currency: "CNY", receivable: "40", receivableCount: 1, payable: "0", payableCount: 0 }]);
  });
});
