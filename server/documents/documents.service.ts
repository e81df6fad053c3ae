import { ApiError, NotFoundError, ValidationError } from "../errors";
import type { AuthenticatedCaller, Caller } from "../http/authentication";
import { checkDocumentBytes, declaredMediaType } from "./content-checks";
import { hasOversight } from "../access/rules";
import { sha256Of, type DocumentStore, type Sha256 } from "./document-store";
import type { DocumentsRepository, ReferenceRow } from "./documents.repository";
import type { DocumentReferenceView, DocumentView, UploadedDocumentView } from "./documents.schemas";

export interface UploadInput {
  bytes: Buffer;
  contentType: string | undefined;
  filename: string | undefined;
}

const referenceView = ({ actor: _a, counterparty: _c, ...reference }: ReferenceRow): DocumentReferenceView => reference;

/** A file name as given in X-Filename (percent-encoded UTF-8 allowed): no path, no control characters. */
function cleanFilename(header: string | undefined): string | null {
  if (header === undefined || header.trim() === "") return null;
  let name = header.trim();
  try {
    name = decodeURIComponent(name);
  } catch {
    throw new ValidationError([{ field: "header.x-filename", message: "is not valid percent-encoding" }]);
  }
  if (name.length > 255 || /[\u0000-\u001f\u007f/\\]/.test(name)) {
    throw new ValidationError([{ field: "header.x-filename", message: "must be a file name of at most 255 characters, without path or control characters" }]);
  }
  return name;
}

export function createDocumentsService(repository: DocumentsRepository, store: DocumentStore) {
  /**
   * The document's metadata; 404 when nothing is stored under the hash. Who may read it the access
   * policy decided before (server/access/policy.ts: its uploaders, the parties of what references it).
   */
  async function stored(sha256: Sha256) {
    const document = await repository.find(sha256);
    if (!document) throw new NotFoundError("Document", sha256);
    const [uploads, references] = await Promise.all([repository.uploads(sha256), repository.references(sha256)]);
    return { document, uploads, references };
  }

  return {
    /** Stores the bytes (if new) and records the caller as an uploader; `created` is false for known bytes. */
    async upload(caller: AuthenticatedCaller, input: UploadInput): Promise<{ created: boolean; document: UploadedDocumentView }> {
      const mediaType = declaredMediaType(input.contentType);
      checkDocumentBytes(mediaType, input.bytes);
      const filename = cleanFilename(input.filename);
      // Bytes first, then the row: a recorded document always has its bytes in the store.
      const sha256 = await store.put(input.bytes);
      const now = new Date();
      const { created, document } = await repository.record(
        { sha256, size: input.bytes.length, contentType: mediaType, storedAt: now },
        { sha256, uploader: caller.address, filename, uploadedAt: now },
      );
      const references = await repository.references(sha256);
      return {
        created,
        document: {
          sha256,
          size: document.size,
          contentType: document.contentType,
          anchored: references.length > 0,
          references: references.map(referenceView),
        },
      };
    },

    async metadata(sha256: Sha256, caller: Caller): Promise<DocumentView> {
      const { document, uploads, references } = await stored(sha256);
      const seesAll = hasOversight(caller);
      return {
        sha256: document.sha256,
        size: document.size,
        contentType: document.contentType,
        storedAt: document.storedAt.toISOString(),
        anchored: references.length > 0,
        references: references.map(referenceView),
        uploadCount: uploads.length,
        uploads: uploads
          .filter((upload) => seesAll || (caller.kind !== "anonymous" && upload.uploader === caller.address))
          .map((upload) => ({ uploader: upload.uploader, filename: upload.filename, uploadedAt: upload.uploadedAt.toISOString() })),
      };
    },

    /**
     * The bytes, re-hashed before anything is sent: bytes that no longer hash to their address (the
     * store was tampered with or damaged), or bytes missing from the store, are a DOCUMENT_CORRUPTED
     * error and never reach the caller.
     */
    async content(sha256: Sha256): Promise<{ bytes: Uint8Array; contentType: string; sha256: Sha256 }> {
      const { document } = await stored(sha256);
      const bytes = await store.get(sha256);
      if (!bytes) throw new ApiError("DOCUMENT_CORRUPTED", `The bytes of document ${sha256} are missing from the document store`, { sha256, reason: "MISSING" });
      const actual = sha256Of(bytes);
      if (actual !== sha256 || bytes.length !== document.size) {
        throw new ApiError("DOCUMENT_CORRUPTED", `The stored bytes of document ${sha256} no longer match its hash: nothing was sent`, {
          sha256,
          reason: "HASH_MISMATCH",
        });
      }
      return { bytes, contentType: document.contentType, sha256 };
    },
  };
}

export type DocumentsService = ReturnType<typeof createDocumentsService>;
