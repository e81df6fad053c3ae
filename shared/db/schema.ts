import { bigint, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, bigserial } from "drizzle-orm/pg-core";

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

export const BATCH_STATUSES = ["active", "in_transit", "on_hold", "recalled", "consumed"] as const;
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

/** The indexer's progress: everything at or below `blockNumber` is in the tables above. */
export const indexerCheckpoints = pgTable("indexer_checkpoints", {
  id: text("id").primaryKey(),
  chainId: integer("chain_id").notNull(),
  /** Fingerprint of the deployment being indexed, so a database is never reused for another one. */
  deploymentKey: text("deployment_key").notNull(),
  blockNumber: blockNumber("block_number").notNull(),
  blockHash: text("block_hash").notNull(),
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
