import { sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Executor } from "../shared/db/client";
import {
  anchors, batches, lineageEdges, loanEvents, loans, members, products, receivableEvents, receivableHoldings,
  receivableLots, receivables, receivableSales, receiptEvents, traceEvents, warehouseReceipts,
} from "../shared/db/schema";

export type MemberRow = typeof members.$inferSelect;
export type ProductRow = typeof products.$inferSelect;
export type BatchRow = typeof batches.$inferSelect;
export type ReceiptRow = typeof warehouseReceipts.$inferSelect;
export type LoanRow = typeof loans.$inferSelect;
export type ReceivableRow = typeof receivables.$inferSelect;
export type HoldingRow = typeof receivableHoldings.$inferSelect;
export type LotRow = typeof receivableLots.$inferSelect;
export type SaleRow = typeof receivableSales.$inferSelect;

/** The state tables the handlers update, with the type of their rows. */
export interface StateRows {
  members: MemberRow;
  products: ProductRow;
  batches: BatchRow;
  receipts: ReceiptRow;
  loans: LoanRow;
  receivables: ReceivableRow;
  holdings: HoldingRow;
  lots: LotRow;
  sales: SaleRow;
}
export type StateTable = keyof StateRows;

export const stateTables = {
  members,
  products,
  batches,
  receipts: warehouseReceipts,
  loans,
  receivables,
  holdings: receivableHoldings,
  lots: receivableLots,
  sales: receivableSales,
} as const;
export const stateKeyColumns: { [T in StateTable]: PgColumn } = {
  members: members.address,
  products: products.gtin,
  batches: batches.id,
  receipts: warehouseReceipts.id,
  loans: loans.id,
  receivables: receivables.id,
  holdings: receivableHoldings.key,
  lots: receivableLots.id,
  sales: receivableSales.id,
};
const STATE_TABLES = Object.keys(stateTables) as StateTable[];
/** Tables keyed by a number: their keys travel as strings in the working set and the undo log. */
export const numericKeyTables: ReadonlySet<StateTable> = new Set(["batches", "receipts", "receivables", "lots", "sales"]);

export interface UndoEntry {
  blockNumber: number;
  tableName: StateTable;
  rowKey: string;
  previous: Record<string, unknown> | null;
}

/** Keys of state rows that a range of events reads, loaded in one query per table before handling. */
export type Touches = { [T in StateTable]: Set<string | number> };

export function emptyTouches(): Touches {
  return Object.fromEntries(STATE_TABLES.map((table) => [table, new Set()])) as Touches;
}

/** The key of a receivable holding row. */
export const holdingKey = (receivableId: number, holder: string) => `${receivableId}:${holder}`;

/**
 * Rows that a loaded row makes handlers read although their events do not name them: a lot change
 * moves its holder's earmark, and LotReduced does not name the holder. Without the holding loaded
 * the handler took it for a new one (amount 0) and overwrote the stored row; its undo image said
 * "did not exist", so a rollback deleted the holding.
 */
const FOLLOW_UP_TOUCHES: { [T in StateTable]?: (row: StateRows[T], touches: Touches) => void } = {
  lots: (lot, touches) => touches.holdings.add(holdingKey(lot.receivableId, lot.holder)),
};
/** Tables whose rows add touches load first. */
const LOAD_ORDER = [...STATE_TABLES].sort((a, b) => Number(b in FOLLOW_UP_TOUCHES) - Number(a in FOLLOW_UP_TOUCHES));

/**
 * The rows one block range reads and writes, kept in memory while its events are handled and then
 * written in one transaction. Inside the reorg window it records, per block, the image each state
 * row had before the block first changed it: replaying those images backwards undoes the blocks.
 */
export class WorkingSet {
  private readonly rows = Object.fromEntries(STATE_TABLES.map((table) => [table, new Map()])) as {
    [T in StateTable]: Map<string, StateRows[T]>;
  };
  readonly dirty = Object.fromEntries(STATE_TABLES.map((table) => [table, new Set()])) as { [T in StateTable]: Set<string> };
  readonly undo: UndoEntry[] = [];
  private readonly undoRecorded = new Set<string>();
  readonly traceEvents: (typeof traceEvents.$inferInsert)[] = [];
  readonly lineageEdges: (typeof lineageEdges.$inferInsert)[] = [];
  readonly anchors: (typeof anchors.$inferInsert)[] = [];
  readonly receiptEvents: (typeof receiptEvents.$inferInsert)[] = [];
  readonly loanEvents: (typeof loanEvents.$inferInsert)[] = [];
  readonly receivableEvents: (typeof receivableEvents.$inferInsert)[] = [];

  /** @param undoFromBlock blocks at or above it are inside the reorg window and get undo images. */
  constructor(private readonly undoFromBlock: number) {}

  /** One query per table, binding the keys as one array: IN (...) would bind a parameter per key. */
  async load(executor: Executor, touches: Touches): Promise<void> {
    for (const table of LOAD_ORDER) {
      if (touches[table].size === 0) continue;
      const keyColumn = stateKeyColumns[table];
      const keys = sql.param([...touches[table]].map(String));
      const cast = sql.raw(numericKeyTables.has(table) ? "bigint[]" : "text[]");
      const found = await executor
        .select()
        .from(stateTables[table] as typeof members)
        .where(sql`${keyColumn} = ANY(${keys}::${cast})`);
      const property = KEY_PROPERTIES[table];
      const followUp = FOLLOW_UP_TOUCHES[table] as ((row: unknown, touches: Touches) => void) | undefined;
      for (const row of found) {
        this.rows[table].set(String((row as Record<string, unknown>)[property]), row as never);
        followUp?.(row, touches);
      }
    }
  }

  /** The row, or undefined when neither the database nor this range has it (yet). */
  find<T extends StateTable>(table: T, key: string): StateRows[T] | undefined {
    return this.rows[table].get(key) as StateRows[T] | undefined;
  }

  get<T extends StateTable>(table: T, key: string): StateRows[T] {
    const row = this.rows[table].get(key);
    if (!row) throw new Error(`Indexer invariant broken: ${table} ${key} is referenced by an event but unknown`);
    return row as StateRows[T];
  }

  /** Writes a whole row (insert or replacement); `blockNumber` is the block of the causing event. */
  put<T extends StateTable>(table: T, key: string, row: StateRows[T], blockNumber: number): void {
    if (blockNumber >= this.undoFromBlock) {
      const marker = `${blockNumber}:${table}:${key}`;
      if (!this.undoRecorded.has(marker)) {
        this.undoRecorded.add(marker);
        const previous = this.rows[table].get(key);
        this.undo.push({ blockNumber, tableName: table, rowKey: key, previous: previous ? { ...previous } : null });
      }
    }
    this.rows[table].set(key, row as never);
    this.dirty[table].add(key);
  }

  /** Applies `change` to a copy of the row and stores it. */
  update<T extends StateTable>(table: T, key: string, blockNumber: number, change: Partial<StateRows[T]>): StateRows[T] {
    const next = { ...this.get(table, key), ...change };
    this.put(table, key, next, blockNumber);
    return next;
  }

  dirtyRows<T extends StateTable>(table: T): StateRows[T][] {
    return [...this.dirty[table]].map((key) => this.rows[table].get(key) as StateRows[T]);
  }

}

/** The row property holding each table's key (the Drizzle name of its key column). */
const KEY_PROPERTIES = Object.fromEntries(
  STATE_TABLES.map((table) => {
    const entry = Object.entries(stateTables[table]).find(([, value]) => value === stateKeyColumns[table]);
    if (!entry) throw new Error(`No key property for ${table}`);
    return [table, entry[0]];
  }),
) as Record<StateTable, string>;
