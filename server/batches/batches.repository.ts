import { and, asc, eq, gt, inArray, type SQL } from "drizzle-orm";
import { after } from "../http/keyset";
import type { Database } from "../../shared/db/client";
import { batches, products, traceEvents } from "../../shared/db/schema";

const batchColumns = { batch: batches, productName: products.name, hsCode: products.hsCode };

export function createBatchesRepository(db: Database) {
  const base = () => db.select(batchColumns).from(batches).leftJoin(products, eq(products.gtin, batches.gtin));
  return {
    async find(id: number) {
      const [row] = await base().where(eq(batches.id, id));
      return row;
    },
    async findMany(ids: number[]) {
      if (ids.length === 0) return [];
      return base().where(inArray(batches.id, ids));
    },
    async list(filter: {
      gtin?: string;
      producer?: string;
      custodian?: string;
      status?: (typeof batches.$inferSelect)["status"];
      originRegion?: number;
      afterId?: number;
      limit: number;
    }) {
      const conditions: SQL[] = [];
      if (filter.gtin) conditions.push(eq(batches.gtin, filter.gtin));
      if (filter.producer) conditions.push(eq(batches.producer, filter.producer));
      if (filter.custodian) conditions.push(eq(batches.custodian, filter.custodian));
      if (filter.status) conditions.push(eq(batches.status, filter.status));
      if (filter.originRegion) conditions.push(eq(batches.originRegion, filter.originRegion));
      if (filter.afterId !== undefined) conditions.push(gt(batches.id, filter.afterId));
      return base()
        .where(and(...conditions))
        .orderBy(asc(batches.id))
        .limit(filter.limit + 1);
    },
    async timeline(batchId: number, filter: { type?: (typeof traceEvents.$inferSelect)["type"]; after?: [number, number]; limit: number }) {
      const conditions: SQL[] = [eq(traceEvents.batchId, batchId)];
      if (filter.type) conditions.push(eq(traceEvents.type, filter.type));
      if (filter.after) {
        const [block, logIndex] = filter.after;
        conditions.push(
          after(traceEvents.blockNumber, traceEvents.logIndex, [block, logIndex]),
        );
      }
      return db
        .select()
        .from(traceEvents)
        .where(and(...conditions))
        .orderBy(asc(traceEvents.blockNumber), asc(traceEvents.logIndex))
        .limit(filter.limit + 1);
    },
    /** Every timeline row of the given batches, oldest first (for exports). */
    async eventsOf(batchIds: number[]) {
      if (batchIds.length === 0) return [];
      return db
        .select()
        .from(traceEvents)
        .where(inArray(traceEvents.batchId, batchIds))
        .orderBy(asc(traceEvents.blockNumber), asc(traceEvents.logIndex));
    },
  };
}
export type BatchesRepository = ReturnType<typeof createBatchesRepository>;
export type BatchWithProduct = NonNullable<Awaited<ReturnType<BatchesRepository["find"]>>>;
export type TraceEventRow = typeof traceEvents.$inferSelect;
