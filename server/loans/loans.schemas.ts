import { z } from "zod";
import { LOAN_EVENT_TYPES, LOAN_STATUSES } from "../../shared/db/schema";
import { addressSchema, bytes32Schema, cursorSchema, limitSchema, pageSchema, uintString } from "../http/common-schemas";
import { partySchema } from "../batches/batches.schemas";

export const loanParams = z.object({ id: bytes32Schema });
export const financierParams = z.object({ address: addressSchema });

export const loanSchema = z
  .object({
    id: z.string().describe("EIP-712 hash of the loan terms"),
    collateral: z.object({
      kind: z.string().describe("The collateral contract's name, e.g. WarehouseReceipt"),
      contract: z.string(),
      id: uintString.describe("The instrument in that contract, e.g. the receipt id"),
      key: z.string().nullable().describe("Key of the underlying asset, once the lien exists"),
    }),
    borrower: partySchema,
    financier: partySchema,
    principal: uintString.describe("Minor units of `currency`"),
    currency: z.string().describe("ISO 4217 code"),
    outstanding: uintString,
    maturity: z.number().int().describe("UTC seconds"),
    rateBps: z.number().int().describe("Annual rate, basis points"),
    marginCallLtvBps: z.number().int(),
    valuation: uintString.nullable().describe("Latest collateral valuation by the financier"),
    ltvBps: z.number().int().nullable().describe("Outstanding / valuation at the latest valuation, basis points"),
    marginCall: z.boolean().describe("The latest valuation put the ratio over the margin-call level"),
    offerExpiresAt: z.number().int(),
    status: z.enum(LOAN_STATUSES),
    registrationNumber: z.string().nullable().describe("Registration at the national movable-property registry (中登网)"),
    enforcedTo: partySchema.nullable(),
    offeredAt: z.number().int(),
    activatedAt: z.number().int().nullable(),
    closedAt: z.number().int().nullable(),
    createdTx: z.string(),
  })
  .meta({ id: "Loan" });
export type LoanView = z.infer<typeof loanSchema>;
export const loanPageSchema = pageSchema(loanSchema, "LoanPage");

export const listLoansQuery = z.object({
  financier: addressSchema.optional(),
  borrower: addressSchema.optional(),
  status: z.enum(LOAN_STATUSES).optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});
export type ListLoansQuery = z.infer<typeof listLoansQuery>;

export const dueLoansQuery = z.object({
  financier: addressSchema.optional(),
  withinDays: z.coerce.number().int().min(0).max(3650).default(30).describe("Maturing within this many days (default 30)"),
  limit: limitSchema,
  cursor: cursorSchema,
});
export type DueLoansQuery = z.infer<typeof dueLoansQuery>;

export const dueLoanSchema = loanSchema
  .extend({
    overdue: z.boolean().describe("Past maturity with an amount outstanding"),
    secondsToMaturity: z.number().int().describe("Negative when past maturity"),
  })
  .meta({ id: "DueLoan" });
export const dueLoanPageSchema = pageSchema(dueLoanSchema, "DueLoanPage");

export const loanEventSchema = z
  .object({
    loanId: z.string(),
    type: z.enum(LOAN_EVENT_TYPES),
    actor: partySchema,
    amount: uintString.nullable(),
    details: z.record(z.string(), z.unknown()),
    time: z.number().int(),
    blockNumber: z.number().int(),
    txHash: z.string(),
    logIndex: z.number().int(),
  })
  .meta({ id: "LoanEvent" });
export type LoanEventView = z.infer<typeof loanEventSchema>;
export const loanEventPageSchema = pageSchema(loanEventSchema, "LoanEventPage");
export const loanEventsQuery = z.object({ limit: limitSchema, cursor: cursorSchema });
export type LoanEventsQuery = z.infer<typeof loanEventsQuery>;

const exposureSchema = z.object({ currency: z.string(), loans: z.number().int(), outstanding: uintString });
export const MATURITY_BUCKETS = ["overdue", "within_30_days", "within_90_days", "within_180_days", "later"] as const;

export const loanBookSchema = z
  .object({
    financier: partySchema,
    activeLoans: z.number().int(),
    byCurrency: z.array(exposureSchema.extend({ principal: uintString })),
    byMaturity: z.array(exposureSchema.extend({ bucket: z.enum(MATURITY_BUCKETS) })),
    byWarehouse: z.array(exposureSchema.extend({ warehouse: partySchema })),
    marginCalls: z.number().int().describe("Active loans whose latest valuation passed the margin-call level"),
    asOf: z.object({ checkedAt: z.number().int() }),
  })
  .meta({ id: "LoanBook" });
export type LoanBookView = z.infer<typeof loanBookSchema>;
