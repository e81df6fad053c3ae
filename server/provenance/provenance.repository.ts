import { sql } from "drizzle-orm";
import type { Database } from "../../shared/db/client";
import type { BatchStatus } from "../../shared/db/schema";
import { UPSTREAM_DEPTH } from "../receipts/receipts.repository";

/** What the public may know of a batch: names of members, never their addresses. */
export interface ProvenanceFacts {
  batch: {
    id: number;
    status: BatchStatus;
    gtin: string;
    productName: string | null;
    hsCode: string | null;
    lot: string;
    quantity: string;
    unit: string;
    originRegion: number;
    producedAt: number;
    producer: string | null;
  };
  /** Batches at the start of the lineage (commissioned, no inputs): where the product comes from. */
  origins: { batchId: number; productName: string | null; originRegion: number; producer: string | null; producedAt: number }[];
  /** Who held the goods, in chain order, along every upstream path, until the product was made. */
  custody: { batchId: number; member: string | null; event: "produced" | "received" | "processed"; time: number }[];
  certificates: { batchId: number; inspector: string | null; passed: boolean; documented: boolean; time: number }[];
  /** This batch and upstream batches that were recalled. */
  recalled: { batchId: number; time: number | null }[];
  truncated: boolean;
}

/**
 * The public provenance summary in one prepared statement: the batch, every batch upstream of it
 * (splits and transformations, up to UPSTREAM_DEPTH edges), and from their events the origins, the
 * custody chain, the inspections and the recalls. Member addresses are resolved to names here.
 */
function prepareSummaryStatement(db: Database) {
  const p = sql.placeholder;
  return db
    .select({ facts: sql<ProvenanceFacts | null>`v.facts` })
    .from(
      sql`(WITH RECURSIVE
              upstream(batch_id, distance) AS (
                SELECT id, 0 FROM batches WHERE id = ${p("batchId")}::bigint
                UNION
                SELECT e.from_batch_id, u.distance + 1 FROM lineage_edges e JOIN upstream u ON e.to_batch_id = u.batch_id
                WHERE u.distance < ${UPSTREAM_DEPTH + 1}
              ),
              lineage AS (SELECT batch_id, min(distance) AS distance FROM upstream GROUP BY batch_id),
              within AS (SELECT batch_id FROM lineage WHERE distance <= ${UPSTREAM_DEPTH}),
              events AS (
                SELECT t.* FROM within w
                CROSS JOIN LATERAL (SELECT * FROM trace_events t
                                    WHERE t.batch_id = w.batch_id
                                      AND t.type IN ('commissioned', 'received', 'transformed_output', 'inspected', 'recalled')
                                    OFFSET 0) t
              ),
              named AS (SELECT address, name FROM members)
            SELECT json_build_object(
              'batch', (SELECT json_build_object(
                          'id', b.id, 'status', b.status, 'gtin', b.gtin, 'productName', pr.name, 'hsCode', pr.hs_code,
                          'lot', b.lot, 'quantity', b.quantity::text, 'unit', b.unit, 'originRegion', b.origin_region,
                          'producedAt', b.produced_at, 'producer', (SELECT name FROM named WHERE address = b.producer))
                        FROM batches b LEFT JOIN products pr ON pr.gtin = b.gtin WHERE b.id = ${p("batchId")}::bigint),
              'origins', (SELECT coalesce(json_agg(json_build_object(
                            'batchId', b.id, 'productName', pr.name, 'originRegion', b.origin_region,
                            'producer', (SELECT name FROM named WHERE address = b.producer), 'producedAt', b.produced_at)
                            ORDER BY b.id), '[]'::json)
                          FROM within w JOIN batches b ON b.id = w.batch_id LEFT JOIN products pr ON pr.gtin = b.gtin
                          WHERE NOT EXISTS (SELECT FROM lineage_edges e WHERE e.to_batch_id = b.id)),
              'custody', (SELECT coalesce(json_agg(json_build_object(
                            'batchId', t.batch_id,
                            'member', (SELECT name FROM named WHERE address = t.actor),
                            'event', CASE t.type WHEN 'commissioned' THEN 'produced' WHEN 'received' THEN 'received' ELSE 'processed' END,
                            'time', t.block_time)
                            ORDER BY t.block_number, t.log_index, t.batch_id), '[]'::json)
                          FROM events t
                          WHERE t.type IN ('commissioned', 'received', 'transformed_output')
                            -- What happened to an input after the product was made is not the product's history.
                            AND (t.batch_id = ${p("batchId")}::bigint
                                 OR t.block_number <= (SELECT created_block FROM batches WHERE id = ${p("batchId")}::bigint))),
              'certificates', (SELECT coalesce(json_agg(json_build_object(
                                 'batchId', t.batch_id, 'inspector', (SELECT name FROM named WHERE address = t.actor),
                                 'passed', (t.details->>'passed')::boolean, 'documented', t.document_hash IS NOT NULL,
                                 'time', t.block_time)
                                 ORDER BY t.block_number, t.log_index), '[]'::json)
                               FROM events t WHERE t.type = 'inspected'),
              'recalled', (SELECT coalesce(json_agg(json_build_object(
                             'batchId', b.id,
                             'time', (SELECT max(t.block_time) FROM events t WHERE t.batch_id = b.id AND t.type = 'recalled'))
                             ORDER BY b.id), '[]'::json)
                           FROM within w JOIN batches b ON b.id = w.batch_id WHERE b.status = 'recalled'),
              'truncated', EXISTS (SELECT FROM lineage WHERE distance > ${UPSTREAM_DEPTH})
            ) AS facts
            WHERE EXISTS (SELECT FROM batches WHERE id = ${p("batchId")}::bigint)) AS v`,
    )
    .prepare("public_provenance_summary");
}

export function createProvenanceRepository(db: Database) {
  const statement = prepareSummaryStatement(db);
  return {
    async summary(batchId: number): Promise<ProvenanceFacts | undefined> {
      const [row] = await statement.execute({ batchId });
      return row?.facts ?? undefined;
    },
  };
}
export type ProvenanceRepository = ReturnType<typeof createProvenanceRepository>;
