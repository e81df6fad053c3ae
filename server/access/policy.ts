import type { PartyResolver } from "./parties";
import {
  ADMIN, ADMIN_OR_OVERSIGHT, MEMBER_WRITES, MEMBERS, OVERSIGHT, PUBLIC, listNamingCaller, memberItself, partiesOf,
  type AccessInput, type AccessRule,
} from "./rules";

const id = (input: AccessInput) => input.params.id;

const receiptParties = (input: AccessInput, parties: PartyResolver) => parties.receiptParties([id(input) as number]);
const receivableParties = (input: AccessInput, parties: PartyResolver) => parties.receivableParties([id(input) as number]);
const RECEIPT_PARTIES = "the receipt's holder, its warehouse and the financiers that offered or made a loan on it";
const RECEIVABLE_PARTIES =
  "the receivable's creditor, debtor and payment agent, its present and past holders, the financiers it was offered for sale to or that lent on one of its lots";

const RECEIPT = partiesOf(RECEIPT_PARTIES, receiptParties);
const RECEIVABLE = partiesOf(RECEIVABLE_PARTIES, receivableParties);
const LOAN = partiesOf("the loan's borrower and financier", (input, parties) => parties.loanParties([id(input) as string]));
const DOCUMENT = partiesOf("the document's uploaders and the parties of the ledger objects that carry its hash", (input, parties) =>
  parties.documentParties(input.params.sha256 as string),
);

/** A member's API keys: the member itself or the consortium admin (never a regulator: keys are credentials). */
const KEY_OWNER: AccessRule = {
  tier: "party",
  who: "the member `member` itself or the consortium admin",
  allows: (caller, input) => caller.kind === "admin" || input.params.member === caller.address,
};

/**
 * Who may call each operation, by operationId: the one place access is decided (RouteTable refuses to
 * mount an operation missing here). The README's "Access" table is this table in words; tests walk it
 * role by role (test/server/access-policy.test.ts).
 */
export const ACCESS_POLICY: Record<string, AccessRule> = {
  // Public: health, the QR page, anchors and their proofs, sign-in.
  health: PUBLIC,
  readiness: PUBLIC,
  getProvenanceSummary: PUBLIC,
  listAnchors: PUBLIC,
  getAnchor: PUBLIC,
  verifyAnchorProof: PUBLIC,
  getSignInNonce: PUBLIC,
  signIn: PUBLIC,
  getCaller: PUBLIC,

  // Member: the consortium's shared traceability data.
  listMembers: MEMBERS,
  getMember: MEMBERS,
  listProducts: MEMBERS,
  getProduct: MEMBERS,
  listBatches: MEMBERS,
  getBatch: MEMBERS,
  getBatchTimeline: MEMBERS,
  traceBatch: MEMBERS,
  exportBatchEpcis: MEMBERS,

  // Party: warehouse receipts, loans, receivables, documents.
  listReceipts: listNamingCaller(["holder", "warehouse"]),
  getReceipt: RECEIPT,
  getReceiptHistory: RECEIPT,
  verifyReceipt: partiesOf(RECEIPT_PARTIES, receiptParties, "FINANCIER"),
  listLoans: listNamingCaller(["financier", "borrower"]),
  listDueLoans: listNamingCaller(["financier"]),
  getLoan: LOAN,
  getLoanHistory: LOAN,
  getLoanBook: memberItself("address"),
  listReceivables: listNamingCaller(["creditor", "debtor", "holder"]),
  getReceivable: RECEIVABLE,
  getReceivableHistory: RECEIVABLE,
  getReceivableTransferTree: RECEIVABLE,
  verifyReceivable: partiesOf(RECEIVABLE_PARTIES, receivableParties, "FINANCIER"),
  listMemberHoldings: memberItself("address"),
  getMaturityCalendar: memberItself("address"),
  getDocument: DOCUMENT,
  getDocumentContent: DOCUMENT,

  // Oversight: the market-wide views.
  getReceivablesExposure: OVERSIGHT,
  listAccessLog: OVERSIGHT,

  // Writes: every transaction is also authorized on chain by the signer's role.
  prepareTransaction: MEMBERS,
  relayTransaction: MEMBER_WRITES,
  getTransaction: MEMBERS,
  managedWrite: MEMBER_WRITES,
  captureEpcis: MEMBER_WRITES,
  uploadDocument: MEMBER_WRITES,

  // Credentials and keys.
  createApiKey: KEY_OWNER,
  listApiKeys: KEY_OWNER,
  revokeApiKey: KEY_OWNER,
  createManagedKey: ADMIN,
  listManagedKeys: ADMIN_OR_OVERSIGHT,
};
