import { ApiError, ValidationError } from "../errors";

/** The media types a document may have, each with what its bytes must look like. */
export const DOCUMENT_MEDIA_TYPES = [
  "application/pdf",
  "image/png",
  "image/jpeg",
  "application/json",
  "text/csv",
  "text/plain",
  "application/xml",
] as const;
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];

const CONTENT_TYPE_FIELD = "header.content-type";
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_START = Buffer.from([0xff, 0xd8, 0xff]);
const PDF_START = Buffer.from("%PDF-", "latin1");
const TEXT_CHARSETS = new Set(["utf-8", "utf8", "us-ascii"]);

const utf8 = new TextDecoder("utf-8", { fatal: true });
function decodesAsUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The declared media type of an upload, from its Content-Type header: one of the allow-list (415
 * otherwise), with a charset, if any, that is UTF-8 (text is stored and served as UTF-8).
 */
export function declaredMediaType(header: string | undefined): DocumentMediaType {
  const [essence, ...parameters] = (header ?? "").split(";").map((part) => part.trim());
  const mediaType = essence.toLowerCase();
  const allowed = DOCUMENT_MEDIA_TYPES as readonly string[];
  if (!allowed.includes(mediaType)) {
    throw new ApiError(
      "UNSUPPORTED_MEDIA_TYPE",
      `${CONTENT_TYPE_FIELD}: ${header ? `${mediaType} is` : "a missing media type is"} not accepted for documents; use one of ${DOCUMENT_MEDIA_TYPES.join(", ")}`,
      { field: CONTENT_TYPE_FIELD, allowed: DOCUMENT_MEDIA_TYPES },
    );
  }
  for (const parameter of parameters) {
    const [name, value = ""] = parameter.split("=").map((part) => part.trim());
    const charset = value.replace(/^"|"$/g, "").toLowerCase();
    if (name.toLowerCase() === "charset" && !TEXT_CHARSETS.has(charset)) {
      throw new ApiError("UNSUPPORTED_MEDIA_TYPE", `${CONTENT_TYPE_FIELD}: charset ${charset} is not accepted; documents are UTF-8`, {
        field: CONTENT_TYPE_FIELD,
        charset,
      });
    }
  }
  return mediaType as DocumentMediaType;
}

/** What is wrong with bytes declared as `mediaType`, or undefined when they are what they claim. */
function contradiction(mediaType: DocumentMediaType, bytes: Buffer): string | undefined {
  switch (mediaType) {
    case "application/pdf":
      return bytes.subarray(0, PDF_START.length).equals(PDF_START) ? undefined : "the body does not start with %PDF-";
    case "image/png":
      return bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE) ? undefined : "the body does not start with the PNG signature";
    case "image/jpeg":
      return bytes.subarray(0, JPEG_START.length).equals(JPEG_START) ? undefined : "the body does not start with a JPEG marker (FF D8 FF)";
    case "application/json": {
      const text = decodesAsUtf8(bytes);
      if (text === undefined) return "the body is not valid UTF-8";
      try {
        JSON.parse(text);
        return undefined;
      } catch {
        return "the body is not valid JSON";
      }
    }
    case "text/csv":
    case "text/plain":
    case "application/xml":
      return decodesAsUtf8(bytes) === undefined ? "the body is not valid UTF-8 text" : undefined;
  }
}

/** Refuses an empty body, or bytes that contradict the declared media type (400 naming the header). */
export function checkDocumentBytes(mediaType: DocumentMediaType, bytes: Buffer): void {
  if (bytes.length === 0) throw new ValidationError([{ field: "body", message: "is empty: a document needs at least one byte" }]);
  const problem = contradiction(mediaType, bytes);
  if (problem) throw new ValidationError([{ field: CONTENT_TYPE_FIELD, message: `declares ${mediaType} but ${problem}` }]);
}

/** The Content-Type a stored document is served with. */
export function servedContentType(mediaType: string): string {
  return mediaType.startsWith("text/") || mediaType === "application/json" || mediaType === "application/xml"
    ? `${mediaType}; charset=utf-8`
    : mediaType;
}
