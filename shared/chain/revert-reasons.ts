import type { ErrorDescription } from "ethers";
import { allErrorsInterface } from "./contracts";
import { roleNames } from "../roles";
import { formatCurrency, formatGtin, formatUnit } from "../trade-codes";

/**
 * Human sentences for the contracts' custom errors, and the decoding of revert data. The CLI and the
 * API explain a revert the same way from here.
 */

/** Seconds since the epoch as an ISO 8601 time (as the CLI prints times). */
const formatTime = (seconds: bigint | number) => new Date(Number(seconds) * 1000).toISOString();
/** Basis points as a percentage: 450 -> "4.50%". */
const formatBps = (bps: bigint | number) => {
  const value = BigInt(bps);
  return `${(value / 100n).toLocaleString("en-US")}.${(value % 100n).toString().padStart(2, "0")}%`;
};

const MEMBER_STATUS = ["not admitted", "active", "suspended", "revoked"];
/** ILienRegistry.LoanStatus, as the indexer and the API name them. */
export const LOAN_STATUS = ["none", "offered", "withdrawn", "active", "released", "enforced"] as const;

/** IReceivables.ReceivableStatus, as the indexer and the API name them. */
const RECEIVABLE_STATUS = ["none", "registered", "confirmed", "cancelled", "rejected", "settled"] as const;

/** What each field of ILienRegistry.InvalidTerms means, with the `loan offer` option that sets it. */
const INVALID_TERMS: Record<string, string> = {
  financier: "the financier cannot be the borrower (--financier)",
  principal: "the principal must be greater than zero (--principal)",
  maturity: "the maturity must be in the future (--maturity)",
  offerExpiresAt: "the offer must expire in the future and no later than the maturity (--offer-expires)",
  marginCallLtvBps: "the margin-call level must be greater than zero (--margin-call)",
};

const roleText = (bits: bigint) => {
  const names = roleNames(Number(bits));
  return names.length > 0 ? names.join("+") : `bits ${bits}`;
};

export type Explain = (args: ErrorDescription["args"]) => string;

/** Human sentences for the custom errors members run into; anything else prints as `Name(args)`. */
export const EXPLAIN: Record<string, Explain> = {
  // MemberRegistry
  MissingRole: ([account, role]) =>
    role === 0n ? `${account} is not an active member` : `${account} is not an active member with role ${roleText(role)}`,
  MemberAlreadyAdmitted: ([account]) => `${account} is already admitted`,
  UnknownMember: ([account]) => `${account} has never been admitted`,
  InvalidMemberStatus: ([account, status]) =>
    `${account} is ${MEMBER_STATUS[Number(status)] ?? `in status ${status}`}, which this operation does not allow`,
  InvalidRoles: ([roles]) => `role bits ${roles} name no valid combination of roles`,
  CreditCodeInUse: ([, holder]) => `that credit code is already registered to ${holder}`,
  ZeroValue: () => "a zero address or zero hash was given where a value is required",
  AdminCannotBeRenounced: () => "the admin role cannot be renounced; hand it over with `admin transfer`",
  OwnableUnauthorizedAccount: ([account]) =>
    `${account} is not the consortium admin (nor, for \`admin accept\`, the pending admin)`,
  OwnableInvalidOwner: ([owner]) => `${owner} cannot become the admin`,
  // ProvenanceLedger
  InvalidGtin: ([gtin]) => `${formatGtin(gtin)} is not a valid GTIN`,
  InvalidHsCode: ([hs]) => `"${hs}" is not an HS code of 6, 8 or 10 digits`,
  ProductAlreadyRegistered: ([gtin]) => `product ${formatGtin(gtin)} is already registered`,
  UnknownProduct: ([gtin]) => `product ${formatGtin(gtin)} is not registered`,
  InvalidUnit: ([unit]) => `"${formatUnit(unit)}" is not a UN/CEFACT unit code`,
  InvalidOriginRegion: ([region]) => `origin region ${region} is not valid`,
  ProductionTimeInFuture: ([producedAt, now]) =>
    `the production time ${new Date(Number(producedAt) * 1000).toISOString()} is after the chain's time ${new Date(Number(now) * 1000).toISOString()}`,
  ZeroQuantity: () => "the quantity must be greater than zero",
  UnknownBatch: ([id]) => `batch ${id} does not exist`,
  NotCustodian: ([id, caller, custodian]) => `batch ${id} is held by ${custodian}, not by ${caller}`,
  NotRecipient: ([id, caller, recipient]) =>
    recipient === "0x0000000000000000000000000000000000000000"
      ? `batch ${id} is not being shipped to ${caller}`
      : `batch ${id} is being shipped to ${recipient}, not to ${caller}`,
  NotProducerOrRegulator: ([id, caller]) => `${caller} is neither the producer of batch ${id} nor an active regulator`,
  BatchInTransit: ([id]) => `batch ${id} is in transit`,
  BatchOnHold: ([id]) => `batch ${id} is on hold`,
  BatchRecalled: ([id]) => `batch ${id} is recalled`,
  BatchConsumed: ([id]) => `batch ${id} is consumed`,
  BatchIsRetired: ([id]) => `batch ${id} is retired`,
  BatchNotInTransit: ([id]) => `batch ${id} is not in transit`,
  BatchNotOnHold: ([id]) => `batch ${id} is not on hold`,
  InsufficientQuantity: ([id, requested, available]) =>
    `batch ${id} holds ${available}, less than the ${requested} requested`,
  ShipmentToSelf: ([id]) => `batch ${id} cannot be shipped to its own custodian`,
  InvalidCarrier: ([carrier]) => `${carrier} is not an active member with role LOGISTICS`,
  EmptyTransformation: () => "a transformation needs at least one input and one output",
  DuplicateInput: ([id]) => `batch ${id} is listed twice as an input`,
  ZeroRoot: () => "the Merkle root is zero",
  ZeroEventCount: () => "there are no events to anchor",
  RootAlreadyAnchored: ([root]) => `root ${root} is already anchored`,
  BatchUnderReceipt: ([id]) => `batch ${id} is under a warehouse receipt; it moves only through the receipt`,
  BatchNotUnderReceipt: ([id]) => `batch ${id} is not under a warehouse receipt`,
  NotWarehouseReceipts: ([caller]) => `${caller} is not the warehouse-receipt contract`,
  // WarehouseReceipt
  UnknownReceipt: ([id]) => `receipt ${id} does not exist (never issued, or redeemed)`,
  NotHolder: ([id, caller, holder]) => `receipt ${id} is held by ${holder}, not by ${caller}`,
  NotIssuingWarehouse: ([id, caller, warehouse]) => `the goods of receipt ${id} are kept by ${warehouse}, not by ${caller}`,
  ReceiptIsPledged: ([id]) => `receipt ${id} is pledged; it cannot move, split or be redeemed until its lien is released`,
  ReceiptNotPledged: ([id]) => `receipt ${id} is not pledged`,
  ReceiptIsFrozen: ([id]) => `receipt ${id} is frozen by a regulator`,
  ReceiptNotFrozen: ([id]) => `receipt ${id} is not frozen`,
  ReceiptExpired: ([id, expiresAt]) => `receipt ${id} expired at ${formatTime(expiresAt)}`,
  RedemptionPending: ([id]) => `receipt ${id} has a redemption request pending`,
  NoRedemptionRequested: ([id]) => `receipt ${id} has no redemption request pending`,
  InvalidExpiry: ([expiresAt]) =>
    `the expiry ${formatTime(expiresAt)} is not valid: it must be in the future (and, to extend, after the receipt's current expiry; a receipt without expiry cannot be extended)`,
  InvalidSplit: ([id]) => `receipt ${id} cannot be split that way: each part must be above zero and together less than the receipt's quantity`,
  InvalidCurrency: ([currency]) => `"${formatCurrency(currency)}" is not an ISO 4217 currency code`,
  TransferToNonMember: ([to]) => `${to} is not an active member; receipts and receivables move between active members only`,
  NotLienRegistry: ([caller]) => `${caller} is not the lien registry`,
  ERC721NonexistentToken: ([id]) => `receipt ${id} does not exist (never issued, or redeemed)`,
  ERC721InsufficientApproval: ([operator, id]) => `${operator} is neither the holder of receipt ${id} nor approved by it`,
  ERC721IncorrectOwner: ([sender, id, owner]) => `receipt ${id} is held by ${owner}, not by ${sender}`,
  ERC721InvalidOwner: ([owner]) => `${owner} cannot hold receipts`,
  ERC721InvalidReceiver: ([receiver]) => `${receiver} cannot receive receipts`,
  ERC721InvalidSender: ([sender]) => `${sender} cannot send receipts`,
  ERC721InvalidApprover: ([approver]) => `${approver} cannot approve transfers of this receipt`,
  ERC721InvalidOperator: ([operator]) => `${operator} cannot be made an operator`,
  // LienRegistry
  NotConsortiumAdmin: ([caller]) => `${caller} is not the consortium admin`,
  UnknownCollateralModule: ([collateral]) => `${collateral} is not a registered kind of collateral`,
  CollateralModuleAlreadyRegistered: ([collateral]) => `${collateral} is already a registered kind of collateral`,
  NotBorrower: ([loanId, caller]) => `${caller} is not the borrower of loan ${loanId}`,
  NotFinancier: ([loanId, caller]) => `${caller} is not the financier of loan ${loanId}`,
  NotCollateralHolder: ([, collateralId, caller, holder]) => `collateral ${collateralId} is held by ${holder}, not by ${caller}`,
  CollateralAlreadyPledged: ([, loanId]) => `the goods already back active loan ${loanId}; they cannot be pledged twice`,
  OfferAlreadyExists: ([loanId]) =>
    `loan ${loanId} already exists: these exact terms were offered before, or, signed, were already accepted or revoked by the borrower (a signature is good for one loan only)`,
  InvalidBorrowerSignature: ([loanId, borrower]) =>
    `the signature is not ${borrower}'s over these terms (loan ${loanId}): they were changed after signing, or signed by another key or for another lien registry`,
  InvalidLoanStatus: ([loanId, status]) =>
    status === 0n
      ? `loan ${loanId} was never offered on this lien registry`
      : `loan ${loanId} is ${LOAN_STATUS[Number(status)] ?? `in status ${status}`}, which this operation does not allow`,
  OfferExpired: ([loanId, offerExpiresAt]) => `the offer of loan ${loanId} expired at ${formatTime(offerExpiresAt)}`,
  InvalidTerms: ([field]) => INVALID_TERMS[field] ?? `the loan terms' ${field} is invalid`,
  ZeroValuation: () => "the valuation must be greater than zero",
  LtvAboveMarginCall: ([ltv, marginCall]) =>
    `that valuation puts the loan-to-value ratio at ${formatBps(ltv)}, at or above the ${formatBps(marginCall)} margin-call level`,
  RepaymentExceedsOutstanding: ([loanId, amount, outstanding]) =>
    `a repayment of ${amount} minor units exceeds the ${outstanding} outstanding on loan ${loanId}`,
  ZeroRepayment: () => "the repayment must be greater than zero",
  NotMatured: ([loanId, maturity]) => `loan ${loanId} matures at ${formatTime(maturity)}; it cannot be enforced before`,
  NothingOutstanding: ([loanId]) => `nothing is outstanding on loan ${loanId}; release it instead of enforcing`,
  EmptyRegistrationNumber: () => "the registration number is empty",
  ReentrantCall: () => "the lien registry was called back while it was changing a collateral",
  // Receivables
  UnknownReceivable: ([id]) => `receivable ${id} does not exist`,
  InvalidDebtor: ([debtor]) => `${debtor} cannot be the debtor: it must be an active member other than the creditor`,
  ZeroAmount: () => "the amount must be greater than zero",
  InvalidDueDate: ([dueDate]) => `the due date ${formatTime(dueDate)} is not in the future`,
  ZeroInvoiceHash: () => "the invoice hash is zero",
  InvoiceAlreadyUsed: ([, existingId]) => `that invoice already backs receivable ${existingId}; an invoice backs one receivable, ever`,
  NotDebtor: ([id, caller, debtor]) => `the debtor of receivable ${id} is ${debtor}, not ${caller}`,
  NotCreditor: ([id, caller]) => `${caller} is not the creditor of receivable ${id}`,
  NotRegistrant: ([caller, creditor]) => `${caller} cannot register for creditor ${creditor}`,
  InvalidDebtorSignature: ([debtor]) =>
    `the signature is not ${debtor}'s over this registration: it was changed after signing, or signed by another key or for another contract`,
  InvalidStatus: ([id, status]) =>
    `receivable ${id} is ${RECEIVABLE_STATUS[Number(status)] ?? `in status ${status}`}, which this operation does not allow`,
  ReceivableIsDisputed: ([id]) => `the debtor disputes receivable ${id}; nothing of it moves until the dispute is resolved`,
  ReceivableNotDisputed: ([id]) => `receivable ${id} is not disputed`,
  ReceivableIsFrozen: ([id]) => `receivable ${id} is frozen by a regulator`,
  ReceivableNotFrozen: ([id]) => `receivable ${id} is not frozen`,
  ReceivableInSettlement: ([id, paid]) => `the debtor has paid ${paid} minor units of receivable ${id}; it no longer moves`,
  AmountEarmarked: ([id, holder, earmarked]) => `${earmarked} of ${holder}'s part of receivable ${id} is earmarked in lots and cannot move`,
  InsufficientFreeAmount: ([id, holder, requested, free]) =>
    `${holder} has ${free} minor units of receivable ${id} free (not earmarked), less than the ${requested} requested`,
  UnknownLot: ([lotId]) => `lot ${lotId} does not exist (never earmarked, or released)`,
  NotLotHolder: ([lotId, caller, holder]) => `lot ${lotId} belongs to ${holder}, not to ${caller}`,
  LotAlreadyPledged: ([lotId]) => `lot ${lotId} is pledged; it cannot be released until its lien is`,
  LotNotPledged: ([lotId]) => `lot ${lotId} is not pledged`,
  InvalidLotAmount: ([lotId, amount]) => `${amount} is not a valid part of lot ${lotId}: above zero and below the lot's amount`,
  UnknownSale: ([saleId]) => `sale ${saleId} does not exist (never offered, withdrawn, or taken)`,
  NotSeller: ([saleId, caller]) => `${caller} did not offer sale ${saleId}`,
  NotSaleFinancier: ([saleId, caller]) => `sale ${saleId} was not offered to ${caller}`,
  InvalidPrice: ([amount, price]) => `a price of ${price} for ${amount} is not valid: above zero and at most the amount`,
  InvalidFinancier: ([financier]) => `${financier} is not an active member with role FINANCIER`,
  NotPayer: ([id, caller]) => `${caller} is neither the debtor of receivable ${id} nor its payment agent`,
  PaymentExceedsOutstanding: ([id, amount, outstanding]) =>
    `a payment of ${amount} minor units exceeds the ${outstanding} outstanding on receivable ${id}`,
  NothingPaid: ([id]) => `nothing has been paid on receivable ${id}; there is nothing to settle`,
  ERC1155InsufficientBalance: ([sender, balance, needed, id]) => `${sender} holds ${balance} of receivable ${id}, less than the ${needed} requested`,
  ERC1155MissingApprovalForAll: ([operator, owner]) => `${operator} is not approved to move ${owner}'s receivables`,
  ERC1155InvalidReceiver: ([receiver]) => `${receiver} cannot receive receivables`,
  // OpenZeppelin utilities (Multicall, EIP-712 names)
  FailedCall: () => "a call within the transaction failed without a reason",
  AddressEmptyCode: ([target]) => `${target} has no contract code`,
  InvalidShortString: () => "a short string is invalid",
  StringTooLong: ([text]) => `"${text}" is too long`,
};

/** Revert data may sit on the error itself or on the JSON-RPC error it wraps. */
export function findRevertData(error: unknown, depth = 0): string | undefined {
  if (error === null || typeof error !== "object" || depth > 6) return undefined;
  const record = error as Record<string, unknown>;
  if (typeof record.data === "string" && /^0x[0-9a-fA-F]{8,}$/.test(record.data)) return record.data;
  for (const key of ["error", "info", "cause", "data", "payload"]) {
    const found = findRevertData(record[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The custom error a thrown ethers or JSON-RPC error carries, decoded; undefined when there is none. */
export function decodeRevert(error: unknown): ErrorDescription | undefined {
  const data = findRevertData(error);
  return data ? decodeRevertData(data) : undefined;
}

/** Revert data ("0x" + selector + arguments) decoded with every contract's errors, or undefined. */
export function decodeRevertData(data: string): ErrorDescription | undefined {
  try {
    return allErrorsInterface.parseError(data) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The human sentence for a decoded custom error, or undefined when there is none for it. */
export function explainRevert(decoded: ErrorDescription): string | undefined {
  return EXPLAIN[decoded.name]?.(decoded.args);
}
