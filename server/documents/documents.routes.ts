import { z } from "zod";
import { NotReadyError } from "../errors";
import type { AuthenticatedCaller } from "../http/authentication";
import type { RouteTable } from "../http/route";
import { DOCUMENT_MEDIA_TYPES, servedContentType } from "./content-checks";
import type { DocumentOptions } from "./document-settings";
import { documentParams, documentSchema, uploadedDocumentSchema } from "./documents.schemas";
import type { DocumentsService } from "./documents.service";

const TAG = "Documents";

const notConfigured = () => {
  throw new NotReadyError("No document store is configured on this API instance");
};

/** The document routes; without a store (options undefined) they answer 503. */
export function documentRoutes(routes: RouteTable, service: DocumentsService | undefined, options: DocumentOptions | undefined): void {
  routes.add({
    method: "post",
    path: "/api/v1/documents",
    operationId: "uploadDocument",
    tag: TAG,
    credential: "any",
    summary: "Upload a document (raw bytes with their Content-Type); the same bytes again add an uploader",
    description:
      "The body is the document itself, not multipart. `X-Filename` (optional, percent-encoded UTF-8 allowed) names it. " +
      `Accepted media types: ${DOCUMENT_MEDIA_TYPES.join(", ")}; the bytes must match the declared type (PDF, PNG and JPEG ` +
      "signatures; JSON parses; text is UTF-8), else 400 naming header.content-type. Empty bodies are refused (400), bodies " +
      `over the configured limit (DOCUMENT_MAX_BYTES, default 10 MB${options ? `; here ${options.maxBytes} bytes` : ""}) answer 413. ` +
      "Members only, by session token or read-write API key. 201 when the bytes are new, 200 when they were already stored.",
    rawBody: { mediaTypes: [...DOCUMENT_MEDIA_TYPES], maxBytes: options?.maxBytes ?? 10 * 1024 * 1024 },
    body: z.instanceof(Buffer),
    response: uploadedDocumentSchema,
    alsoSucceeds: [{ status: 201, description: "Stored: the bytes were new" }],
    errorStatuses: [401, 403, 503],
    handler: async ({ body, req, res }) => {
      if (!service) return notConfigured();
      const { created, document } = await service.upload(res.locals.caller as AuthenticatedCaller, {
        bytes: body,
        contentType: req.get("content-type"),
        filename: req.get("x-filename"),
      });
      res.status(created ? 201 : 200);
      return document;
    },
  });
  routes.add({
    method: "get",
    path: "/api/v1/documents/:sha256",
    operationId: "getDocument",
    tag: TAG,
    credential: "any",
    summary: "A document's metadata: size, type, whether it is anchored on chain, the ledger objects that carry its hash",
    description:
      "Readable by its uploaders, the parties of the ledger objects that reference it, regulators and auditors (others: 403). " +
      "`uploads` lists the caller's own upload, or every upload for regulators and auditors.",
    params: documentParams,
    response: documentSchema,
    errorStatuses: [401, 403, 404, 503],
    handler: ({ params, res }) => (service ? service.metadata(params.sha256, res.locals.caller) : notConfigured()),
  });
  routes.add({
    method: "get",
    path: "/api/v1/documents/:sha256/content",
    operationId: "getDocumentContent",
    tag: TAG,
    credential: "any",
    summary: "A document's bytes, re-hashed before they are sent (500 DOCUMENT_CORRUPTED if they no longer match)",
    description:
      "Same access as the metadata. The bytes are hashed again before anything is sent: a store that was tampered with answers " +
      "500 DOCUMENT_CORRUPTED and none of its bytes. `Repr-Digest` (RFC 9530) carries the SHA-256 for the client to check.",
    params: documentParams,
    response: z.instanceof(Buffer),
    binaryResponse: {
      mediaTypes: [...DOCUMENT_MEDIA_TYPES],
      headers: { "Repr-Digest": "sha-256=:<base64 of the SHA-256>: of the bytes (RFC 9530)" },
    },
    errorStatuses: [401, 403, 404, 503],
    handler: async ({ params, res }) => {
      if (!service) return notConfigured();
      const { bytes, contentType, sha256 } = await service.content(params.sha256);
      res
        .status(200)
        .type(servedContentType(contentType))
        .set("Repr-Digest", `sha-256=:${Buffer.from(sha256.slice(2), "hex").toString("base64")}:`)
        .set("Content-Disposition", "attachment")
        .set("Cache-Control", "private, no-store")
        .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return undefined;
    },
  });
}
