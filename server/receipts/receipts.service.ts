import { ROLES } from "../../shared/roles";
import { decodeCursor, toPage, type Page } from "../http/common-schemas";
import { NotFoundError, NotReadyError } from "../errors";
import type { IndexedCache } from "../http/indexed-cache";
import { ledgerTime } from "../http/ledger-clock";
import type { MembersRepository } from "../members/members.repository";
import { labeller, partyLabeller, standings } from "../members/parties";
import type { LienFacts, ReceiptEventRow, ReceiptRow, ReceiptsRepository, VerificationFacts } from "./receipts.repository";
import type {
  ListReceiptsQuery, ReceiptEventsQuery, ReceiptEventView, ReceiptView, VerificationQuery, VerificationReason,
  VerificationView, VerificationWarning,
} from "./receipts.schemas";

type Label = ReturnType<typeof labeller>;

const DAY = 86_400;
/** A storage term ending within this is worth a warning: the loan may outlive the receipt. */
const EXPIRES_SOON_SECONDS = 30 * DAY;

export function toReceiptView(row: ReceiptRow, label: Label): ReceiptView {
  return {
    id: row.id,
    batchId: row.batchId,
    warehouse: label(row.warehouse),
    holder: label(row.holder),
    quantity: row.quantity,
    unit: row.unit,
    location: row.location,
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
    insurance: insuranceOf(row),
    documentHash: row.documentHash,
    status: row.status,
    pledged: row.pledged,
    frozen: row.frozen,
    redemptionRequested: row.redemptionRequested,
    splitFrom: row.splitFrom,
    lastAttestedAt: row.lastAttestedAt,
    lastAttestationHash: row.lastAttestationHash,
    createdBlock: row.createdBlock,
    createdTx: row.createdTx,
    updatedBlock: row.updatedBlock,
  };
}

function insuranceOf(row: ReceiptRow): ReceiptView["insurance"] {
  if (row.insuredValue === null || row.insuranceCurrency === null) return null;
  return { value: row.insuredValue, currency: row.insuranceCurrency, policyHash: row.policyHash };
}

function toReceiptEventView(row: ReceiptEventRow, label: Label): ReceiptEventView {
  return {
    receiptId: row.receiptId,
    type: row.type,
    actor: row.actor ? label(row.actor) : null,
    counterparty: row.counterparty ? label(row.counterparty) : null,
    quantity: row.quantity,
    documentHash: row.documentHash,
    details: row.details,
    time: row.blockTime,
    blockNumber: row.blockNumber,
    txHash: row.txHash,
    logIndex: row.logIndex,
  };
}

/**
 * The bank's question, "can I lend against this receipt?", answered from indexed facts: every
 * reason that disqualifies it, every warning worth weighing, and the facts themselves so the
 * answer can be checked. Pure: `now` is passed in.
 */
export function assessReceipt(facts: VerificationFacts, maxAttestationAgeSeconds: number, now: number): VerificationView {
  const { receipt, batch } = facts;
  const memberByAddress = new Map(facts.members.map((m) => [m.address, m]));
  const label = labeller(new Map(facts.members.map((m) => [m.address, m.name])));
  const standing = standings(facts.members);
  const holder = standing(receipt.holder);
  const warehouseMember = memberByAddress.get(receipt.warehouse);
  const warehouse = { ...standing(receipt.warehouse), isCustodian: batch.custodian === receipt.warehouse };
  const activeLien = facts.liens.find((lien) => lien.status === "active") ?? null;
  const attestedAt = receipt.lastAttestedAt ?? receipt.issuedAt;
  const attestationAge = Math.max(0, now - attestedAt);
  const latestInspection = facts.inspections.at(-1);

  const reasons: { code: VerificationReason; message: string }[] = [];
  const reason = (code: VerificationReason, message: string) => reasons.push({ code, message });
  if (receipt.status === "redeemed") reason("RECEIPT_REDEEMED", "the goods were released and the receipt burned");
  if (receipt.expiresAt !== null && receipt.expiresAt <= now) {
    reason("RECEIPT_EXPIRED", `the storage term ended at ${iso(receipt.expiresAt)}`);
  }
  if (receipt.frozen) reason("RECEIPT_FROZEN", "a regulator froze the receipt (judicial freeze)");
  if (activeLien) reason("RECEIPT_PLEDGED", `already pledged under loan ${activeLien.id}`);
  if (receipt.redemptionRequested) reason("REDEMPTION_PENDING", "the holder asked the warehouse to release the goods");
  const warehouseProblem = !warehouseMember
    ? "is not a member"
    : warehouseMember.status !== "active"
      ? `is ${warehouseMember.status}`
      : (warehouseMember.roles & ROLES.WAREHOUSE) === 0
        ? "no longer holds the WAREHOUSE role"
        : null;
  if (warehouseProblem) reason("WAREHOUSE_NOT_ACTIVE", `the issuing warehouse ${warehouseProblem}`);
  if (receipt.status === "live" && !warehouse.isCustodian) {
    reason("WAREHOUSE_NOT_CUSTODIAN", `the ledger shows ${batch.custodian}, not the warehouse, holding batch ${batch.id}`);
  }
  if (holder.status !== "active") reason("HOLDER_NOT_ACTIVE", `the holder is ${holder.status === "unknown" ? "not a member" : holder.status}`);
  if (batch.status === "recalled") reason("GOODS_RECALLED", `batch ${batch.id} was recalled`);
  if (batch.status === "on_hold") reason("GOODS_ON_HOLD", `batch ${batch.id} is on hold`);
  if (facts.recalledUpstream.length > 0) {
    reason("UPSTREAM_RECALLED", `inputs or parents of the goods were recalled: batches ${facts.recalledUpstream.join(", ")}`);
  }
  if (latestInspection && !latestInspection.passed) {
    reason("INSPECTION_FAILED", `the latest inspection (batch ${latestInspection.batchId}, ${iso(latestInspection.time)}) failed`);
  }
  if (receipt.status === "live" && attestationAge > maxAttestationAgeSeconds) {
    reason(
      "ATTESTATION_STALE",
      `the goods were last checked ${Math.floor(attestationAge / DAY)} days ago (limit ${Math.floor(maxAttestationAgeSeconds / DAY)})`,
    );
  }

  const warnings: { code: VerificationWarning; message: string }[] = [];
  const insurance = insuranceOf(receipt);
  if (!insurance) warnings.push({ code: "NOT_INSURED", message: "no insurance is recorded for the goods" });
  if (facts.inspections.length === 0) warnings.push({ code: "NO_INSPECTION", message: "no inspection is recorded for the goods" });
  if (receipt.expiresAt !== null && receipt.expiresAt > now && receipt.expiresAt - now <= EXPIRES_SOON_SECONDS) {
    warnings.push({ code: "EXPIRES_SOON", message: `the storage term ends at ${iso(receipt.expiresAt)}` });
  }
  const openOffers = facts.liens.filter((lien) => lien.status === "offered");
  if (openOffers.length > 0) {
    warnings.push({
      code: "OPEN_PLEDGE_OFFER",
      message: `the holder has offered the receipt to ${openOffers.map((o) => label(o.financier).name ?? o.financier).join(", ")}`,
    });
  }

  const lienView = (lien: LienFacts) => ({
    loanId: lien.id,
    financier: label(lien.financier),
    status: lien.status,
    principal: lien.principal,
    outstanding: lien.outstanding,
    currency: lien.currency,
    maturity: lien.maturity,
    registrationNumber: lien.registrationNumber,
    offeredAt: lien.offeredAt,
    activatedAt: lien.activatedAt,
    closedAt: lien.closedAt,
  });

  return {
    receiptId: receipt.id,
    verdict: reasons.length === 0 ? "eligible" : "not_eligible",
    reasons,
    warnings,
    receipt: {
      status: receipt.status,
      quantity: receipt.quantity,
      unit: receipt.unit,
      location: receipt.location,
      issuedAt: receipt.issuedAt,
      expiresAt: receipt.expiresAt,
      frozen: receipt.frozen,
      redemptionRequested: receipt.redemptionRequested,
      documentHash: receipt.documentHash,
    },
    holder,
    warehouse,
    goods: {
      batchId: batch.id,
      status: batch.status,
      quantity: batch.quantity,
      product: { gtin: batch.gtin, name: batch.productName, hsCode: batch.hsCode },
      lot: batch.lot,
      originRegion: batch.originRegion,
      producedAt: batch.producedAt,
      producer: label(batch.producer),
      custodian: label(batch.custodian),
      certificates: facts.inspections.map((inspection) => ({
        batchId: inspection.batchId,
        inspector: label(inspection.inspector),
        passed: inspection.passed,
        certificateHash: inspection.certificateHash,
        time: inspection.time,
      })),
      provenance: {
        splitFrom: facts.splitFrom,
        upstreamBatches: Number(facts.upstreamBatches),
        recalledUpstream: facts.recalledUpstream,
        custodyHandovers: Number(facts.custodyHandovers),
      },
    },
    attestation: { lastAttestedAt: receipt.lastAttestedAt, ageSeconds: attestationAge, maxAgeSeconds: maxAttestationAgeSeconds },
    insurance,
    activeLien: activeLien ? lienView(activeLien) : null,
    lienHistory: facts.liens.map(lienView),
    asOf: { blockNumber: facts.checkpoint!.blockNumber, blockHash: facts.checkpoint!.blockHash, checkedAt: now },
  };
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** Verification facts kept per receipt while the index does not move; enough for a bank's whole book. */
export const VERIFICATION_CACHE_ENTRIES = 20_000;

export function createReceiptsService(
  repository: ReceiptsRepository,
  members: MembersRepository,
  verificationCache: IndexedCache<number, VerificationFacts | undefined>,
) {
  async function requireReceipt(id: number): Promise<ReceiptRow> {
    const row = await repository.find(id);
    if (!row) throw new NotFoundError("Warehouse receipt", id);
    return row;
  }

  return {
    async get(id: number): Promise<ReceiptView> {
      const row = await requireReceipt(id);
      return toReceiptView(row, await partyLabeller(members, [row.warehouse, row.holder]));
    },
    async list(query: ListReceiptsQuery): Promise<Page<ReceiptView>> {
      const afterId = decodeCursor<[number]>(query.cursor, ["number"])?.[0];
      const rows = await repository.list({ ...query, afterId });
      const label = await partyLabeller(members, rows.flatMap((row) => [row.warehouse, row.holder]));
      return toPage(rows, query.limit, (row) => toReceiptView(row, label), (row) => [row.id]);
    },
    async history(id: number, query: ReceiptEventsQuery): Promise<Page<ReceiptEventView>> {
      await requireReceipt(id);
      const after = decodeCursor<[number, number]>(query.cursor, ["number", "number"]);
      const rows = await repository.history(id, { type: query.type, after, limit: query.limit });
      const label = await partyLabeller(members, rows.flatMap((row) => [row.actor, row.counterparty]));
      return toPage(rows, query.limit, (row) => toReceiptEventView(row, label), (row) => [row.blockNumber, row.logIndex]);
    },
    async verify(id: number, query: VerificationQuery, at?: number): Promise<VerificationView> {
      // The facts are cached per indexed block; what depends on the time (ages, expiry) is not.
      const facts = await verificationCache.get(id, () => repository.verificationFacts(id));
      if (!facts) throw new NotFoundError("Warehouse receipt", id);
      if (!facts.checkpoint || !facts.batch) throw new NotReadyError("The indexer has not caught up with this receipt's goods yet");
      return assessReceipt(facts, query.maxAttestationAgeDays * DAY, at ?? ledgerTime(facts.checkpoint.blockTime));
    },
  };
}
export type ReceiptsService = ReturnType<typeof createReceiptsService>;
