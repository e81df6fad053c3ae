import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Executor } from "../shared/db/client";
import { announceCheckpointMove } from "../shared/db/checkpoint-watch";
import {
  anchors, indexedBlocks, indexerCheckpoints, lineageEdges, loanEvents, receivableEvents, receiptEvents, traceEvents,
  undoLog,
} from "../shared/db/schema";
import { stateKeyColumns, stateTables, type StateTable, type WorkingSet } from "./working-set";
import type { RpcBlock } from "../shared/chain/rpc";

/**
 * Rows per INSERT. Each statement binds one array per column, so this bounds the size of a
 * statement, not the number of its parameters.
 */
const CHUNK = 5000;

export interface Checkpoint {
  chainId: number;
  deploymentKey: string;
  blockNumber: number;
  blockHash: string;
  /** Timestamp of block `blockNumber`. */
  blockTime: number;
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

/**
 * INSERT ... SELECT FROM unnest($1::type[], $2::type[], ...): one bind parameter per column however
 * many rows. Drizzle's multi-row VALUES binds and builds every value separately, which made the query
 * builder the indexer's main cost on large ranges. Values are encoded as Drizzle encodes them.
 * Rows must all have the same properties; the table's other columns take their defaults. Rows are
 * inserted in array order, so serial ids (undo_log's) follow it as with VALUES.
 */
async function insertColumns(tx: Executor, table: PgTable, rows: Record<string, unknown>[], onConflict: SQL): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.entries(getTableColumns(table)).filter(([property]) => property in rows[0]);
  const names = sql.raw(columns.map(([, column]) => `"${column.name}"`).join(", "));
  const arrays = columns.map(([property, column]) => {
    const values = rows.map((row) => {
      const value = row[property];
      return value === null || value === undefined ? null : column.mapToDriverValue(value);
    });
    return sql`${sql.param(arrayLiteral(values))}::${sql.raw(column.getSQLType())}[]`;
  });
  await tx.execute(sql`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${sql.join(arrays, sql`, `)}) ${onConflict}`);
}

const NEEDS_ESCAPE = /["\\]/;

/**
 * A PostgreSQL array literal of driver values (strings, numbers and booleans). Written here because both
 * drivers' generic array serializers run two regular expressions over every element: a quarter of
 * the time spent writing trace_events, whose hex strings and numbers never need escaping.
 */
function arrayLiteral(values: unknown[]): string {
  const items = values.map((value) => {
    if (value === null) return "NULL";
    if (typeof value === "number" || typeof value === "bigint") return String(value);
    if (typeof value === "boolean") return value ? "t" : "f";
    if (typeof value !== "string") throw new Error(`Cannot write a ${typeof value} into an array literal`);
    return NEEDS_ESCAPE.test(value) ? `"${value.replace(/["\\]/g, "\\$&")}"` : `"${value}"`;
  });
  return `{${items.join(",")}}`;
}

/** `ON CONFLICT (key) DO UPDATE SET col = excluded.col` for every column: an upsert replacing the whole row. */
function replaceOnConflict(table: PgTable, key: PgColumn): SQL {
  const set = Object.values(getTableColumns(table)).map((column) => `"${column.name}" = excluded."${column.name}"`);
  return sql.raw(`ON CONFLICT ("${key.name}") DO UPDATE SET ${set.join(", ")}`);
}

async function upsertState(tx: Executor, set: WorkingSet, table: StateTable): Promise<void> {
  const onConflict = replaceOnConflict(stateTables[table], stateKeyColumns[table]);
  for (const chunk of chunks(set.dirtyRows(table))) await insertColumns(tx, stateTables[table], chunk as never, onConflict);
}

async function appendRows(tx: Executor, table: PgTable, rows: Record<string, unknown>[]): Promise<void> {
  // ON CONFLICT DO NOTHING makes re-applying an already applied range harmless.
  for (const chunk of chunks(rows)) await insertColumns(tx, table, chunk, sql`ON CONFLICT DO NOTHING`);
}

export async function saveCheckpoint(tx: Executor, checkpoint: Checkpoint): Promise<void> {
  const values = { id: CHECKPOINT_ID, ...checkpoint, updatedAt: new Date() };
  await tx
    .insert(indexerCheckpoints)
    .values(values)
    .onConflictDoUpdate({ target: indexerCheckpoints.id, set: replaceAllColumns(indexerCheckpoints) });
  await announceCheckpointMove(tx);
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
  await appendRows(tx, receiptEvents, set.receiptEvents);
  await appendRows(tx, loanEvents, set.loanEvents);
  await appendRows(tx, receivableEvents, set.receivableEvents);
  await appendRows(tx, undoLog, set.undo as never);
  const blockRows = blocks.map((b) => ({ number: b.number, hash: b.hash, parentHash: b.parentHash }));
  const onConflict = replaceOnConflict(indexedBlocks, indexedBlocks.number);
  for (const chunk of chunks(blockRows)) await insertColumns(tx, indexedBlocks, chunk, onConflict);
  await saveCheckpoint(tx, checkpoint);
}
