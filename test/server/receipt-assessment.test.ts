import { describe, expect, it } from "vitest";
import { ROLES } from "../../shared/roles";
import type { VerificationFacts } from "../../server/receipts/receipts.repository";
import { assessReceipt } from "../../server/receipts/receipts.service";

const DAY = 86_400;
const ISSUED = 1_780_000_000;
const WAREHOUSE = "0x" + "aa".repeat(20);
const HOLDER = "0x" + "bb".repeat(20);
const BANK = "0x" + "cc".repeat(20);

/** The facts of a sound receipt; each test changes what it is about. */
function facts(change: (f: VerificationFacts) => void = () => {}): VerificationFacts {
  const f: VerificationFacts = {
    receipt: {
      id: 7, batchId: 12, warehouse: WAREHOUSE, holder: HOLDER, quantity: "1000", unit: "KGM", location: "room 1",
      issuedAt: ISSUED, expiresAt: ISSUED + 365 * DAY, insuredValue: "500000", insuranceCurrency: "CNY", policyHash: null,
      documentHash: "0x" + "11".repeat(32), status: "live", pledged: false, frozen: false, redemptionRequested: false,
      splitFrom: null, lastAttestedAt: ISSUED + 10 * DAY, lastAttestationHash: "0x" + "22".repeat(32),
      createdBlock: 5, createdTx: "0x" + "33".repeat(32), updatedBlock: 9,
    },
    batch: {
      id: 12, status: "active", quantity: "1000", gtin: "06970000000017", productName: "apples", hsCode: "080810",
      lot: "L1", originRegion: 370686, producedAt: ISSUED - DAY, producer: HOLDER, custodian: WAREHOUSE,
    },
    members: [
      { address: WAREHOUSE, name: "Cold store", roles: ROLES.WAREHOUSE, status: "active" },
      { address: HOLDER, name: "Orchard", roles: ROLES.ENTERPRISE, status: "active" },
    ],
    inspections: [{ batchId: 12, inspector: BANK, passed: true, certificateHash: null, time: ISSUED }],
    splitFrom: [],
    upstreamBatches: 0,
    recalledUpstream: [],
    custodyHandovers: 1,
    liens: [],
    checkpoint: { blockNumber: 100, blockHash: "0x" + "44".repeat(32), blockTime: ISSUED },
  };
  change(f);
  return f;
}
const codes = (findings: { code: string }[]) => findings.map((finding) => finding.code);
const assess = (f: VerificationFacts, now = ISSUED + 20 * DAY, maxAgeDays = 30) => assessReceipt(f, maxAgeDays * DAY, now);

describe("receipt assessment (the verdict rules)", () => {
  it("finds a sound receipt eligible with no warnings", () => {
    const view = assess(facts());
    expect(view).toMatchObject({ verdict: "eligible", reasons: [], warnings: [] });
    expect(view.attestation).toEqual({ lastAttestedAt: ISSUED + 10 * DAY, ageSeconds: 10 * DAY, maxAgeSeconds: 30 * DAY });
  });

  it("counts the attestation age from issue when the goods were never checked, and refuses it when stale", () => {
    const never = facts((f) => (f.receipt.lastAttestedAt = null));
    expect(assess(never, ISSUED + 29 * DAY).verdict).toBe("eligible");
    const stale = assess(never, ISSUED + 31 * DAY);
    expect(codes(stale.reasons)).toEqual(["ATTESTATION_STALE"]);
    expect(stale.reasons[0].message).toBe("the goods were last checked 31 days ago (limit 30)");
    expect(assess(never, ISSUED + 31 * DAY, 60).verdict).toBe("eligible");
  });

  it("warns when the storage term ends within 30 days and refuses once it has ended", () => {
    expect(codes(assess(facts(), ISSUED + 340 * DAY, 400).warnings)).toEqual(["EXPIRES_SOON"]);
    expect(codes(assess(facts(), ISSUED + 365 * DAY, 400).reasons)).toEqual(["RECEIPT_EXPIRED"]);
    expect(assess(facts((f) => (f.receipt.expiresAt = null)), ISSUED + 3000 * DAY, 4000).verdict).toBe("eligible");
  });

  it("refuses when the warehouse lost its role, is not a member, or no longer holds the goods", () => {
    const noRole = facts((f) => (f.members[0].roles = ROLES.ENTERPRISE));
    expect(assess(noRole).reasons).toEqual([
      { code: "WAREHOUSE_NOT_ACTIVE", message: "the issuing warehouse no longer holds the WAREHOUSE role" },
    ]);
    const unknown = facts((f) => f.members.splice(0, 1));
    expect(assess(unknown).reasons[0].message).toBe("the issuing warehouse is not a member");
    const moved = facts((f) => (f.batch.custodian = HOLDER));
    expect(codes(assess(moved).reasons)).toEqual(["WAREHOUSE_NOT_CUSTODIAN"]);
  });

  it("refuses goods on hold, recalled upstream, or whose latest inspection failed; an earlier failure retested is fine", () => {
    expect(codes(assess(facts((f) => (f.batch.status = "on_hold"))).reasons)).toEqual(["GOODS_ON_HOLD"]);
    expect(codes(assess(facts((f) => (f.recalledUpstream = [3, 4]))).reasons)).toEqual(["UPSTREAM_RECALLED"]);
    const failedLast = facts((f) => f.inspections.push({ batchId: 12, inspector: BANK, passed: false, certificateHash: null, time: ISSUED + DAY }));
    expect(codes(assess(failedLast).reasons)).toEqual(["INSPECTION_FAILED"]);
    const retested = facts((f) => f.inspections.unshift({ batchId: 9, inspector: BANK, passed: false, certificateHash: null, time: ISSUED - DAY }));
    expect(assess(retested).verdict).toBe("eligible");
  });

  it("warns of open pledge offers and names the financier", () => {
    const offered = facts((f) => {
      f.members.push({ address: BANK, name: "Bank", roles: ROLES.FINANCIER, status: "active" });
      f.liens.push({
        id: "0x" + "55".repeat(32), financier: BANK, status: "offered", principal: "100", outstanding: "100", currency: "CNY",
        maturity: ISSUED + 90 * DAY, registrationNumber: null, offeredAt: ISSUED, activatedAt: null, closedAt: null,
      });
    });
    const view = assess(offered);
    expect(view.verdict).toBe("eligible");
    expect(view.warnings).toEqual([{ code: "OPEN_PLEDGE_OFFER", message: "the holder has offered the receipt to Bank" }]);
    expect(view.activeLien).toBeNull();
    expect(view.lienHistory).toHaveLength(1);
  });
});
