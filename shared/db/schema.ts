import { bigint, boolean, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, bigserial } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";

/**
 * The read model: a projection of the chain that the indexer can always rebuild.
 * State tables (members, products, batches) are rewritten in the same transaction as the checkpoint
 * and undo-logged inside the reorg window; event tables are append-only and carry their block, so a
 * rollback is "delete above the common ancestor". uint256-range values are numeric(78,0) and
 * travel as decimal strings; addresses and hashes are lower-case 0x hex.
 */
const uint256 = (name: string) => numeric(name, { precision: 78, scale: 0 });
const blockNumber = (name: string) => bigint(name, { mode: "number" });

/** Where in the chain a row's event happened. */
const eventPosition = {
  blockNumber: blockNumber("block_number").notNull(),
  blockHash: text("block_hash").notNull(),
  txHash: text("tx_hash").notNull(),
  logIndex: integer("log_index").notNull(),
  blockTime: bigint("block_time", { mode: "number" }).notNull(),
};

export const members = pgTable("members", {
  address: text("address").primaryKey(),
  roles: integer("roles").notNull(),
  status: text("status", { enum: ["active", "suspended", "revoked"] }).notNull(),
  creditCodeHash: text("credit_code_hash").notNull(),
  name: text("name").notNull(),
  metadataUri: text("metadata_uri").notNull(),
  metadataHash: text("metadata_hash").notNull(),
  admittedAt: bigint("admitted_at", { mode: "number" }).notNull(),
  admittedBlock: blockNumber("admitted_block").notNull(),
  updatedBlock: blockNumber("updated_block").notNull(),
});

export const products = pgTable(
  "products",
  {
    /** GTIN-14, zero-padded, as GS1 Digital Link and EPCIS expect it. */
    gtin: text("gtin").primaryKey(),
    registrant: text("registrant").notNull(),
    hsCode: text("hs_code").notNull(),
    name: text("name").notNull(),
    uri: text("uri").notNull(),
    registeredAt: bigint("registered_at", { mode: "number" }).notNull(),
    registeredBlock: blockNumber("registered_block").notNull(),
    txHash: text("tx_hash").notNull(),
  },
  (t) => [index("products_registrant_idx").on(t.registrant)],
);

export const BATCH_STATUSES = ["active", "in_transit", "on_hold", "recalled", "consumed", "retired"] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const batches = pgTable(
  "batches",
  {
    id: bigint("id", { mode: "number" }).primaryKey(),
    gtin: text("gtin").notNull(),
    producer: text("producer").notNull(),
    custodian: text("custodian").notNull(),
    pendingRecipient: text("pending_recipient"),
    quantity: uint256("quantity").notNull(),
    initialQuantity: uint256("initial_quantity").notNull(),
    unit: text("unit").notNull(),
    originRegion: integer("origin_region").notNull(),
    producedAt: bigint("produced_at", { mode: "number" }).notNull(),
    lot: text("lot").notNull(),
    documentHash: text("document_hash").notNull(),
    status: text("status", { enum: BATCH_STATUSES }).notNull(),
    /** Set for a batch split off another one to be shipped. */
    parentId: bigint("parent_id", { mode: "number" }),
    /** Set for a batch produced by a transformation. */
    transformationId: bigint("transformation_id", { mode: "number" }),
    createdBlock: blockNumber("created_block").notNull(),
    createdTx: text("created_tx").notNull(),
    updatedBlock: blockNumber("updated_block").notNull(),
  },
  (t) => [
    index("batches_gtin_idx").on(t.gtin, t.id),
    index("batches_producer_idx").on(t.producer, t.id),
    index("batches_custodian_idx").on(t.custodian, t.id),
    index("batches_status_idx").on(t.status, t.id),
  ],
);

export const TRACE_EVENT_TYPES = [
  "commissioned",
  "split",
  "shipped",
  "received",
  "rejected",
  "shipment_cancelled",
  "inspected",
  "observed",
  "transformed_input",
  "transformed_output",
  "held",
  "hold_released",
  "recalled",
  "retired",
] as const;
export type TraceEventType = (typeof TRACE_EVENT_TYPES)[number];

/** Every chain event seen from each batch it concerns (a transformation appears once per batch). */
export const traceEvents = pgTable(
  "trace_events",
  {
    ...eventPosition,
    batchId: bigint("batch_id", { mode: "number" }).notNull(),
    type: text("type", { enum: TRACE_EVENT_TYPES }).notNull(),
    actor: text("actor").notNull(),
    counterparty: text("counterparty"),
    quantity: uint256("quantity"),
    documentHash: text("document_hash"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.txHash, t.logIndex, t.batchId] }),
    index("trace_events_batch_idx").on(t.batchId, t.blockNumber, t.logIndex),
    // Which events carry a document (GET /api/v1/documents/:sha256): partial, most rows have none.
    index("trace_events_document_idx").on(t.documentHash).where(sql`${t.documentHash} IS NOT NULL`),
    index("trace_events_reason_idx").on(sql`(${t.details}->>'reasonHash')`).where(sql`(${t.details}->>'reasonHash') IS NOT NULL`),
    index("trace_events_block_idx").on(t.blockNumber),
  ],
);

/** The lineage graph: quantity of `fromBatchId` that went into `toBatchId`. */
export const lineageEdges = pgTable(
  "lineage_edges",
  {
    fromBatchId: bigint("from_batch_id", { mode: "number" }).notNull(),
    toBatchId: bigint("to_batch_id", { mode: "number" }).notNull(),
    kind: text("kind", { enum: ["split", "transformation"] }).notNull(),
    quantity: uint256("quantity").notNull(),
    transformationId: bigint("transformation_id", { mode: "number" }),
    blockNumber: blockNumber("block_number").notNull(),
    txHash: text("tx_hash").notNull(),
    logIndex: integer("log_index").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.fromBatchId, t.toBatchId, t.txHash] }),
    index("lineage_edges_to_idx").on(t.toBatchId),
    index("lineage_edges_block_idx").on(t.blockNumber),
  ],
);

export const anchors = pgTable(
  "anchors",
  {
    root: text("root").primaryKey(),
    submitter: text("submitter").notNull(),
    eventCount: integer("event_count").notNull(),
    uri: text("uri").notNull(),
    ...eventPosition,
  },
  (t) => [index("anchors_submitter_idx").on(t.submitter), index("anchors_block_idx").on(t.blockNumber)],
);

/** A warehouse receipt as it stands now; `status` is `redeemed` once the goods left the warehouse. */
export const warehouseReceipts = pgTable(
  "warehouse_receipts",
  {
    id: bigint("id", { mode: "number" }).primaryKey(),
    batchId: bigint("batch_id", { mode: "number" }).notNull(),
    warehouse: text("warehouse").notNull(),
    holder: text("holder").notNull(),
    quantity: uint256("quantity").notNull(),
    unit: text("unit").notNull(),
    location: text("location").notNull(),
    issuedAt: bigint("issued_at", { mode: "number" }).notNull(),
    /** Null when the receipt has no storage term. */
    expiresAt: bigint("expires_at", { mode: "number" }),
    /** Integer minor units of `insuranceCurrency`; null when the goods are not insured. */
    insuredValue: uint256("insured_value"),
    insuranceCurrency: text("insurance_currency"),
    policyHash: text("policy_hash"),
    documentHash: text("document_hash").notNull(),
    status: text("status", { enum: ["live", "redeemed"] }).notNull(),
    pledged: boolean("pledged").notNull(),
    frozen: boolean("frozen").notNull(),
    redemptionRequested: boolean("redemption_requested").notNull(),
    /** The receipt this one was split off, if any. */
    splitFrom: bigint("split_from", { mode: "number" }),
    lastAttestedAt: bigint("last_attested_at", { mode: "number" }),
    lastAttestationHash: text("last_attestation_hash"),
    createdBlock: blockNumber("created_block").notNull(),
    createdTx: text("created_tx").notNull(),
    updatedBlock: blockNumber("updated_block").notNull(),
  },
  (t) => [
    index("warehouse_receipts_holder_idx").on(t.holder, t.id),
    index("warehouse_receipts_warehouse_idx").on(t.warehouse, t.id),
    index("warehouse_receipts_batch_idx").on(t.batchId),
    index("warehouse_receipts_policy_idx").on(t.policyHash).where(sql`${t.policyHash} IS NOT NULL`),
  ],
);

export const RECEIPT_EVENT_TYPES = [
  "issued",
  "transferred",
  "split",
  "redemption_requested",
  "redemption_cancelled",
  "redeemed",
  "attested",
  "frozen",
  "unfrozen",
  "extended",
  "insurance_updated",
  "pledged",
  "unpledged",
] as const;
export type ReceiptEventType = (typeof RECEIPT_EVENT_TYPES)[number];

/** A receipt's history: issue, endorsements, splits, attestations, freezes, liens, redemption. */
export const receiptEvents = pgTable(
  "receipt_events",
  {
    ...eventPosition,
    receiptId: bigint("receipt_id", { mode: "number" }).notNull(),
    type: text("type", { enum: RECEIPT_EVENT_TYPES }).notNull(),
    actor: text("actor"),
    counterparty: text("counterparty"),
    quantity: uint256("quantity"),
    documentHash: text("document_hash"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.txHash, t.logIndex, t.receiptId] }),
    index("receipt_events_receipt_idx").on(t.receiptId, t.blockNumber, t.logIndex),
    index("receipt_events_type_idx").on(t.type, t.receiptId),
    index("receipt_events_block_idx").on(t.blockNumber),
    index("receipt_events_document_idx").on(t.documentHash).where(sql`${t.documentHash} IS NOT NULL`),
    index("receipt_events_reason_idx").on(sql`(${t.details}->>'reasonHash')`).where(sql`(${t.details}->>'reasonHash') IS NOT NULL`),
  ],
);

export const LOAN_STATUSES = ["offered", "withdrawn", "active", "released", "enforced"] as const;
export type LoanStatus = (typeof LOAN_STATUSES)[number];

/** A pledge offer and, once accepted, the loan it secures; the id is the hash of its terms. */
export const loans = pgTable(
  "loans",
  {
    id: text("id").primaryKey(),
    /** The collateral contract, its name in the deployments file, and the instrument in it. */
    collateral: text("collateral").notNull(),
    collateralKind: text("collateral_kind").notNull(),
    collateralId: uint256("collateral_id").notNull(),
    /** Key of the underlying asset; known once the lien exists. */
    collateralKey: text("collateral_key"),
    borrower: text("borrower").notNull(),
    financier: text("financier").notNull(),
    principal: uint256("principal").notNull(),
    currency: text("currency").notNull(),
    maturity: bigint("maturity", { mode: "number" }).notNull(),
    rateBps: integer("rate_bps").notNull(),
    marginCallLtvBps: integer("margin_call_ltv_bps").notNull(),
    offerExpiresAt: bigint("offer_expires_at", { mode: "number" }).notNull(),
    salt: text("salt").notNull(),
    status: text("status", { enum: LOAN_STATUSES }).notNull(),
    outstanding: uint256("outstanding").notNull(),
    valuation: uint256("valuation"),
    ltvBps: integer("ltv_bps"),
    /** The ratio passed the margin-call level at the latest valuation. */
    marginCall: boolean("margin_call").notNull(),
    registrationNumber: text("registration_number"),
    enforcedTo: text("enforced_to"),
    offeredAt: bigint("offered_at", { mode: "number" }).notNull(),
    activatedAt: bigint("activated_at", { mode: "number" }),
    closedAt: bigint("closed_at", { mode: "number" }),
    createdBlock: blockNumber("created_block").notNull(),
    createdTx: text("created_tx").notNull(),
    updatedBlock: blockNumber("updated_block").notNull(),
  },
  (t) => [
    index("loans_financier_idx").on(t.financier, t.status, t.maturity),
    index("loans_borrower_idx").on(t.borrower, t.id),
    index("loans_collateral_idx").on(t.collateralKind, t.collateralId),
    index("loans_collateral_key_idx").on(t.collateralKey),
    index("loans_status_maturity_idx").on(t.status, t.maturity),
  ],
);

export const LOAN_EVENT_TYPES = [
  "offered",
  "withdrawn",
  "activated",
  "repayment",
  "valued",
  "margin_call",
  "part_released",
  "released",
  "enforced",
  "registration",
] as const;
export type LoanEventType = (typeof LOAN_EVENT_TYPES)[number];

/** A loan's history, from the offer to release or enforcement. */
export const loanEvents = pgTable(
  "loan_events",
  {
    ...eventPosition,
    loanId: text("loan_id").notNull(),
    type: text("type", { enum: LOAN_EVENT_TYPES }).notNull(),
    actor: text("actor").notNull(),
    amount: uint256("amount"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.txHash, t.logIndex] }),
    index("loan_events_loan_idx").on(t.loanId, t.blockNumber, t.logIndex),
    index("loan_events_block_idx").on(t.blockNumber),
    index("loan_events_reference_idx").on(sql`(${t.details}->>'referenceHash')`).where(sql`(${t.details}->>'referenceHash') IS NOT NULL`),
  ],
);

export const RECEIVABLE_STATUSES = ["registered", "confirmed", "cancelled", "rejected", "settled"] as const;
export type ReceivableStatus = (typeof RECEIVABLE_STATUSES)[number];

/** A receivable (an amount a debtor confirmed it owes at a date) as it stands now. */
export const receivables = pgTable(
  "receivables",
  {
    id: bigint("id", { mode: "number" }).primaryKey(),
    creditor: text("creditor").notNull(),
    debtor: text("debtor").notNull(),
    /** Integer minor units of `currency`. */
    faceValue: uint256("face_value").notNull(),
    currency: text("currency").notNull(),
    dueDate: bigint("due_date", { mode: "number" }).notNull(),
    graceSeconds: integer("grace_seconds").notNull(),
    invoiceHash: text("invoice_hash").notNull(),
    documentHash: text("document_hash").notNull(),
    status: text("status", { enum: RECEIVABLE_STATUSES }).notNull(),
    paid: uint256("paid").notNull(),
    disputed: boolean("disputed").notNull(),
    frozen: boolean("frozen").notNull(),
    paymentAgent: text("payment_agent"),
    registeredAt: bigint("registered_at", { mode: "number" }).notNull(),
    confirmedAt: bigint("confirmed_at", { mode: "number" }),
    createdBlock: blockNumber("created_block").notNull(),
    createdTx: text("created_tx").notNull(),
    updatedBlock: blockNumber("updated_block").notNull(),
  },
  (t) => [
    index("receivables_creditor_idx").on(t.creditor, t.id),
    index("receivables_invoice_idx").on(t.invoiceHash),
    index("receivables_document_idx").on(t.documentHash),
    index("receivables_debtor_idx").on(t.debtor, t.id),
    index("receivables_status_due_idx").on(t.status, t.dueDate),
  ],
);

/** One holder's amount of one receivable; `key` is "<receivable id>:<holder>". */
export const receivableHoldings = pgTable(
  "receivable_holdings",
  {
    key: text("key").primaryKey(),
    receivableId: bigint("receivable_id", { mode: "number" }).notNull(),
    holder: text("holder").notNull(),
    /** What the holder holds now (burned when it is settled in full). */
    amount: uint256("amount").notNull(),
    /** Of `amount`, what sits in lots (pledgeable, not transferable). */
    earmarked: uint256("earmarked").notNull(),
    /** What the holder has been settled so far from the debtor's payments. */
    settled: uint256("settled").notNull(),
    closed: boolean("closed").notNull(),
    updatedBlock: blockNumber("updated_block").notNull(),
  },
  (t) => [
    index("receivable_holdings_holder_idx").on(t.holder, t.receivableId),
    index("receivable_holdings_receivable_idx").on(t.receivableId),
  ],
);

/** An earmarked amount of a holding: the instrument pledged through the lien registry. */
export const receivableLots = pgTable(
  "receivable_lots",
  {
    id: bigint("id", { mode: "number" }).primaryKey(),
    receivableId: bigint("receivable_id", { mode: "number" }).notNull(),
    holder: text("holder").notNull(),
    amount: uint256("amount").notNull(),
    pledged: boolean("pledged").notNull(),
    status: text("status", { enum: ["earmarked", "released", "seized"] }).notNull(),
    createdBlock: blockNumber("created_block").notNull(),
    updatedBlock: blockNumber("updated_block").notNull(),
  },
  (t) => [index("receivable_lots_receivable_idx").on(t.receivableId, t.holder)],
);

/** An offer to sell an amount to a financier at a discount, and whether it was taken. */
export const receivableSales = pgTable(
  "receivable_sales",
  {
    id: bigint("id", { mode: "number" }).primaryKey(),
    receivableId: bigint("receivable_id", { mode: "number" }).notNull(),
    seller: text("seller").notNull(),
    financier: text("financier").notNull(),
    amount: uint256("amount").notNull(),
    price: uint256("price").notNull(),
    status: text("status", { enum: ["offered", "withdrawn", "sold"] }).notNull(),
    createdBlock: blockNumber("created_block").notNull(),
    updatedBlock: blockNumber("updated_block").notNull(),
  },
  (t) => [
    index("receivable_sales_receivable_idx").on(t.receivableId),
    index("receivable_sales_financier_idx").on(t.financier),
  ],
);

export const RECEIVABLE_EVENT_TYPES = [
  "registered",
  "confirmed",
  "cancelled",
  "rejected",
  "disputed",
  "dispute_resolved",
  "frozen",
  "unfrozen",
  "payment_agent_appointed",
  "transferred",
  "earmarked",
  "lot_pledged",
  "lot_unpledged",
  "lot_reduced",
  "lot_released",
  "lot_seized",
  "sale_offered",
  "sale_withdrawn",
  "sold",
  "payment",
  "holder_settled",
  "holder_closed",
  "settled",
] as const;
export type ReceivableEventType = (typeof RECEIVABLE_EVENT_TYPES)[number];

/** A receivable's history; `transferred` rows (from -> to, amount) are its transfer tree. */
export const receivableEvents = pgTable(
  "receivable_events",
  {
    ...eventPosition,
    receivableId: bigint("receivable_id", { mode: "number" }).notNull(),
    type: text("type", { enum: RECEIVABLE_EVENT_TYPES }).notNull(),
    actor: text("actor"),
    counterparty: text("counterparty"),
    amount: uint256("amount"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    // A TransferBatch log moves several receivables: one row each.
    primaryKey({ columns: [t.txHash, t.logIndex, t.receivableId] }),
    index("receivable_events_receivable_idx").on(t.receivableId, t.blockNumber, t.logIndex),
    index("receivable_events_block_idx").on(t.blockNumber),
    index("receivable_events_reason_idx").on(sql`(${t.details}->>'reasonHash')`).where(sql`(${t.details}->>'reasonHash') IS NOT NULL`),
    index("receivable_events_reference_idx").on(sql`(${t.details}->>'referenceHash')`).where(sql`(${t.details}->>'referenceHash') IS NOT NULL`),
  ],
);

/** The indexer's progress: everything at or below `blockNumber` is in the tables above. */
export const indexerCheckpoints = pgTable("indexer_checkpoints", {
  id: text("id").primaryKey(),
  chainId: integer("chain_id").notNull(),
  /** Fingerprint of the deployment being indexed, so a database is never reused for another one. */
  deploymentKey: text("deployment_key").notNull(),
  blockNumber: blockNumber("block_number").notNull(),
  blockHash: text("block_hash").notNull(),
  /** Timestamp of block `blockNumber`: the ledger's clock, as far as the index knows it. */
  blockTime: bigint("block_time", { mode: "number" }).notNull().default(0),
  headBlock: blockNumber("head_block").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
});

/** Hashes of recent indexed blocks, compared with the chain to find a reorg's common ancestor. */
export const indexedBlocks = pgTable("indexed_blocks", {
  number: blockNumber("number").primaryKey(),
  hash: text("hash").notNull(),
  parentHash: text("parent_hash").notNull(),
});

/** Previous images of state rows changed inside the reorg window, replayed backwards on rollback. */
export const undoLog = pgTable(
  "undo_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    blockNumber: blockNumber("block_number").notNull(),
    tableName: text("table_name").notNull(),
    rowKey: text("row_key").notNull(),
    previous: jsonb("previous").$type<Record<string, unknown> | null>(),
  },
  (t) => [index("undo_log_block_idx").on(t.blockNumber)],
);

/*
 * ---------------------------------------------------------------------------------------------------
 * Application state: NOT part of the read model. These rows are created by the API, not by the chain,
 * so the indexer can never rebuild them: shared/db/reset.ts must never truncate them.
 * ---------------------------------------------------------------------------------------------------
 */

/** Sign-in nonces (EIP-4361): issued by GET /api/v1/auth/nonce, consumed once by a sign-in. */
export const authNonces = pgTable(
  "auth_nonces",
  {
    nonce: text("nonce").primaryKey(),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    /** Set, once, by the sign-in that consumed the nonce. */
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("auth_nonces_expires_idx").on(t.expiresAt)],
);

/** API keys of members' systems. Only the SHA-256 of the secret is kept; `id` is the key's public prefix. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    memberAddress: text("member_address").notNull(),
    name: text("name").notNull(),
    scope: text("scope", { enum: ["read", "read-write"] }).notNull(),
    secretHash: text("secret_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    /** The address that issued it: the member itself or the consortium admin. */
    createdBy: text("created_by").notNull(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: text("revoked_by"),
  },
  (t) => [index("api_keys_member_idx").on(t.memberAddress, t.createdAt)],
);

/**
 * Idempotency keys of managed writes: a request retried with the same key (client timeout, network
 * error) answers what the first one answered and never sends a second transaction.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    /** The caller's address: keys are per caller. */
    caller: text("caller").notNull(),
    key: text("key").notNull(),
    /** SHA-256 of the request (method, path, body): the same key with another request is refused. */
    requestHash: text("request_hash").notNull(),
    /** Set when the write has an answer to replay. */
    responseStatus: integer("response_status"),
    response: jsonb("response").$type<unknown>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.caller, t.key] }), index("idempotency_keys_created_idx").on(t.createdAt)],
);

/** Documents stored off-chain, content-addressed by SHA-256 (the bytes live in the document store). */
export const documents = pgTable("documents", {
  sha256: text("sha256").primaryKey(),
  size: bigint("size", { mode: "number" }).notNull(),
  contentType: text("content_type").notNull(),
  storedAt: timestamp("stored_at", { withTimezone: true }).notNull(),
});

/** Who uploaded a document (several members may upload the same bytes), under which file name. */
export const documentUploads = pgTable(
  "document_uploads",
  {
    sha256: text("sha256").notNull(),
    uploader: text("uploader").notNull(),
    filename: text("filename"),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sha256, t.uploader] }), index("document_uploads_uploader_idx").on(t.uploader, t.uploadedAt)],
);

/**
 * Every read of private data (party and oversight operations), allowed or refused: who, by which
 * credential, which operation on which resource, the answer's status and when. Regulators and
 * auditors query it (GET /api/v1/access-log); nothing deletes from it.
 */
export const accessLog = pgTable(
  "access_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    /** The caller's address; null for a request without a credential. */
    caller: text("caller"),
    via: text("via", { enum: ["token", "api-key"] }),
    apiKeyId: text("api_key_id"),
    operation: text("operation").notNull(),
    /** The request's path and query, as sent (at most 2,000 characters). */
    resource: text("resource").notNull(),
    status: integer("status").notNull(),
  },
  (t) => [
    index("access_log_at_idx").on(t.at),
    index("access_log_caller_idx").on(t.caller, t.id),
    index("access_log_operation_idx").on(t.operation, t.id),
  ],
);
