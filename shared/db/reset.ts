import { sql } from "drizzle-orm";
import type { Executor } from "./client";
import { announceCheckpointMove } from "./checkpoint-watch";

/**
 * Every table of the read model; all of it can be rebuilt from the chain.
 * Application state (auth_nonces, api_keys: see the end of schema.ts) is deliberately NOT listed: the
 * API creates those rows, the chain cannot rebuild them, so a reset of the read model must keep them.
 */
export const READ_MODEL_TABLES = [
  "members",
  "products",
  "batches",
  "trace_events",
  "lineage_edges",
  "anchors",
  "warehouse_receipts",
  "receipt_events",
  "loans",
  "loan_events",
  "receivables",
  "receivable_holdings",
  "receivable_lots",
  "receivable_sales",
  "receivable_events",
  "indexer_checkpoints",
  "indexed_blocks",
  "undo_log",
] as const;

/** Empties the read model, e.g. when the embedded chain starts from genesis again. */
export async function resetReadModel(db: Executor): Promise<void> {
  await db.execute(sql.raw(`TRUNCATE ${READ_MODEL_TABLES.join(", ")}`));
  // The checkpoint is gone: whatever readers cached for it is too.
  await announceCheckpointMove(db);
}
