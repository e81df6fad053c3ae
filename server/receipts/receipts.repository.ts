import { and, asc, eq, gt, sql, type SQL } from "drizzle-orm";
import { after } from "../http/keyset";
import type { Database } from "../../shared/db/client";
import { rowJson } from "../../shared/db/row-json";
import { receiptEvents, warehouseReceipts, type BatchStatus, type LoanStatus } from "../../shared/db/schema";

export type ReceiptRow = typeof warehouseReceipts.$inferSelect;
export type ReceiptEventRow = typeof receiptEvents.$inferSelect;

/** How far up the lineage the verification looks for recalled inputs. */
export const UPSTREAM_DEPTH = 32;

/** Collateral kind of receipts in the loans table: the receipt contract's deployments name. */
export const RECEIPT_COLLATERAL_KIND = "WarehouseReceipt";

export interface MemberFacts {
  address: string;
  name: string;
  roles: number;
  status: "active" | "suspended" | "revoked";
}

export interface LienFacts {
  id: string;
  financier: string;
  status: LoanStatus;
  principal: string;
  outstanding: string;
  currency: string;
  maturity: number;
  registrationNumber: string | null;
  offeredAt: number;
  activatedAt: number | null;
  closedAt: number | null;
}

/** Everything the bank verification shows, read in one round trip. */
export interface VerificationFacts {
  receipt: ReceiptRow;
  batch: {
    id: number;
    status: BatchStatus;
    quantity: string;
    gtin: string;
    productName: string | null;
    hsCode: string | null;
    lot: string;
    originRegion: number;
    producedAt: number;
    producer: string;
    custodian: string;
  };
  members: MemberFacts[];
  inspections: { batchId: number; inspector: string; passed: boolean; certificateHash: string | null; time: number }[];
  splitFrom: number[];
  upstreamBatches: number;
  recalledUpstream: number[];
  custodyHandovers: number;
  liens: LienFacts[];
  checkpoint: { blockNumber: number; blockHash: string; blockTime: number } | null;
}

/**
 * The verification in one statement, named and prepared so each connection plans it once: a bank
 * calls it for every receipt it lends against, so it is the API's hottest read after the trace.
 * `split_chain` walks parent_id (same goods, split off for shipping or receipting); `upstream`
 * walks the lineage (splits and transformations) to find recalled inputs.
 */
function prepareVerificationStatement(db: Database) {
  const p = sql.placeholder;
  return db
    .select({ facts: sql<VerificationFacts | null>`v.facts` })
    .from(
      sql`(WITH RECURSIVE
              r AS (SELECT * FROM warehouse_receipts WHERE id = ${p("receiptId")}::bigint),
              split_chain(batch_id, parent_id, depth) AS (
                SELECT b.id, b.parent_id, 0 FROM batches b JOIN r ON b.id = r.batch_id
                UNION ALL
                SELECT b.id, b.parent_id, c.depth + 1 FROM batches b JOIN split_chain c ON b.id = c.parent_id
                WHERE c.depth < ${UPSTREAM_DEPTH}
              ),
              upstream(batch_id, distance) AS (
                SELECT batch_id, 0 FROM r
                UNION
                SELECT e.from_batch_id, u.distance + 1 FROM lineage_edges e JOIN upstream u ON e.to_batch_id = u.batch_id
                WHERE u.distance < ${UPSTREAM_DEPTH}
              ),
              up AS (SELECT DISTINCT batch_id FROM upstream WHERE distance > 0),
              inspections AS (
                SELECT t.* FROM split_chain c
                CROSS JOIN LATERAL (SELECT * FROM trace_events t
                                    WHERE t.batch_id = c.batch_id AND t.type = 'inspected' OFFSET 0) t
              ),
              liens AS (
                SELECT * FROM loans
                WHERE collateral_kind = ${RECEIPT_COLLATERAL_KIND} AND collateral_id = ${p("receiptId")}::numeric
              )
            SELECT json_build_object(
              'receipt', (SELECT ${rowJson(warehouseReceipts, "r")} FROM r),
              'batch', (SELECT json_build_object(
                          'id', b.id, 'status', b.status, 'quantity', b.quantity::text, 'gtin', b.gtin,
                          'productName', p.name, 'hsCode', p.hs_code, 'lot', b.lot, 'originRegion', b.origin_region,
                          'producedAt', b.produced_at, 'producer', b.producer, 'custodian', b.custodian)
                        FROM r JOIN batches b ON b.id = r.batch_id LEFT JOIN products p ON p.gtin = b.gtin),
              'members', (SELECT coalesce(json_agg(json_build_object(
                            'address', m.address, 'name', m.name, 'roles', m.roles, 'status', m.status)), '[]'::json)
                          FROM members m
                          WHERE m.address IN (SELECT holder FROM r UNION ALL SELECT warehouse FROM r
                                              UNION ALL SELECT unnest(ARRAY[b.producer, b.custodian])
                                                        FROM r JOIN batches b ON b.id = r.batch_id
                                              UNION ALL SELECT actor FROM inspections
                                              UNION ALL SELECT financier FROM liens)),
              'inspections', (SELECT coalesce(json_agg(json_build_object(
                                'batchId', t.batch_id, 'inspector', t.actor, 'passed', (t.details->>'passed')::boolean,
                                'certificateHash', t.document_hash, 'time', t.block_time)
                                ORDER BY t.block_number, t.log_index), '[]'::json)
                              FROM inspections t),
              'splitFrom', (SELECT coalesce(json_agg(batch_id ORDER BY depth), '[]'::json) FROM split_chain WHERE depth > 0),
              'custodyHandovers', (SELECT count(*) FROM split_chain c
                                   CROSS JOIN LATERAL (SELECT 1 FROM trace_events t
                                                       WHERE t.batch_id = c.batch_id AND t.type = 'received' OFFSET 0) t),
              'upstreamBatches', (SELECT count(*) FROM up),
              'recalledUpstream', (SELECT coalesce(json_agg(b.id ORDER BY b.id), '[]'::json)
                                   FROM up CROSS JOIN LATERAL (SELECT id, status FROM batches b WHERE b.id = up.batch_id OFFSET 0) b
                                   WHERE b.status = 'recalled'),
              'liens', (SELECT coalesce(json_agg(json_build_object(
                          'id', l.id, 'financier', l.financier, 'status', l.status, 'principal', l.principal::text,
                          'outstanding', l.outstanding::text, 'currency', l.currency, 'maturity', l.maturity,
                          'registrationNumber', l.registration_number, 'offeredAt', l.offered_at,
                          'activatedAt', l.activated_at, 'closedAt', l.closed_at)
                          ORDER BY l.offered_at, l.id), '[]'::json)
                        FROM liens l),
              'checkpoint', (SELECT json_build_object('blockNumber', block_number, 'blockHash', block_hash, 'blockTime', block_time)
                             FROM indexer_checkpoints WHERE id = 'main')
            ) AS facts
            WHERE EXISTS (SELECT FROM r)) AS v`,
    )
    .prepare("receipt_verification");
}

export function createReceiptsRepository(db: Database) {
  const verificationStatement = prepareVerificationStatement(db);
  return {
    async find(id: number): Promise<ReceiptRow | undefined> {
      const [row] = await db.select().from(warehouseReceipts).where(eq(warehouseReceipts.id, id));
      return row;
    },
    async list(filter: {
      holder?: string;
      warehouse?: string;
      batchId?: number;
      status?: ReceiptRow["status"];
      pledged?: boolean;
      afterId?: number;
      limit: number;
    }) {
      const conditions: SQL[] = [];
      if (filter.holder) conditions.push(eq(warehouseReceipts.holder, filter.holder));
      if (filter.warehouse) conditions.push(eq(warehouseReceipts.warehouse, filter.warehouse));
      if (filter.batchId) conditions.push(eq(warehouseReceipts.batchId, filter.batchId));
      if (filter.status) conditions.push(eq(warehouseReceipts.status, filter.status));
      if (filter.pledged !== undefined) conditions.push(eq(warehouseReceipts.pledged, filter.pledged));
      if (filter.afterId !== undefined) conditions.push(gt(warehouseReceipts.id, filter.afterId));
      return db
        .select()
        .from(warehouseReceipts)
        .where(and(...conditions))
        .orderBy(asc(warehouseReceipts.id))
        .limit(filter.limit + 1);
    },
    async history(receiptId: number, filter: { type?: ReceiptEventRow["type"]; after?: [number, number]; limit: number }) {
      const conditions: SQL[] = [eq(receiptEvents.receiptId, receiptId)];
      if (filter.type) conditions.push(eq(receiptEvents.type, filter.type));
      if (filter.after) {
        const [block, logIndex] = filter.after;
        conditions.push(
          after(receiptEvents.blockNumber, receiptEvents.logIndex, [block, logIndex]),
        );
      }
      return db
        .select()
        .from(receiptEvents)
        .where(and(...conditions))
        .orderBy(asc(receiptEvents.blockNumber), asc(receiptEvents.logIndex))
        .limit(filter.limit + 1);
    },
    async verificationFacts(receiptId: number): Promise<VerificationFacts | undefined> {
      const [row] = await verificationStatement.execute({ receiptId });
      return row?.facts ?? undefined;
    },
  };
}
export type ReceiptsRepository = ReturnType<typeof createReceiptsRepository>;
