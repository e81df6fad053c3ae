import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../shared/db/client";
import { batches } from "../../shared/db/schema";
import { rowJson } from "../../shared/db/row-json";
import type { BatchWithProduct } from "../batches/batches.repository";

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

/** The walks' sides, in the order the graph lists them. */
export const SIDES = ["backward", "forward"] as const;
export type Side = (typeof SIDES)[number];

/** Everything a lineage graph shows, read in one round trip. */
export interface GraphRows {
  /** Per side walked: batches within `depth + 1` edges, each at its shortest distance. */
  reached: { side: Side; batchId: number; distance: number }[];
  /** Per side: the edges among its batches within `depth`, oldest first. */
  edges: (EdgeRow & { side: Side })[];
  /** The batches within `depth` on either side, with their product. */
  batches: BatchWithProduct[];
  /** Member names of those batches' parties, by address. */
  names: Map<string, string>;
}

const batchJson = rowJson(batches, "b");

/**
 * The lineage graph around a batch in one statement whose parts come back as JSON: as seven separate
 * queries, round trips and planning cost more than the walks themselves. Named and prepared, so each
 * PostgreSQL connection plans it once. Walks only the sides whose flag is set, up to `beyond` edges.
 */
function prepareGraphStatement(db: Database) {
  const p = sql.placeholder;
  return db
    .select({
      reached: sql<[number, number, number][] | null>`g.reached`,
      edges: sql<[number, number, number, EdgeRow["kind"], string, number | null, string][] | null>`g.edges`,
      batches: sql<BatchWithProduct[] | null>`g.batches`,
      names: sql<Record<string, string> | null>`g.names`,
    })
    .from(
      sql`(WITH RECURSIVE
              upstream(batch_id, distance) AS (
                SELECT ${p("batchId")}::bigint, 0 WHERE ${p("backward")}::boolean
                UNION
                SELECT e.from_batch_id, w.distance + 1 FROM lineage_edges e JOIN upstream w ON e.to_batch_id = w.batch_id
                WHERE w.distance < ${p("beyond")}::int
              ),
              downstream(batch_id, distance) AS (
                SELECT ${p("batchId")}::bigint, 0 WHERE ${p("forward")}::boolean
                UNION
                SELECT e.to_batch_id, w.distance + 1 FROM lineage_edges e JOIN downstream w ON e.from_batch_id = w.batch_id
                WHERE w.distance < ${p("beyond")}::int
              ),
              reached(side, batch_id, distance) AS (
                SELECT 0, batch_id, min(distance) FROM upstream GROUP BY batch_id
                UNION ALL
                SELECT 1, batch_id, min(distance) FROM downstream GROUP BY batch_id
              ),
              within AS (SELECT side, batch_id FROM reached WHERE distance <= ${p("depth")}::int),
              -- The planner cannot size a CTE and would scan whole tables to join one: the LATERAL
              -- subqueries (kept apart by LIMIT and OFFSET) make it look each batch up by its key.
              shown AS (
                SELECT b.*, p.name AS product_name, p.hs_code
                FROM (SELECT DISTINCT batch_id FROM within) w
                CROSS JOIN LATERAL (SELECT * FROM batches b WHERE b.id = w.batch_id LIMIT 1) b
                LEFT JOIN products p ON p.gtin = b.gtin
              )
            SELECT
              (SELECT json_agg(json_build_array(side, batch_id, distance)) FROM reached) AS reached,
              (SELECT json_agg(
                        json_build_array(t.side, e.from_batch_id, e.to_batch_id, e.kind, e.quantity::text, e.transformation_id, e.tx_hash)
                        ORDER BY t.side, e.block_number, e.log_index, e.from_batch_id, e.to_batch_id)
                 FROM within t
                 CROSS JOIN LATERAL (SELECT * FROM lineage_edges e WHERE e.to_batch_id = t.batch_id OFFSET 0) e
                 WHERE EXISTS (SELECT FROM within f WHERE f.side = t.side AND f.batch_id = e.from_batch_id)) AS edges,
              (SELECT json_agg(json_build_object('batch', ${batchJson}, 'productName', b.product_name, 'hsCode', b.hs_code))
                 FROM shown b) AS batches,
              (SELECT json_object_agg(m.address, m.name) FROM members m
                 WHERE m.address IN (SELECT unnest(ARRAY[producer, custodian, pending_recipient]) FROM shown)) AS names
          ) AS g`,
    )
    .prepare("trace_graph");
}

export function createTraceRepository(db: Database) {
  const graphStatement = prepareGraphStatement(db);
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

    /**
     * The lineage graph around `batchId` walked on `sides` up to `depth` edges, and one more to tell
     * whether it continues.
     */
    async graph(batchId: number, sides: Side[], depth: number): Promise<GraphRows> {
      const [row] = await graphStatement.execute({
        batchId,
        backward: sides.includes("backward"),
        forward: sides.includes("forward"),
        depth,
        beyond: depth + 1,
      });
      return {
        reached: (row.reached ?? []).map(([side, batchId, distance]) => ({ side: SIDES[side], batchId, distance })),
        edges: (row.edges ?? []).map(([side, from, to, kind, quantity, transformationId, txHash]) => ({
          side: SIDES[side],
          from,
          to,
          kind,
          quantity,
          transformationId,
          txHash,
        })),
        batches: row.batches ?? [],
        names: new Map(Object.entries(row.names ?? {})),
      };
    },
  };
}
export type TraceRepository = ReturnType<typeof createTraceRepository>;
