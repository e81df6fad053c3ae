import { asc } from "drizzle-orm";
import type { Executor } from "../../shared/db/client";
import {
  anchors, batches, indexerCheckpoints, lineageEdges, loanEvents, loans, members, products, receivableEvents,
  receivableHoldings, receivableLots, receivables, receivableSales, receiptEvents, traceEvents, warehouseReceipts,
} from "../../shared/db/schema";

/**
 * Every table of the read model in a deterministic order, for comparing two databases (or one
 * database at two moments) with `toEqual`. Left out on purpose: the checkpoint's `updatedAt` and
 * `headBlock` (they depend on when the indexer ran) and the undo_log / indexed_blocks bookkeeping
 * (they depend on how far the head was when each range was written).
 */
export async function dumpTables(db: Executor) {
  return {
    members: await db.select().from(members).orderBy(asc(members.address)),
    products: await db.select().from(products).orderBy(asc(products.gtin)),
    batches: await db.select().from(batches).orderBy(asc(batches.id)),
    traceEvents: await db
      .select()
      .from(traceEvents)
      .orderBy(asc(traceEvents.blockNumber), asc(traceEvents.logIndex), asc(traceEvents.batchId)),
    lineageEdges: await db
      .select()
      .from(lineageEdges)
      .orderBy(asc(lineageEdges.blockNumber), asc(lineageEdges.logIndex), asc(lineageEdges.fromBatchId), asc(lineageEdges.toBatchId)),
    anchors: await db.select().from(anchors).orderBy(asc(anchors.blockNumber), asc(anchors.logIndex)),
    receipts: await db.select().from(warehouseReceipts).orderBy(asc(warehouseReceipts.id)),
    receiptEvents: await db
      .select()
      .from(receiptEvents)
      .orderBy(asc(receiptEvents.blockNumber), asc(receiptEvents.logIndex), asc(receiptEvents.receiptId)),
    loans: await db.select().from(loans).orderBy(asc(loans.id)),
    loanEvents: await db.select().from(loanEvents).orderBy(asc(loanEvents.blockNumber), asc(loanEvents.logIndex)),
    receivables: await db.select().from(receivables).orderBy(asc(receivables.id)),
    receivableHoldings: await db.select().from(receivableHoldings).orderBy(asc(receivableHoldings.key)),
    receivableLots: await db.select().from(receivableLots).orderBy(asc(receivableLots.id)),
    receivableSales: await db.select().from(receivableSales).orderBy(asc(receivableSales.id)),
    receivableEvents: await db
      .select()
      .from(receivableEvents)
      .orderBy(asc(receivableEvents.blockNumber), asc(receivableEvents.logIndex), asc(receivableEvents.receivableId)),
    checkpoints: await db
      .select({
        id: indexerCheckpoints.id,
        chainId: indexerCheckpoints.chainId,
        deploymentKey: indexerCheckpoints.deploymentKey,
        blockNumber: indexerCheckpoints.blockNumber,
        blockHash: indexerCheckpoints.blockHash,
      })
      .from(indexerCheckpoints)
      .orderBy(asc(indexerCheckpoints.id)),
  };
}

export type TableDump = Awaited<ReturnType<typeof dumpTables>>;

/** Row counts of a dump, for short assertion messages and sanity checks. */
export const rowCounts = (dump: TableDump) =>
  Object.fromEntries(Object.entries(dump).map(([table, rows]) => [table, rows.length])) as Record<keyof TableDump, number>;
