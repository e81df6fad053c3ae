import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Executor } from "../shared/db/client";
import { anchors, indexedBlocks, indexerCheckpoints, lineageEdges, traceEvents, undoLog } from "../shared/db/schema";
import { stateKeyColumns, stateTables, type StateTable, type WorkingSet } from "./working-set";
import type { RpcBlock } from "../shared/chain/rpc";

/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters for our widest table. */
const CHUNK = 1000;

export interface Checkpoint {
  chainId: number;
  deploymentKey: string;
  blockNumber: number;
  blockHash: string;
  headBlock: number;
}

export const CHECKPOINT_ID = "main";

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/** `SET col = excluded.col` for every column but the key: an upsert that replaces the whole row. */
export function replaceAllColumns(table: PgTable): Record<string, SQL> {
  return Object.fromEntries(
    Object.entries(getTableColumns(table)).map(([property, column]) => [property, sql.raw(`excluded."${column.name}"`)]),
  );
}

async function upsertState(tx: Executor, set: WorkingSet, table: StateTable): Promise<void> {
  const rows = set.dirtyRows(table);
  for (const chunk of chunks(rows)) {
    await tx
      .insert(stateTables[table])
      .values(chunk as never)
      .onConflictDoUpdate({ target: stateKeyColumns[table], set: replaceAllColumns(stateTables[table]) });
  }
}

async function appendRows(tx: Executor, table: PgTable, rows: Record<string, unknown>[]): Promise<void> {
  // ON CONFLICT DO NOTHING makes re-applying an already applied range harmless.
  for (const chunk of chunks(rows)) await tx.insert(table).values(chunk as never).onConflictDoNothing();
}

export async function saveCheckpoint(tx: Executor, checkpoint: Checkpoint): Promise<void> {
  const values = { id: CHECKPOINT_ID, ...checkpoint, updatedAt: new Date() };
  await tx
    .insert(indexerCheckpoints)
    .values(values)
    .onConflictDoUpdate({ target: indexerCheckpoints.id, set: replaceAllColumns(indexerCheckpoints) });
}

/** Writes one block range's rows, its recent block hashes and the new checkpoint, all or nothing. */
export async function persistRange(
  tx: Executor,
  set: WorkingSet,
  blocks: RpcBlock[],
  checkpoint: Checkpoint,
): Promise<void> {
  for (const table of Object.keys(stateTables) as StateTable[]) await upsertState(tx, set, table);
  await appendRows(tx, traceEvents, set.traceEvents);
  await appendRows(tx, lineageEdges, set.lineageEdges);
  await appendRows(tx, anchors, set.anchors);
  await appendRows(tx, undoLog, set.undo as never);
  if (blocks.length > 0) {
    for (const chunk of chunks(blocks)) {
      await tx
        .insert(indexedBlocks)
        .values(chunk.map((b) => ({ number: b.number, hash: b.hash, parentHash: b.parentHash })))
        .onConflictDoUpdate({ target: indexedBlocks.number, set: replaceAllColumns(indexedBlocks) });
    }
  }
  await saveCheckpoint(tx, checkpoint);
}
