import { z } from "zod";
import { isValidGtin } from "../../shared/trade-codes";
import { addressSchema, cursorSchema, limitSchema, pageSchema } from "../http/common-schemas";

/** GTIN-8/12/13/14 with a valid check digit, normalized to the 14-digit form the ledger indexes. */
export const gtinSchema = z
  .string()
  .refine(isValidGtin, "must be a GTIN-8, -12, -13 or -14 with a valid check digit")
  .transform((gtin) => gtin.padStart(14, "0"));

export const productSchema = z
  .object({
    gtin: z.string().describe("GTIN-14"),
    name: z.string(),
    hsCode: z.string().describe("Harmonized System code, 6-10 digits"),
    uri: z.string(),
    registrant: z.object({ address: z.string(), name: z.string().nullable() }),
    registeredAt: z.number().int().describe("UTC seconds"),
    registeredBlock: z.number().int(),
    txHash: z.string(),
  })
  .meta({ id: "Product" });
export type ProductView = z.infer<typeof productSchema>;

export const productPageSchema = pageSchema(productSchema, "ProductPage");

export const listProductsQuery = z.object({
  registrant: addressSchema.optional(),
  hsCode: z.string().regex(/^\d{2,10}$/, "must be 2-10 digits").optional().describe("HS code prefix, e.g. 0808 or 080810"),
  limit: limitSchema,
  cursor: cursorSchema,
});
export type ListProductsQuery = z.infer<typeof listProductsQuery>;

export const productParams = z.object({ gtin: gtinSchema });
