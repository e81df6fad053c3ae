import { z } from "zod";
import { addressSchema, bytes32Schema, cursorSchema, limitSchema, pageSchema } from "../http/common-schemas";
import { partySchema } from "../batches/batches.schemas";

export const anchorSchema = z
  .object({
    root: z.string(),
    submitter: partySchema,
    eventCount: z.number().int(),
    uri: z.string(),
    anchoredAt: z.number().int().describe("Block time, UTC seconds"),
    blockNumber: z.number().int(),
    blockHash: z.string(),
    txHash: z.string(),
  })
  .meta({ id: "Anchor" });
export type AnchorView = z.infer<typeof anchorSchema>;

export const anchorPageSchema = pageSchema(anchorSchema, "AnchorPage");
export const anchorParams = z.object({ root: bytes32Schema });
export const listAnchorsQuery = z.object({ submitter: addressSchema.optional(), limit: limitSchema, cursor: cursorSchema });
export type ListAnchorsQuery = z.infer<typeof listAnchorsQuery>;

export const verifyProofBody = z
  .object({
    root: bytes32Schema,
    leaf: bytes32Schema.optional().describe("keccak256(keccak256(content)) of the event; or give `content`"),
    content: z.string().max(1_000_000).optional().describe("The off-chain event exactly as it was hashed"),
    proof: z.array(bytes32Schema).max(64).describe("Sibling hashes from the leaf up to the root"),
  })
  .refine((body) => (body.leaf === undefined) !== (body.content === undefined), {
    message: "give exactly one of `leaf` or `content`",
    path: ["leaf"],
  });
export type VerifyProofBody = z.infer<typeof verifyProofBody>;

export const proofVerdictSchema = z
  .object({
    root: z.string(),
    leaf: z.string(),
    anchored: z.boolean().describe("The root was anchored on-chain (as indexed)"),
    included: z.boolean().describe("The proof links the leaf to the root"),
    verified: z.boolean().describe("anchored and included"),
    anchor: anchorSchema.nullable(),
  })
  .meta({ id: "ProofVerdict" });
