import { sql } from "drizzle-orm";
import type { Executor } from "../shared/db/client";
import {
  anchors, batches, lineageEdges, loanEvents, loans, members, products, receiptEvents, traceEvents, warehouseReceipts,
} from "../shared/db/schema";

export type MemberRow = typeof members.$inferSelect;
export type ProductRow = typeof products.$inferSelect;
export type BatchRow = typeof batches.$inferSelect;
export type ReceiptRow = typeof warehouseReceipts.$inferSelect;
export type LoanRow = typeof loans.$inferSelect;

/** The state tables the handlers update, with the type of their rows. */
export interface StateRows {
  members: MemberRow;
  products: ProductRow;
  batches: BatchRow;
  receipts: ReceiptRow;
  loans: LoanRow;
}
export type StateTable = keyof StateRows;

export const stateTables = { members, products, batches, receipts: warehouseReceipts, loans } as const;
export const stateKeyColumns = {
  members: members.address,
  products: products.gtin,
  batches: batches.id,
  receipts: warehouseReceipts.id,
  loans: loans.id,
} as const;
/** Tables keyed by a number: their keys travel as strings in the working set and the undo log. */
export const numericKeyTables: ReadonlySet<StateTable> = new Set(["batches", "receipts"]);

export interface UndoEntry {
  blockNumber: number;
  tableName: StateTable;
  rowKey: string;
  previous: Record<string, unknown> | null;
}

/** Keys of state rows that a range of events reads, loaded in one query per table before handling. */
export interface Touches {
  members: Set<string>;
  batches: Set<number>;
  receipts: Set<number>;
  loans: Set<string>;
}

export function emptyTouches(): Touches {
  return { members: new Set(), batches: new Set(), receipts: new Set(), loans: new Set() };
}

/**
 * The rows one block range reads and writes, kept in memory while its events are handled and then
 * written in one transaction. Inside the reorg window it records, per block, the image each state
 * row had before the block first changed it: replaying those images backwards undoes the blocks.
 */
export class WorkingSet {
  private readonly rows: { [T in StateTable]: Map<string, StateRows[T]> } = {
    members: new Map(),
    products: new Map(),
    batches: new Map(),
    receipts: new Map(),
    loans: new Map(),
  };
  readonly dirty: { [T in StateTable]: Set<string> } = {
    members: new Set(),
    products: new Set(),
    batches: new Set(),
    receipts: new Set(),
    loans: new Set(),
  };
  readonly undo: UndoEntry[] = [];
  private readonly undoRecorded = new Set<string>();
  readonly traceEvents: (typeof traceEvents.$inferInsert)[] = [];
  readonly lineageEdges: (typeof lineageEdges.$inferInsert)[] = [];
  readonly anchors: (typeof anchors.$inferInsert)[] = [];
  readonly receiptEvents: (typeof receiptEvents.$inferInsert)[] = [];
  readonly loanEvents: (typeof loanEvents.$inferInsert)[] = [];

  /** @param undoFromBlock blocks at or above it are inside the reorg window and get undo images. */
  constructor(private readonly undoFromBlock: number) {}

  /** One query per table, binding the keys as one array: IN (...) would bind a parameter per key. */
  async load(executor: Executor, touches: Touches): Promise<void> {
    if (touches.members.size > 0) {
      const keys = sql.param([...touches.members]);
      const found = await executor.select().from(members).where(sql`${members.address} = ANY(${keys}::text[])`);
      for (const row of found) this.rows.members.set(row.address, row);
    }
    if (touches.batches.size > 0) {
      const keys = sql.param([...touches.batches]);
      const found = await executor.select().from(batches).where(sql`${batches.id} = ANY(${keys}::bigint[])`);
      for (const row of found) this.rows.batches.set(String(row.id), row);
    }
    if (touches.receipts.size > 0) {
      const keys = sql.param([...touches.receipts]);
      const found = await executor
        .select()
        .from(warehouseReceipts)
        .where(sql`${warehouseReceipts.id} = ANY(${keys}::bigint[])`);
      for (const row of found) this.rows.receipts.set(String(row.id), row);
    }
    if (touches.loans.size > 0) {
      const keys = sql.param([...touches.loans]);
      const found = await executor.select().from(loans).where(sql`${loans.id} = ANY(${keys}::text[])`);
      for (const row of found) this.rows.loans.set(row.id, row);
    }
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

  get eventCount(): number {
    return (
      this.traceEvents.length +
      this.lineageEdges.length +
      this.anchors.length +
      this.receiptEvents.length +
      this.loanEvents.length
    );
  }
}
