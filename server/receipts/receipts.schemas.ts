import { z } from "zod";
import { BATCH_STATUSES, RECEIPT_EVENT_TYPES } from "../../shared/db/schema";
import { addressSchema, booleanQuery, cursorSchema, limitSchema, pageSchema, uintString } from "../http/common-schemas";
import { partySchema } from "../batches/batches.schemas";

/** Decimal digits only, as for batch ids. */
export const receiptIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, "must be a receipt id (positive integer)")
  .transform(Number);
export const receiptParams = z.object({ id: receiptIdSchema });

export const insuranceSchema = z
  .object({
    value: uintString.describe("Insured value in minor units of `currency`"),
    currency: z.string().describe("ISO 4217 code"),
    policyHash: z.string().nullable().describe("SHA-256 of the policy document"),
  })
  .meta({ id: "Insurance" });

export const RECEIPT_STATUSES = ["live", "redeemed"] as const;

export const receiptSchema = z
  .object({
    id: z.number().int(),
    batchId: z.number().int().describe("The ledger batch the receipt is title to"),
    warehouse: partySchema,
    holder: partySchema,
    quantity: uintString,
    unit: z.string().describe("UN/CEFACT Recommendation 20 unit code"),
    location: z.string().describe("Storage location stated by the warehouse"),
    issuedAt: z.number().int().describe("UTC seconds"),
    expiresAt: z.number().int().nullable().describe("End of the storage term, UTC seconds; null when open-ended"),
    insurance: insuranceSchema.nullable(),
    documentHash: z.string().describe("SHA-256 of the receipt document"),
    status: z.enum(RECEIPT_STATUSES),
    pledged: z.boolean(),
    frozen: z.boolean(),
    redemptionRequested: z.boolean(),
    splitFrom: z.number().int().nullable().describe("Receipt this one was split off"),
    lastAttestedAt: z.number().int().nullable().describe("Latest inventory check by the warehouse, UTC seconds"),
    lastAttestationHash: z.string().nullable(),
    createdBlock: z.number().int(),
    createdTx: z.string(),
    updatedBlock: z.number().int(),
  })
  .meta({ id: "WarehouseReceipt" });
export type ReceiptView = z.infer<typeof receiptSchema>;
export const receiptPageSchema = pageSchema(receiptSchema, "WarehouseReceiptPage");

export const listReceiptsQuery = z.object({
  holder: addressSchema.optional(),
  warehouse: addressSchema.optional(),
  batchId: z.coerce.number().int().min(1).optional(),
  status: z.enum(RECEIPT_STATUSES).optional(),
  pledged: booleanQuery.optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});
export type ListReceiptsQuery = z.infer<typeof listReceiptsQuery>;

export const receiptEventSchema = z
  .object({
    receiptId: z.number().int(),
    type: z.enum(RECEIPT_EVENT_TYPES),
    actor: partySchema.nullable(),
    counterparty: partySchema.nullable(),
    quantity: uintString.nullable(),
    documentHash: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    time: z.number().int().describe("Block time, UTC seconds"),
    blockNumber: z.number().int(),
    txHash: z.string(),
    logIndex: z.number().int(),
  })
  .meta({ id: "WarehouseReceiptEvent" });
export type ReceiptEventView = z.infer<typeof receiptEventSchema>;
export const receiptEventPageSchema = pageSchema(receiptEventSchema, "WarehouseReceiptEventPage");
export const receiptEventsQuery = z.object({
  type: z.enum(RECEIPT_EVENT_TYPES).optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});
export type ReceiptEventsQuery = z.infer<typeof receiptEventsQuery>;

// ---- verification ----------------------------------------------------------------------------

/** Why a receipt is not eligible as collateral for new financing; each blocks on its own. */
export const VERIFICATION_REASONS = [
  "RECEIPT_REDEEMED",
  "RECEIPT_EXPIRED",
  "RECEIPT_FROZEN",
  "RECEIPT_PLEDGED",
  "REDEMPTION_PENDING",
  "WAREHOUSE_NOT_ACTIVE",
  "WAREHOUSE_NOT_CUSTODIAN",
  "HOLDER_NOT_ACTIVE",
  "GOODS_RECALLED",
  "GOODS_ON_HOLD",
  "UPSTREAM_RECALLED",
  "INSPECTION_FAILED",
  "ATTESTATION_STALE",
] as const;
/** Facts a lender should weigh that do not by themselves disqualify the receipt. */
export const VERIFICATION_WARNINGS = ["NOT_INSURED", "NO_INSPECTION", "EXPIRES_SOON", "OPEN_PLEDGE_OFFER"] as const;

const findingSchema = <T extends readonly [string, ...string[]]>(codes: T, id: string) =>
  z.object({ code: z.enum(codes), message: z.string() }).meta({ id });

const memberStandingSchema = z
  .object({
    address: z.string(),
    name: z.string().nullable(),
    status: z.enum(["active", "suspended", "revoked", "unknown"]).describe("`unknown`: not a member"),
    roles: z.array(z.string()),
  })
  .meta({ id: "MemberStanding" });

export const lienSummarySchema = z
  .object({
    loanId: z.string(),
    financier: partySchema,
    status: z.enum(["offered", "withdrawn", "active", "released", "enforced"]),
    principal: uintString,
    outstanding: uintString,
    currency: z.string(),
    maturity: z.number().int(),
    registrationNumber: z.string().nullable(),
    offeredAt: z.number().int(),
    activatedAt: z.number().int().nullable(),
    closedAt: z.number().int().nullable(),
  })
  .meta({ id: "LienSummary" });

export const verificationSchema = z
  .object({
    receiptId: z.number().int(),
    verdict: z.enum(["eligible", "not_eligible"]),
    reasons: z.array(findingSchema(VERIFICATION_REASONS, "VerificationReason")),
    warnings: z.array(findingSchema(VERIFICATION_WARNINGS, "VerificationWarning")),
    receipt: z.object({
      status: z.enum(RECEIPT_STATUSES),
      quantity: uintString,
      unit: z.string(),
      location: z.string(),
      issuedAt: z.number().int(),
      expiresAt: z.number().int().nullable(),
      frozen: z.boolean(),
      redemptionRequested: z.boolean(),
      documentHash: z.string(),
    }),
    holder: memberStandingSchema,
    warehouse: memberStandingSchema.extend({
      isCustodian: z.boolean().describe("The ledger still shows the warehouse holding the goods"),
    }),
    goods: z.object({
      batchId: z.number().int(),
      status: z.enum(BATCH_STATUSES),
      quantity: uintString.describe("Quantity of the batch in the ledger"),
      product: z.object({ gtin: z.string(), name: z.string().nullable(), hsCode: z.string().nullable() }),
      lot: z.string(),
      originRegion: z.number().int(),
      producedAt: z.number().int(),
      producer: partySchema,
      custodian: partySchema,
      certificates: z.array(
        z.object({
          batchId: z.number().int().describe("The batch inspected: this one or one it was split from"),
          inspector: partySchema,
          passed: z.boolean(),
          certificateHash: z.string().nullable(),
          time: z.number().int(),
        }),
      ),
      provenance: z.object({
        splitFrom: z.array(z.number().int()).describe("Batches this one was split off, nearest first"),
        upstreamBatches: z.number().int().describe("Batches upstream in the lineage (splits and transformations)"),
        recalledUpstream: z.array(z.number().int()).describe("Upstream batches that were recalled"),
        custodyHandovers: z.number().int().describe("Receipts of custody along the batch and the batches it was split from"),
      }),
    }),
    attestation: z.object({
      lastAttestedAt: z.number().int().nullable(),
      ageSeconds: z.number().int().describe("Since the latest inventory check, or since issue when never checked"),
      maxAgeSeconds: z.number().int(),
    }),
    insurance: insuranceSchema.nullable(),
    activeLien: lienSummarySchema.nullable(),
    lienHistory: z.array(lienSummarySchema),
    asOf: z.object({
      blockNumber: z.number().int(),
      blockHash: z.string(),
      checkedAt: z.number().int().describe("Server time of the check, UTC seconds"),
    }),
  })
  .meta({ id: "ReceiptVerification" });
export type VerificationView = z.infer<typeof verificationSchema>;
export type VerificationReason = (typeof VERIFICATION_REASONS)[number];
export type VerificationWarning = (typeof VERIFICATION_WARNINGS)[number];

export const verificationQuery = z.object({
  maxAttestationAgeDays: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(30)
    .describe("An inventory check older than this makes the receipt not eligible (default 30 days)"),
});
export type VerificationQuery = z.infer<typeof verificationQuery>;
