import type { LienRegistry } from "../typechain-types";
import type { LoanEventType } from "../shared/db/schema";
import { formatCurrency } from "../shared/trade-codes";
import {
  address, hex, ignoredEvent, int, uint, type EventHandler, type EventNames, type HandlerContext,
} from "./handler-support";
import type { LoanRow } from "./working-set";

/** Appends one history row for the loan. */
function history(
  { set, at }: HandlerContext,
  loan: LoanRow,
  type: LoanEventType,
  fields: { amount?: string; details?: Record<string, unknown> } = {},
): void {
  set.loanEvents.push({
    ...at,
    loanId: loan.id,
    type,
    // Only the borrower offers and withdraws; everything after the offer is the financier's act.
    actor: type === "offered" || type === "withdrawn" ? loan.borrower : loan.financier,
    amount: fields.amount ?? null,
    details: fields.details ?? {},
  });
}

/** Updates the loan named by the event's `loanId` and records one history row. */
function loanChange(
  type: LoanEventType,
  change: (args: Record<string, unknown>, context: HandlerContext) => Partial<LoanRow>,
  describe: (args: Record<string, unknown>) => Parameters<typeof history>[3] = () => ({}),
): EventHandler {
  return {
    touches: (args, touches) => touches.loans.add(hex(args.loanId)),
    apply: (context, args) => {
      const loan = context.set.update("loans", hex(args.loanId), context.at.blockNumber, {
        ...change(args, context),
        updatedBlock: context.at.blockNumber,
      });
      history(context, loan, type, describe(args));
    },
  };
}

const closedNow = (context: HandlerContext) => ({ closedAt: context.at.blockTime });

export const lienHandlers: Record<EventNames<LienRegistry>, EventHandler> = {
  PledgeOffered: {
    apply: (context, args) => {
      const { set, at } = context;
      const loan: LoanRow = {
        id: hex(args.loanId),
        collateral: address(args.collateral),
        collateralKind: context.contractAt(address(args.collateral)) ?? "unknown",
        collateralId: uint(args.collateralId),
        collateralKey: null,
        borrower: address(args.borrower),
        financier: address(args.financier),
        principal: uint(args.principal),
        currency: formatCurrency(args.currency as string),
        maturity: int(args.maturity),
        rateBps: int(args.rateBps),
        marginCallLtvBps: int(args.marginCallLtvBps),
        offerExpiresAt: int(args.offerExpiresAt),
        salt: hex(args.salt),
        status: "offered",
        outstanding: uint(args.principal),
        valuation: null,
        ltvBps: null,
        marginCall: false,
        registrationNumber: null,
        enforcedTo: null,
        offeredAt: at.blockTime,
        activatedAt: null,
        closedAt: null,
        createdBlock: at.blockNumber,
        createdTx: at.txHash,
        updatedBlock: at.blockNumber,
      };
      set.put("loans", loan.id, loan, at.blockNumber);
      history(context, loan, "offered", {
        amount: loan.principal,
        details: { collateral: loan.collateral, collateralId: loan.collateralId, maturity: loan.maturity },
      });
    },
  },
  OfferWithdrawn: loanChange("withdrawn", (_args, context) => ({ status: "withdrawn", ...closedNow(context) })),
  LoanActivated: loanChange(
    "activated",
    (args, context) => ({
      status: "active",
      collateralKey: hex(args.collateralKey),
      valuation: uint(args.valuation),
      ltvBps: int(args.ltvBps),
      activatedAt: context.at.blockTime,
    }),
    (args) => ({ amount: uint(args.valuation), details: { ltvBps: int(args.ltvBps) } }),
  ),
  RepaymentRecorded: loanChange(
    "repayment",
    (args) => ({ outstanding: uint(args.outstanding) }),
    (args) => ({ amount: uint(args.amount), details: { outstanding: uint(args.outstanding), referenceHash: hex(args.referenceHash) } }),
  ),
  // A valuation clears the margin call flag; a MarginCall in the same transaction sets it again.
  CollateralValued: loanChange(
    "valued",
    (args) => ({ valuation: uint(args.valuation), ltvBps: int(args.ltvBps), marginCall: false }),
    (args) => ({ amount: uint(args.valuation), details: { ltvBps: int(args.ltvBps) } }),
  ),
  MarginCall: loanChange(
    "margin_call",
    () => ({ marginCall: true }),
    (args) => ({ details: { ltvBps: int(args.ltvBps), marginCallLtvBps: int(args.marginCallLtvBps) } }),
  ),
  CollateralPartReleased: loanChange(
    "part_released",
    () => ({}),
    (args) => ({ details: { releasedId: uint(args.releasedId), quantity: uint(args.quantity) } }),
  ),
  LienReleased: loanChange("released", (_args, context) => ({ status: "released", ...closedNow(context) })),
  LienEnforced: loanChange(
    "enforced",
    (args, context) => ({ status: "enforced", enforcedTo: address(args.to), ...closedNow(context) }),
    (args) => ({ details: { to: address(args.to) } }),
  ),
  RegistrationRecorded: loanChange(
    "registration",
    (args) => ({ registrationNumber: args.registrationNumber as string }),
    (args) => ({ details: { registrationNumber: args.registrationNumber } }),
  ),
  // Terms revoked before any offer or acceptance never had a loan row, and now never will.
  SignedOfferRevoked: ignoredEvent,
  CollateralModuleRegistered: ignoredEvent,
  EIP712DomainChanged: ignoredEvent,
};
