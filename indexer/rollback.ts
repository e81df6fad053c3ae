import { desc, eq, gt, lte } from "drizzle-orm";
import type { Executor } from "../shared/db/client";
import {
  anchors, indexedBlocks, lineageEdges, loanEvents, receivableEvents, receiptEvents, traceEvents, undoLog,
} from "../shared/db/schema";
import { numericKeyTables, stateKeyColumns, stateTables, type StateTable } from "./working-set";
import { replaceAllColumns } from "./persist";

/**
 * Undoes every block above `ancestor`: state rows get back the images recorded before those blocks
 * changed them (newest first), event rows above the ancestor are deleted. Runs in the caller's
 * transaction together with the checkpoint move, so a crash mid-rollback leaves nothing half-done.
 */
export async function rollbackAbove(tx: Executor, ancestor: number): Promise<{ undone: number }> {
  const entries = await tx.select().from(undoLog).where(gt(undoLog.blockNumber, ancestor)).orderBy(desc(undoLog.id));
  for (const entry of entries) {
    const tableName = entry.tableName as StateTable;
    const table = stateTables[tableName];
    const keyColumn = stateKeyColumns[tableName];
    const key = numericKeyTables.has(tableName) ? Number(entry.rowKey) : entry.rowKey;
    if (entry.previous === null) {
      await tx.delete(table).where(eq(keyColumn, key as never));
    } else {
      await tx
        .insert(table)
        .values(entry.previous as never)
        .onConflictDoUpdate({ target: keyColumn, set: replaceAllColumns(table) });
    }
  }
  await tx.delete(undoLog).where(gt(undoLog.blockNumber, ancestor));
  await tx.delete(traceEvents).where(gt(traceEvents.blockNumber, ancestor));
  await tx.delete(lineageEdges).where(gt(lineageEdges.blockNumber, ancestor));
  await tx.delete(anchors).where(gt(anchors.blockNumber, ancestor));
  await tx.delete(receiptEvents).where(gt(receiptEvents.blockNumber, ancestor));
  await tx.delete(loanEvents).where(gt(loanEvents.blockNumber, ancestor));
  await tx.delete(receivableEvents).where(gt(receivableEvents.blockNumber, ancestor));
  await tx.delete(indexedBlocks).where(gt(indexedBlocks.number, ancestor));
  return { undone: entries.length };
}

/** Forgets undo images and block hashes of blocks that can no longer be reorganized. */
export async function pruneFinalized(tx: Executor, finalizedBelow: number): Promise<void> {
  await tx.delete(undoLog).where(lte(undoLog.blockNumber, finalizedBelow));
  await tx.delete(indexedBlocks).where(lte(indexedBlocks.number, finalizedBelow));
}
