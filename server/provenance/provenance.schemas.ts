import { z } from "zod";
import { BATCH_STATUSES } from "../../shared/db/schema";
import { uintString } from "../http/common-schemas";

const memberName = z.string().nullable().describe("The member's registered name; null when the party is not a member");
const time = (what: string) => z.number().int().describe(`${what}, UTC seconds`);

export const provenanceSummarySchema = z
  .object({
    batchId: z.number().int(),
    product: z.object({ gtin: z.string(), name: z.string().nullable(), hsCode: z.string().nullable() }),
    lot: z.string(),
    quantity: uintString,
    unit: z.string().describe("UN/CEFACT Recommendation 20 unit code"),
    producer: memberName,
    producedAt: time("Production"),
    originRegion: z.number().int().describe("GB/T 2260 region code where the batch was produced"),
    status: z.enum(BATCH_STATUSES),
    recall: z.object({
      recalled: z.boolean().describe("This batch, or a batch it was made from, was recalled"),
      batches: z.array(z.object({ batchId: z.number().int(), time: z.number().int().nullable() })),
    }),
    origins: z
      .array(
        z.object({
          batchId: z.number().int(),
          product: z.string().nullable(),
          originRegion: z.number().int(),
          producer: memberName,
          producedAt: time("Production"),
        }),
      )
      .describe("Where the product comes from: the batches at the start of its lineage"),
    certificates: z
      .array(
        z.object({
          batchId: z.number().int(),
          inspector: memberName,
          passed: z.boolean(),
          documented: z.boolean().describe("A certificate document is recorded (its hash is on the ledger)"),
          time: time("Inspection"),
        }),
      )
      .describe("Inspections of the batch and of every batch it was made from"),
    custodyChain: z
      .array(
        z.object({
          batchId: z.number().int(),
          member: memberName,
          event: z.enum(["produced", "received", "processed"]),
          time: time("Block time"),
        }),
      )
      .describe("Who held the goods, in ledger order, along every path the product took"),
    truncated: z.boolean().describe("The lineage goes back further than the summary shows"),
  })
  .meta({ id: "ProvenanceSummary" });
export type ProvenanceSummaryView = z.infer<typeof provenanceSummarySchema>;
