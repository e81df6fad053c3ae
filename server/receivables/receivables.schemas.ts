import { z } from "zod";
import { RECEIVABLE_EVENT_TYPES, RECEIVABLE_STATUSES } from "../../shared/db/schema";
import { addressSchema, booleanQuery, cursorSchema, limitSchema, pageSchema, uintString } from "../http/common-schemas";
import { partySchema } from "../batches/batches.schemas";

export const receivableIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, "must be a receivable id (positive integer)")
  .transform(Number);
export const receivableParams = z.object({ id: receivableIdSchema });
export const memberParams = z.object({ address: addressSchema });

const currencySchema = z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as CNY").describe("ISO 4217 code");
const time = (what: string) => z.number().int().describe(`${what}, UTC seconds`);

export const holdingSchema = z
  .object({
    holder: partySchema,
    amount: uintString.describe("Part of the face value held, minor units"),
    earmarked: uintString.describe("Of `amount`, set aside in lots (pledgeable, not transferable)"),
    pledged: uintString.describe("Of `earmarked`, in lots under an active pledge"),
    free: uintString.describe("Of `amount`, what the holder may transfer, sell or earmark"),
    settled: uintString.describe("Paid out to the holder so far from the debtor's payments"),
    closed: z.boolean().describe("Settled in full and burned"),
  })
  .meta({ id: "ReceivableHolding" });
export type HoldingView = z.infer<typeof holdingSchema>;

export const receivableSchema = z
  .object({
    id: z.number().int(),
    creditor: partySchema.describe("Who registered the receivable (the first holder)"),
    debtor: partySchema,
    faceValue: uintString.describe("Minor units of `currency`"),
    currency: z.string().describe("ISO 4217 code"),
    dueDate: time("Due date"),
    graceSeconds: z.number().int().describe("After the due date, how long before an unpaid receivable is overdue"),
    invoiceHash: z.string().describe("SHA-256 of the invoice; an invoice backs at most one receivable"),
    documentHash: z.string().describe("SHA-256 of the supporting document (contract, delivery note)"),
    status: z.enum(RECEIVABLE_STATUSES),
    paid: uintString.describe("Paid by the debtor so far"),
    outstanding: uintString.describe("faceValue - paid"),
    overdue: z.boolean().describe("Confirmed, past due date plus grace, not paid in full"),
    disputed: z.boolean(),
    frozen: z.boolean(),
    paymentAgent: partySchema.nullable().describe("A bank the debtor appointed to record its payments"),
    registeredAt: time("Registration"),
    confirmedAt: z.number().int().nullable().describe("Confirmation by the debtor, UTC seconds"),
    createdBlock: z.number().int(),
    createdTx: z.string(),
    updatedBlock: z.number().int(),
  })
  .meta({ id: "Receivable" });
export type ReceivableView = z.infer<typeof receivableSchema>;
export const receivablePageSchema = pageSchema(receivableSchema, "ReceivablePage");

export const lotSchema = z
  .object({
    id: z.number().int(),
    holder: partySchema,
    amount: uintString,
    pledged: z.boolean(),
    status: z.enum(["earmarked", "released", "seized"]),
    loanId: z.string().nullable().describe("The latest loan offered or made on this lot"),
  })
  .meta({ id: "ReceivableLot" });

export const saleSchema = z
  .object({
    id: z.number().int(),
    seller: partySchema,
    financier: partySchema,
    amount: uintString.describe("Face value sold, minor units"),
    price: uintString.describe("What the financier pays for it, minor units"),
    discountBps: z.number().int().describe("(amount - price) / amount, basis points"),
    status: z.enum(["offered", "withdrawn", "sold"]),
  })
  .meta({ id: "ReceivableSale" });

export const receivableDetailSchema = receivableSchema
  .extend({
    holdings: z.array(holdingSchema).describe("Current and closed holders, largest amount first"),
    lots: z.array(lotSchema),
    sales: z.array(saleSchema),
  })
  .meta({ id: "ReceivableDetail" });
export type ReceivableDetailView = z.infer<typeof receivableDetailSchema>;

export const listReceivablesQuery = z.object({
  creditor: addressSchema.optional(),
  debtor: addressSchema.optional(),
  holder: addressSchema.optional().describe("Receivables of which this member holds a part now"),
  status: z.enum(RECEIVABLE_STATUSES).optional(),
  currency: currencySchema.optional(),
  overdue: booleanQuery.optional().describe("true: only overdue ones; false: only those that are not"),
  limit: limitSchema,
  cursor: cursorSchema,
});
export type ListReceivablesQuery = z.infer<typeof listReceivablesQuery>;

export const receivableEventSchema = z
  .object({
    receivableId: z.number().int(),
    type: z.enum(RECEIVABLE_EVENT_TYPES),
    actor: partySchema.nullable(),
    counterparty: partySchema.nullable(),
    amount: uintString.nullable(),
    details: z.record(z.string(), z.unknown()),
    time: time("Block time"),
    blockNumber: z.number().int(),
    txHash: z.string(),
    logIndex: z.number().int(),
  })
  .meta({ id: "ReceivableEvent" });
export type ReceivableEventView = z.infer<typeof receivableEventSchema>;
export const receivableEventPageSchema = pageSchema(receivableEventSchema, "ReceivableEventPage");
export const receivableEventsQuery = z.object({
  type: z.enum(RECEIVABLE_EVENT_TYPES).optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});
export type ReceivableEventsQuery = z.infer<typeof receivableEventsQuery>;

export const TRANSFER_KINDS = ["transfer", "sale", "seizure"] as const;

export const transferSchema = z
  .object({
    from: partySchema,
    to: partySchema,
    amount: uintString,
    kind: z.enum(TRANSFER_KINDS).describe("transfer: paid down the chain; sale: discounted to a financier; seizure: a lien enforced"),
    time: time("Block time"),
    blockNumber: z.number().int(),
    txHash: z.string(),
    logIndex: z.number().int(),
  })
  .meta({ id: "ReceivableTransfer" });
export type TransferView = z.infer<typeof transferSchema>;

export const transferTreeNodeSchema = z
  .object({
    holder: partySchema,
    parent: z.string().nullable().describe("Address of the holder it first received value from; null for the creditor"),
    depth: z.number().int().describe("0 for the creditor, 1 for those it paid, and so on"),
    received: uintString.describe("Received in all, from any holder"),
    passedOn: uintString.describe("Moved on to other holders in all"),
    holds: uintString.describe("Held now"),
  })
  .meta({ id: "ReceivableTransferTreeNode" });
export type TransferTreeNodeView = z.infer<typeof transferTreeNodeSchema>;

export const transferTreeSchema = z
  .object({
    receivableId: z.number().int(),
    faceValue: uintString,
    currency: z.string(),
    tree: z
      .array(transferTreeNodeSchema)
      .describe("Rooted at the creditor, depth first; each member appears once, under the holder it first received value from"),
    transfers: z.array(transferSchema).describe("Every holder-to-holder move, in chain order"),
  })
  .meta({ id: "ReceivableTransferTree" });
export type TransferTreeView = z.infer<typeof transferTreeSchema>;

export const memberHoldingSchema = z
  .object({
    receivable: receivableSchema,
    holding: holdingSchema.omit({ holder: true }),
  })
  .meta({ id: "MemberReceivableHolding" });
export const memberHoldingPageSchema = pageSchema(memberHoldingSchema, "MemberReceivableHoldingPage");
export type MemberHoldingView = z.infer<typeof memberHoldingSchema>;
export const memberHoldingsQuery = z.object({
  includeClosed: booleanQuery.default(false).describe("Also list holdings settled in full (default false)"),
  limit: limitSchema,
  cursor: cursorSchema,
});
export type MemberHoldingsQuery = z.infer<typeof memberHoldingsQuery>;

export const maturityCalendarQuery = z.object({
  months: z.coerce.number().int().min(1).max(60).default(12).describe("Months ahead to show, 1-60 (default 12)"),
});
export type MaturityCalendarQuery = z.infer<typeof maturityCalendarQuery>;

const calendarAmountsSchema = z.object({
  currency: z.string(),
  receivable: uintString.describe("Still to be received on parts the member holds (amount - settled)"),
  receivableCount: z.number().int(),
  payable: uintString.describe("Still to be paid on receivables the member confirmed as debtor"),
  payableCount: z.number().int(),
});

export const maturityCalendarSchema = z
  .object({
    member: partySchema,
    overdue: z.array(calendarAmountsSchema).describe("Past due date plus grace and unpaid"),
    months: z.array(calendarAmountsSchema.extend({ month: z.string().describe("YYYY-MM (UTC) of the due dates") })),
    later: z.array(calendarAmountsSchema).describe("Due after the last month shown"),
    asOf: z.object({ checkedAt: z.number().int() }),
  })
  .meta({ id: "MaturityCalendar" });
export type MaturityCalendarView = z.infer<typeof maturityCalendarSchema>;

export const RECEIVABLE_REASONS = [
  "NOT_CONFIRMED",
  "RECEIVABLE_CLOSED",
  "RECEIVABLE_DISPUTED",
  "RECEIVABLE_FROZEN",
  "IN_SETTLEMENT",
  "PAST_DUE",
  "DEBTOR_NOT_ACTIVE",
  "DEBTOR_IN_ARREARS",
  "HOLDER_NOT_ACTIVE",
  "NOTHING_HELD",
  "NO_FREE_AMOUNT",
] as const;
export type ReceivableReason = (typeof RECEIVABLE_REASONS)[number];
export const RECEIVABLE_WARNINGS = [
  "DUE_SOON",
  "DEBTOR_PAID_LATE",
  "NO_PAYMENT_RECORD",
  "PARTLY_EARMARKED",
  "OPEN_SALE_OFFER",
  "DISPUTED_BEFORE",
] as const;
export type ReceivableWarning = (typeof RECEIVABLE_WARNINGS)[number];

export const receivableVerificationQuery = z.object({
  holder: addressSchema.optional().describe("The holder whose part is offered; without it the receivable as a whole is assessed"),
  minDaysToDue: z.coerce
    .number()
    .int()
    .min(0)
    .max(365)
    .default(7)
    .describe("Warn when the due date is closer than this many days (default 7)"),
});
export type ReceivableVerificationQuery = z.infer<typeof receivableVerificationQuery>;

const standingSchema = z.object({
  address: z.string(),
  name: z.string().nullable(),
  status: z.enum(["active", "suspended", "revoked", "unknown"]),
  roles: z.array(z.string()),
});
const moneyByCurrency = z.array(z.object({ currency: z.string(), amount: uintString, count: z.number().int() }));

export const receivableVerificationSchema = z
  .object({
    receivableId: z.number().int(),
    verdict: z.enum(["eligible", "not_eligible"]),
    reasons: z.array(z.object({ code: z.enum(RECEIVABLE_REASONS), message: z.string() })),
    warnings: z.array(z.object({ code: z.enum(RECEIVABLE_WARNINGS), message: z.string() })),
    receivable: receivableSchema.pick({
      status: true, faceValue: true, currency: true, paid: true, outstanding: true, dueDate: true, graceSeconds: true,
      overdue: true, disputed: true, frozen: true, invoiceHash: true, documentHash: true, confirmedAt: true,
    }).extend({
      confirmedByDebtor: z.boolean(),
      secondsToDue: z.number().int().describe("Negative once the due date has passed"),
    }),
    creditor: standingSchema,
    debtor: standingSchema.extend({
      paymentRecord: z.object({
        dueReceivables: z.number().int().describe("Receivables confirmed by the debtor whose due date plus grace has passed, or paid in full"),
        paidOnTime: z.number().int().describe("Of those, paid in full by due date plus grace"),
        paidLate: z.number().int(),
        onTimeRatio: z.number().nullable().describe("paidOnTime / dueReceivables; null without any"),
        overdue: moneyByCurrency.describe("Outstanding on the debtor's overdue receivables"),
        outstanding: moneyByCurrency.describe("Outstanding on all the debtor's confirmed receivables"),
      }),
    }),
    holder: standingSchema
      .extend(holdingSchema.omit({ holder: true }).shape)
      .extend({ openSaleOffers: uintString.describe("Amount the holder has offered for sale and not yet sold") })
      .nullable()
      .describe("The holder asked about; null when the query names none"),
    transferChain: z.array(transferSchema).describe("How the value reached the holder from the creditor (all transfers when no holder is named)"),
    holders: z.number().int().describe("Members holding a part now"),
    disputesAndFreezes: z.array(receivableEventSchema),
    liens: z.array(z.object({
      loanId: z.string(),
      lotId: z.number().int(),
      borrower: partySchema,
      financier: partySchema,
      status: z.string(),
      principal: uintString,
      outstanding: uintString,
      maturity: time("Maturity"),
    })),
    asOf: z.object({ blockNumber: z.number().int(), blockHash: z.string(), checkedAt: z.number().int() }),
  })
  .meta({ id: "ReceivableVerification" });
export type ReceivableVerificationView = z.infer<typeof receivableVerificationSchema>;

const outstandingSchema = z.object({ currency: z.string(), receivables: z.number().int(), outstanding: uintString, overdue: uintString });

export const receivablesExposureSchema = z
  .object({
    byDebtor: z.array(outstandingSchema.extend({ debtor: partySchema })),
    byFinancier: z.array(
      z.object({
        financier: partySchema,
        currency: z.string(),
        purchased: uintString.describe("Face value held after discounting, not yet settled"),
        pledgedLoans: z.number().int(),
        lent: uintString.describe("Outstanding on active loans secured by receivable lots"),
        overdue: uintString.describe("Of `purchased`, on overdue receivables"),
      }),
    ),
    overdue: z.array(z.object({ currency: z.string(), receivables: z.number().int(), outstanding: uintString })),
    asOf: z.object({ checkedAt: z.number().int() }),
  })
  .meta({ id: "ReceivablesExposure" });
export type ReceivablesExposureView = z.infer<typeof receivablesExposureSchema>;
