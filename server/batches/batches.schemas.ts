import { z } from "zod";
import { BATCH_STATUSES, TRACE_EVENT_TYPES } from "../../shared/db/schema";
import { addressSchema, cursorSchema, limitSchema, pageSchema, uintString } from "../http/common-schemas";
import { gtinSchema } from "../products/products.schemas";

export const partySchema = z
  .object({ address: z.string(), name: z.string().nullable().describe("Member name; null if not a member") })
  .meta({ id: "Party" });
export type Party = z.infer<typeof partySchema>;

export const batchSchema = z
  .object({
    id: z.number().int(),
    product: z.object({ gtin: z.string(), name: z.string().nullable(), hsCode: z.string().nullable() }),
    lot: z.string(),
    quantity: uintString.describe("Quantity still in this batch"),
    initialQuantity: uintString,
    unit: z.string().describe("UN/CEFACT Recommendation 20 unit code"),
    originRegion: z.number().int().describe("GB/T 2260 administrative division code of the place of production"),
    producedAt: z.number().int().describe("UTC seconds"),
    producer: partySchema,
    custodian: partySchema,
    pendingRecipient: partySchema.nullable(),
    status: z.enum(BATCH_STATUSES),
    parentId: z.number().int().nullable().describe("Batch this one was split off for shipping"),
    transformationId: z.number().int().nullable().describe("Transformation that produced this batch"),
    documentHash: z.string().describe("SHA-256 of the batch record"),
    createdBlock: z.number().int(),
    createdTx: z.string(),
    updatedBlock: z.number().int(),
  })
  .meta({ id: "Batch" });
export type BatchView = z.infer<typeof batchSchema>;

export const batchPageSchema = pageSchema(batchSchema, "BatchPage");

export const listBatchesQuery = z.object({
  gtin: gtinSchema.optional(),
  producer: addressSchema.optional(),
  custodian: addressSchema.optional(),
  status: z.enum(BATCH_STATUSES).optional(),
  originRegion: z.coerce.number().int().min(1).max(999_999).optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});
export type ListBatchesQuery = z.infer<typeof listBatchesQuery>;

/** Decimal digits only: `0x10` or `1e3` are not silently read as other batches. */
export const batchIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, "must be a batch id (positive integer)")
  .transform(Number);
export const batchParams = z.object({ id: batchIdSchema });

export const traceEventSchema = z
  .object({
    batchId: z.number().int(),
    type: z.enum(TRACE_EVENT_TYPES),
    actor: partySchema,
    counterparty: partySchema.nullable(),
    quantity: uintString.nullable(),
    documentHash: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    time: z.number().int().describe("Block time, UTC seconds"),
    blockNumber: z.number().int(),
    blockHash: z.string(),
    txHash: z.string(),
    logIndex: z.number().int(),
  })
  .meta({ id: "TraceEvent" });
export type TraceEventView = z.infer<typeof traceEventSchema>;

export const traceEventPageSchema = pageSchema(traceEventSchema, "TraceEventPage");

export const timelineQuery = z.object({
  type: z.enum(TRACE_EVENT_TYPES).optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});
export type TimelineQuery = z.infer<typeof timelineQuery>;
