import { z } from "zod";

export const EPCIS_MEDIA_TYPE = "application/ld+json";

export const epcisQuery = z.object({
  lineage: z
    .enum(["true", "false"], { message: "must be true or false" })
    .default("false")
    .transform((value) => value === "true")
    .describe("true: also export the events of every upstream batch (inputs and split parents, back to their origin)"),
  depth: z.coerce
    .number()
    .int()
    .min(1)
    .max(50)
    .default(10)
    .describe("With lineage=true, maximum number of lineage edges walked upstream (1-50)"),
});
export type EpcisQuery = z.infer<typeof epcisQuery>;

/**
 * Described loosely here: the GS1 EPCIS 2.0 JSON schema is the contract for the events themselves
 * (https://ref.gs1.org/standards/epcis/epcis-json-schema.json).
 */
export const epcisDocumentSchema = z
  .object({
    "@context": z
      .array(z.union([z.string(), z.record(z.string(), z.string())]))
      .describe("The GS1 EPCIS 2.0 JSON-LD context, then the `tracefin:` prefix of TraceFin's extension fields"),
    type: z.literal("EPCISDocument"),
    schemaVersion: z.literal("2.0"),
    creationDate: z.string().describe("ISO 8601 time the document was generated"),
    epcisBody: z.object({
      eventList: z
        .array(z.record(z.string(), z.unknown()))
        .describe("ObjectEvents and TransformationEvents in chain order; eventID is stable across exports"),
    }),
  })
  .meta({
    id: "EPCISDocument",
    description:
      "GS1 EPCIS 2.0 JSON-LD document. Trade items are GS1 Digital Link class URIs (GTIN + lot) with UN/CEFACT units; " +
      "parties are did:pkh:eip155 account URIs; ledger positions and document hashes are `tracefin:` extension fields.",
  });
