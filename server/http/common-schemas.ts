import { z } from "zod";
import { ValidationError } from "../errors";

/** Schemas shared by several resources: addresses, hashes, pagination. */
export const addressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address")
  .transform((value) => value.toLowerCase());

export const bytes32Schema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex value")
  .transform((value) => value.toLowerCase());

/** uint256 amounts travel as decimal strings: JSON numbers lose precision above 2^53. */
export const uintString = z.string().regex(/^\d+$/).describe("Unsigned integer as a decimal string");

/** A query flag: exactly "true" or "false". */
export const booleanQuery = z.enum(["true", "false"]).transform((value) => value === "true");

export const limitSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(200)
  .default(50)
  .describe("Page size, 1-200 (default 50)");

export const cursorSchema = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, "must be a cursor returned by a previous page")
  .optional()
  .describe("Opaque cursor from the previous page's nextCursor");

export function pageSchema<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().describe("Pass as `cursor` to get the next page; null on the last page"),
    })
    .meta({ id });
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cursors are opaque to clients: base64url of the sort key of the last item returned. */
export function encodeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/**
 * The type of each part of a cursor's sort key: numbers are safe integers (ids, blocks, log indexes),
 * strings are keys such as addresses and GTINs (never a NUL, which PostgreSQL text cannot hold).
 */
export type CursorPart = "string" | "number";

const isCursorPart = (value: unknown, part: CursorPart) =>
  part === "string" ? typeof value === "string" && !value.includes("\0") : Number.isSafeInteger(value);

/**
 * Decodes a cursor whose sort key has the given parts. Whatever a client sends that could not have
 * come from `encodeCursor` for that key is a validation error, never a value bound into a query.
 */
export function decodeCursor<T extends (string | number)[]>(cursor: string | undefined, parts: readonly CursorPart[]): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.length === parts.length && key.every((v, i) => isCursorPart(v, parts[i]))) {
      return key as T;
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError([{ field: "query.cursor", message: "is not a cursor returned by a previous page" }]);
}

/** Builds a page from `limit + 1` fetched rows: the extra row only proves there is a next page. */
export function toPage<Row, Item>(rows: Row[], limit: number, map: (row: Row) => Item, keyOf: (row: Row) => (string | number)[]): Page<Item> {
  const items = rows.slice(0, limit);
  return {
    items: items.map(map),
    nextCursor: rows.length > limit ? encodeCursor(keyOf(items[items.length - 1])) : null,
  };
}
