import { z } from "zod";
import { REFERENCE_KINDS } from "./documents.repository";

/** A document's address: its SHA-256 as hex, 0x optional (answers always write it with 0x, lower-case). */
export const sha256Param = z
  .string()
  .regex(/^(0x)?[0-9a-fA-F]{64}$/, "must be a SHA-256: 64 hex digits, 0x optional")
  .transform((value) => "0x" + value.replace(/^0x/, "").toLowerCase())
  .describe("The document's SHA-256 (64 hex digits, 0x optional)");

export const documentParams = z.object({ sha256: sha256Param });

export const documentReferenceSchema = z
  .object({
    kind: z.enum(REFERENCE_KINDS).describe("The kind of ledger object that carries the hash"),
    id: z.string().describe("Its id: a batch, receipt or receivable number, or a loan's id (0x hash)"),
    eventType: z.string().nullable().describe("The event that carried the hash; null for a field of the object's current state"),
    field: z.string().describe("Which hash it is: documentHash, reasonHash, referenceHash, invoiceHash, policyHash"),
    txHash: z.string().nullable(),
    blockNumber: z.number().int().nullable(),
  })
  .meta({ id: "DocumentReference" });

const documentFields = {
  sha256: z.string().describe("SHA-256 of the bytes, 0x-prefixed: the value a ledger event carries as bytes32"),
  size: z.number().int().describe("Bytes"),
  contentType: z.string().describe("Media type given at the first upload"),
  anchored: z.boolean().describe("True when an indexed on-chain event carries this hash"),
  references: z.array(documentReferenceSchema).describe("The ledger objects (and events) that carry the hash"),
};

export const uploadedDocumentSchema = z.object(documentFields).strict().meta({ id: "UploadedDocument" });

export const documentUploadSchema = z
  .object({
    uploader: z.string().describe("Member address"),
    filename: z.string().nullable(),
    uploadedAt: z.string().describe("ISO 8601"),
  })
  .meta({ id: "DocumentUpload" });

export const documentSchema = z
  .object({
    ...documentFields,
    storedAt: z.string().describe("When the bytes were first stored, ISO 8601"),
    uploadCount: z.number().int().describe("How many members uploaded these bytes"),
    uploads: z
      .array(documentUploadSchema)
      .describe("Uploads the caller may see: its own, or all of them for regulators and auditors"),
  })
  .strict()
  .meta({ id: "Document" });

export type DocumentReferenceView = z.infer<typeof documentReferenceSchema>;
export type UploadedDocumentView = z.infer<typeof uploadedDocumentSchema>;
export type DocumentView = z.infer<typeof documentSchema>;
