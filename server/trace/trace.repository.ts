import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../shared/db/client";

export interface Reached {
  batchId: number;
  distance: number;
}
export interface EdgeRow {
  from: number;
  to: number;
  kind: "split" | "transformation";
  quantity: string;
  transformationId: number | null;
  txHash: string;
}

export function createTraceRepository(db: Database) {
  return {
    /**
     * Batches reachable from `batchId` within `maxDistance` lineage edges, each at its shortest
     * distance. One recursive query: its cost follows the size of the answer, not of the tables.
     */
    async reachable(batchId: number, direction: "backward" | "forward", maxDistance: number): Promise<Reached[]> {
      const step =
        direction === "backward"
          ? sql`SELECT e.from_batch_id, w.distance + 1 FROM lineage_edges e JOIN walk w ON e.to_batch_id = w.batch_id`
          : sql`SELECT e.to_batch_id, w.distance + 1 FROM lineage_edges e JOIN walk w ON e.from_batch_id = w.batch_id`;
      const rows = await queryRows<{ batch_id: string | number; distance: number }>(
        db,
        sql`WITH RECURSIVE walk(batch_id, distance) AS (
              SELECT ${batchId}::bigint, 0
              UNION
              ${step} WHERE w.distance < ${maxDistance}
            )
            SELECT batch_id, min(distance)::int AS distance FROM walk GROUP BY batch_id`,
      );
      return rows.map((row) => ({ batchId: Number(row.batch_id), distance: Number(row.distance) }));
    },
    /** Lineage edges whose both ends are among `batchIds`. */
    async edgesAmong(batchIds: number[]): Promise<EdgeRow[]> {
      if (batchIds.length === 0) return [];
      const ids = sql.param(batchIds.map(String));
      const rows = await queryRows<{
        from_batch_id: string | number;
        to_batch_id: string | number;
        kind: EdgeRow["kind"];
        quantity: string;
        transformation_id: string | number | null;
        tx_hash: string;
      }>(
        db,
        sql`SELECT from_batch_id, to_batch_id, kind, quantity::text AS quantity, transformation_id, tx_hash
            FROM lineage_edges
            WHERE from_batch_id = ANY(${ids}::bigint[]) AND to_batch_id = ANY(${ids}::bigint[])
            ORDER BY block_number, log_index, from_batch_id, to_batch_id`,
      );
      return rows.map((row) => ({
        from: Number(row.from_batch_id),
        to: Number(row.to_batch_id),
        kind: row.kind,
        quantity: row.quantity,
        transformationId: row.transformation_id === null ? null : Number(row.transformation_id),
        txHash: row.tx_hash,
      }));
    },
  };
}
export type TraceRepository = ReturnType<typeof createTraceRepository>;
