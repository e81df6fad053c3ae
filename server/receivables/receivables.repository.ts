import { and, asc, eq, gt, sql, type SQL } from "drizzle-orm";
import { ROLES } from "../../shared/roles";
import { queryRows, type Database } from "../../shared/db/client";
import { rowJson } from "../../shared/db/row-json";
import { receivableEvents, receivableHoldings, receivables, receivableSales, type ReceivableEventType } from "../../shared/db/schema";
import { after } from "../http/keyset";
import type { MemberFacts } from "../receipts/receipts.repository";

export type ReceivableRow = typeof receivables.$inferSelect;
export type ReceivableEventRow = typeof receivableEvents.$inferSelect;
export type SaleRow = typeof receivableSales.$inferSelect;

/** Collateral kind of receivable lots in the loans table: the receivables contract's deployments name. */
export const RECEIVABLE_COLLATERAL_KIND = "Receivables";

/** A holding with the part of its earmarked amount that sits in pledged lots. */
export interface HoldingRow {
  holder: string;
  amount: string;
  earmarked: string;
  pledged: string;
  settled: string;
  closed: boolean;
}

export interface LotRow {
  id: number;
  holder: string;
  amount: string;
  pledged: boolean;
  status: "earmarked" | "released" | "seized";
  loanId: string | null;
}

/** One holder-to-holder move, with what caused it. */
export interface TransferRow {
  from: string;
  to: string;
  amount: string;
  kind: "transfer" | "sale" | "seizure";
  time: number;
  blockNumber: number;
  txHash: string;
  logIndex: number;
}

export interface ReceivableLienFacts {
  loanId: string;
  lotId: number;
  borrower: string;
  financier: string;
  status: string;
  principal: string;
  outstanding: string;
  maturity: number;
}

/**
 * Everything the bank verification shows, read in one round trip. Nothing in it depends on the
 * clock: the debtor's open payables come grouped by deadline, and the caller decides which are overdue.
 */
export interface ReceivableVerificationFacts {
  receivable: ReceivableRow;
  members: MemberFacts[];
  holding: (HoldingRow & { openSaleOffers: string }) | null;
  holders: number;
  transfers: TransferRow[];
  disputesAndFreezes: ReceivableEventRow[];
  liens: ReceivableLienFacts[];
  checkpoint: { blockNumber: number; blockHash: string; blockTime: number } | null;
}

/**
 * A debtor's payment record, as clock-free facts: receivables paid in full by their deadline (due date
 * plus grace) or after it, and those still open grouped by currency and deadline, so the caller
 * decides which are overdue. Shared by every receivable of the debtor: a bank checking a book of
 * receivables on a few large buyers reads each buyer's record once per indexed state.
 */
export interface DebtorRecord {
  paidOnTime: number;
  paidLate: number;
  open: { currency: string; deadline: number; outstanding: string; count: number }[];
}

/** "Confirmed, past due date plus grace, not paid in full" at time `now`, for receivables row `r`. */
const overdueAt = (now: number, r: SQL = sql.raw("r")) =>
  sql`(${r}.status = 'confirmed' AND ${r}.due_date + ${r}.grace_seconds < ${now} AND ${r}.paid < ${r}.face_value)`;

/** The classification of a `transferred` history row `e` by the event its transaction also emitted. */
const TRANSFER_ROWS = sql`
  SELECT e.actor AS "from", e.counterparty AS "to", e.amount::text AS amount,
         CASE WHEN EXISTS (SELECT FROM receivable_events s
                           WHERE s.tx_hash = e.tx_hash AND s.receivable_id = e.receivable_id AND s.type = 'sold'
                             AND s.actor = e.actor AND s.counterparty = e.counterparty) THEN 'sale'
              WHEN EXISTS (SELECT FROM receivable_events s
                           WHERE s.tx_hash = e.tx_hash AND s.receivable_id = e.receivable_id AND s.type = 'lot_seized'
                             AND s.actor = e.actor AND s.counterparty = e.counterparty) THEN 'seizure'
              ELSE 'transfer' END AS kind,
         e.block_time AS time, e.block_number AS "blockNumber", e.tx_hash AS "txHash", e.log_index AS "logIndex"
  FROM receivable_events e`;

/** The pledged part of holding `h`'s lots; none once it is closed (its lots then keep only their record). */
const PLEDGED_OF_HOLDING = sql`(SELECT coalesce(sum(l.amount), 0)::text FROM receivable_lots l
                                WHERE l.receivable_id = h.receivable_id AND l.holder = h.holder
                                  AND l.status = 'earmarked' AND l.pledged AND NOT h.closed)`;

/**
 * The verification in one statement, prepared so each connection plans it once (banks call it for
 * every receivable offered to them). `holder` may be NULL: the receivable as a whole.
 */
function prepareVerificationStatement(db: Database) {
  const p = sql.placeholder;
  return db
    .select({ facts: sql<ReceivableVerificationFacts | null>`v.facts` })
    .from(
      sql`(WITH r AS (SELECT * FROM receivables WHERE id = ${p("receivableId")}::bigint),
              lots AS (SELECT * FROM receivable_lots WHERE receivable_id = ${p("receivableId")}::bigint),
              liens AS (SELECT l.*, lots.id AS lot_id FROM lots
                        JOIN loans l ON l.collateral_kind = ${RECEIVABLE_COLLATERAL_KIND} AND l.collateral_id = lots.id::numeric
                        WHERE l.status IN ('offered', 'active'))
            SELECT json_build_object(
              'receivable', (SELECT ${rowJson(receivables, "r")} FROM r),
              'members', (SELECT coalesce(json_agg(json_build_object(
                            'address', m.address, 'name', m.name, 'roles', m.roles, 'status', m.status)), '[]'::json)
                          FROM members m
                          WHERE m.address IN (SELECT creditor FROM r UNION ALL SELECT debtor FROM r
                                              UNION ALL SELECT ${p("holder")}::text
                                              UNION ALL SELECT borrower FROM liens UNION ALL SELECT financier FROM liens
                                              UNION ALL SELECT unnest(ARRAY[e.actor, e.counterparty]) FROM receivable_events e
                                                        WHERE e.receivable_id = ${p("receivableId")}::bigint
                                                          AND e.type = 'transferred')),
              'holding', (SELECT json_build_object(
                            'holder', h.holder, 'amount', h.amount::text, 'earmarked', h.earmarked::text,
                            'pledged', ${PLEDGED_OF_HOLDING}, 'settled', h.settled::text, 'closed', h.closed,
                            'openSaleOffers', (SELECT coalesce(sum(s.amount), 0)::text FROM receivable_sales s
                                               WHERE s.receivable_id = h.receivable_id AND s.seller = h.holder AND s.status = 'offered'))
                          FROM receivable_holdings h
                          WHERE h.key = ${p("receivableId")}::text || ':' || ${p("holder")}::text),
              'holders', (SELECT count(*) FROM receivable_holdings h
                          WHERE h.receivable_id = ${p("receivableId")}::bigint AND h.amount > 0),
              'transfers', (SELECT coalesce(json_agg(t ORDER BY t."blockNumber", t."logIndex"), '[]'::json)
                            FROM (${TRANSFER_ROWS} WHERE e.receivable_id = ${p("receivableId")}::bigint AND e.type = 'transferred') t),
              'disputesAndFreezes', (SELECT coalesce(json_agg(${rowJson(receivableEvents, "e")} ORDER BY e.block_number, e.log_index), '[]'::json)
                                     FROM receivable_events e
                                     WHERE e.receivable_id = ${p("receivableId")}::bigint
                                       AND e.type IN ('disputed', 'dispute_resolved', 'frozen', 'unfrozen')),
              'liens', (SELECT coalesce(json_agg(json_build_object(
                          'loanId', l.id, 'lotId', l.lot_id, 'borrower', l.borrower, 'financier', l.financier,
                          'status', l.status, 'principal', l.principal::text, 'outstanding', l.outstanding::text,
                          'maturity', l.maturity) ORDER BY l.offered_at, l.id), '[]'::json)
                        FROM liens l),
              'checkpoint', (SELECT json_build_object('blockNumber', block_number, 'blockHash', block_hash, 'blockTime', block_time)
                             FROM indexer_checkpoints WHERE id = 'main')
            ) AS facts
            WHERE EXISTS (SELECT FROM r)) AS v`,
    )
    .prepare("receivable_verification");
}

/** The debtor's payment record in one statement (see DebtorRecord). */
function prepareDebtorRecordStatement(db: Database) {
  const p = sql.placeholder;
  return db
    .select({ record: sql<DebtorRecord>`v.record` })
    .from(
      sql`(WITH paid AS (
              SELECT d.due_date + d.grace_seconds AS deadline,
                     (SELECT max(e.block_time) FROM receivable_events e WHERE e.receivable_id = d.id AND e.type = 'payment') AS paid_at
              FROM receivables d
              WHERE d.debtor = ${p("debtor")}::text AND d.status IN ('confirmed', 'settled') AND d.paid = d.face_value
            )
            SELECT json_build_object(
              'paidOnTime', (SELECT count(*) FROM paid WHERE paid_at <= deadline),
              'paidLate', (SELECT count(*) FROM paid WHERE paid_at > deadline),
              'open', (SELECT coalesce(json_agg(json_build_object(
                          'currency', o.currency, 'deadline', o.deadline, 'outstanding', o.outstanding, 'count', o.count)
                          ORDER BY o.deadline, o.currency), '[]'::json)
                       FROM (SELECT d.currency, d.due_date + d.grace_seconds AS deadline,
                                    sum(d.face_value - d.paid)::text AS outstanding, count(*) AS count
                             FROM receivables d
                             WHERE d.debtor = ${p("debtor")}::text AND d.status = 'confirmed' AND d.paid < d.face_value
                             GROUP BY 1, 2) o)
            ) AS record) AS v`,
    )
    .prepare("receivable_debtor_record");
}

export interface CalendarRow {
  side: "receivable" | "payable";
  bucket: string;
  currency: string;
  amount: string;
  count: number;
}

export interface ExposureByDebtorRow {
  debtor: string;
  currency: string;
  receivables: number;
  outstanding: string;
  overdue: string;
}

export interface ExposureByFinancierRow {
  financier: string;
  currency: string;
  purchased: string;
  overdue: string;
  pledgedLoans: number;
  lent: string;
}

export function createReceivablesRepository(db: Database) {
  const verificationStatement = prepareVerificationStatement(db);
  const debtorRecordStatement = prepareDebtorRecordStatement(db);

  async function holdingsOf(receivableId: number): Promise<HoldingRow[]> {
    return queryRows<HoldingRow>(
      db,
      sql`SELECT h.holder, h.amount::text AS amount, h.earmarked::text AS earmarked, ${PLEDGED_OF_HOLDING} AS pledged,
                 h.settled::text AS settled, h.closed
          FROM receivable_holdings h WHERE h.receivable_id = ${receivableId}
          ORDER BY h.amount DESC, h.settled DESC, h.holder`,
    );
  }

  return {
    async find(id: number): Promise<ReceivableRow | undefined> {
      const [row] = await db.select().from(receivables).where(eq(receivables.id, id));
      return row;
    },
    async list(filter: {
      creditor?: string;
      debtor?: string;
      holder?: string;
      status?: ReceivableRow["status"];
      currency?: string;
      overdue?: boolean;
      now: number;
      afterId?: number;
      limit: number;
    }) {
      const conditions: SQL[] = [];
      if (filter.creditor) conditions.push(eq(receivables.creditor, filter.creditor));
      if (filter.debtor) conditions.push(eq(receivables.debtor, filter.debtor));
      if (filter.status) conditions.push(eq(receivables.status, filter.status));
      if (filter.currency) conditions.push(eq(receivables.currency, filter.currency));
      if (filter.holder) {
        conditions.push(
          sql`EXISTS (SELECT FROM ${receivableHoldings} h
                      WHERE h.receivable_id = ${receivables.id} AND h.holder = ${filter.holder} AND h.amount > 0)`,
        );
      }
      if (filter.overdue !== undefined) {
        const overdue = overdueAt(filter.now, sql.raw(`"receivables"`));
        conditions.push(filter.overdue ? overdue : sql`NOT ${overdue}`);
      }
      if (filter.afterId !== undefined) conditions.push(gt(receivables.id, filter.afterId));
      return db
        .select()
        .from(receivables)
        .where(and(...conditions))
        .orderBy(asc(receivables.id))
        .limit(filter.limit + 1);
    },
    holdings: holdingsOf,
    async lots(receivableId: number): Promise<LotRow[]> {
      return queryRows<LotRow>(
        db,
        sql`SELECT l.id::int AS id, l.holder, l.amount::text AS amount, l.pledged, l.status,
                   (SELECT n.id FROM loans n
                    WHERE n.collateral_kind = ${RECEIVABLE_COLLATERAL_KIND} AND n.collateral_id = l.id::numeric
                    ORDER BY n.offered_at DESC, n.id LIMIT 1) AS "loanId"
            FROM receivable_lots l WHERE l.receivable_id = ${receivableId} ORDER BY l.id`,
      );
    },
    async sales(receivableId: number): Promise<SaleRow[]> {
      return db.select().from(receivableSales).where(eq(receivableSales.receivableId, receivableId)).orderBy(asc(receivableSales.id));
    },
    async transfers(receivableId: number): Promise<TransferRow[]> {
      const rows = await queryRows<TransferRow>(
        db,
        sql`${TRANSFER_ROWS} WHERE e.receivable_id = ${receivableId} AND e.type = 'transferred' ORDER BY e.block_number, e.log_index`,
      );
      return rows.map((row) => ({ ...row, time: Number(row.time), blockNumber: Number(row.blockNumber), logIndex: Number(row.logIndex) }));
    },
    async history(receivableId: number, filter: { type?: ReceivableEventType; after?: [number, number]; limit: number }) {
      const conditions: SQL[] = [eq(receivableEvents.receivableId, receivableId)];
      if (filter.type) conditions.push(eq(receivableEvents.type, filter.type));
      if (filter.after) conditions.push(after(receivableEvents.blockNumber, receivableEvents.logIndex, filter.after));
      return db
        .select()
        .from(receivableEvents)
        .where(and(...conditions))
        .orderBy(asc(receivableEvents.blockNumber), asc(receivableEvents.logIndex))
        .limit(filter.limit + 1);
    },
    /** A member's holdings with their receivables, by receivable id. */
    async holdingsOfMember(holder: string, filter: { includeClosed: boolean; afterId?: number; limit: number }) {
      const rows = await queryRows<{ receivable: ReceivableRow; holding: Omit<HoldingRow, "holder"> }>(
        db,
        sql`SELECT ${rowJson(receivables, "r")} AS receivable,
                   json_build_object('amount', h.amount::text, 'earmarked', h.earmarked::text, 'pledged', ${PLEDGED_OF_HOLDING},
                                     'settled', h.settled::text, 'closed', h.closed) AS holding
            FROM receivable_holdings h JOIN receivables r ON r.id = h.receivable_id
            WHERE h.holder = ${holder}
              ${filter.includeClosed ? sql`` : sql`AND NOT h.closed AND h.amount > 0`}
              ${filter.afterId === undefined ? sql`` : sql`AND h.receivable_id > ${filter.afterId}`}
            ORDER BY h.receivable_id LIMIT ${filter.limit + 1}`,
      );
      return rows;
    },
    /**
     * What a member is still to receive (its holdings) and to pay (as debtor) on confirmed receivables,
     * by currency and bucket: "overdue", or the UTC month ("YYYY-MM") of the due date.
     */
    async calendar(member: string, now: number): Promise<CalendarRow[]> {
      const bucket = sql`CASE WHEN ${overdueAt(now)} THEN 'overdue'
                              ELSE to_char(to_timestamp(r.due_date) AT TIME ZONE 'UTC', 'YYYY-MM') END`;
      const rows = await queryRows<CalendarRow>(
        db,
        sql`SELECT 'receivable' AS side, ${bucket} AS bucket, r.currency, sum(h.amount - h.settled)::text AS amount, count(*)::int AS count
            FROM receivable_holdings h JOIN receivables r ON r.id = h.receivable_id
            WHERE h.holder = ${member} AND NOT h.closed AND h.amount > h.settled AND r.status = 'confirmed'
            GROUP BY 1, 2, 3
            UNION ALL
            SELECT 'payable', ${bucket}, r.currency, sum(r.face_value - r.paid)::text, count(*)::int
            FROM receivables r
            WHERE r.debtor = ${member} AND r.status = 'confirmed' AND r.paid < r.face_value
            GROUP BY 1, 2, 3
            ORDER BY 2, 3, 1`,
      );
      return rows.map((row) => ({ ...row, count: Number(row.count) }));
    },
    async exposureByDebtor(now: number): Promise<ExposureByDebtorRow[]> {
      const rows = await queryRows<ExposureByDebtorRow>(
        db,
        sql`SELECT r.debtor, r.currency, count(*)::int AS receivables, sum(r.face_value - r.paid)::text AS outstanding,
                   sum(CASE WHEN ${overdueAt(now)} THEN r.face_value - r.paid ELSE 0 END)::text AS overdue
            FROM receivables r WHERE r.status = 'confirmed' AND r.paid < r.face_value
            GROUP BY 1, 2 ORDER BY 4 DESC, 1, 2`,
      );
      return rows.map((row) => ({ ...row, receivables: Number(row.receivables) }));
    },
    /** What financiers hold after discounting and lend against receivable lots, by currency. */
    async exposureByFinancier(now: number): Promise<ExposureByFinancierRow[]> {
      const rows = await queryRows<ExposureByFinancierRow>(
        db,
        sql`WITH purchased AS (
              SELECT h.holder AS financier, r.currency, sum(h.amount - h.settled) AS purchased,
                     sum(CASE WHEN ${overdueAt(now)} THEN h.amount - h.settled ELSE 0 END) AS overdue
              FROM receivable_holdings h
              JOIN receivables r ON r.id = h.receivable_id
              JOIN members m ON m.address = h.holder AND (m.roles & ${ROLES.FINANCIER}) <> 0
              WHERE r.status = 'confirmed' AND NOT h.closed AND h.amount > h.settled
              GROUP BY 1, 2
            ), lent AS (
              SELECT l.financier, l.currency, count(*) AS loans, sum(l.outstanding) AS lent
              FROM loans l WHERE l.collateral_kind = ${RECEIVABLE_COLLATERAL_KIND} AND l.status = 'active'
              GROUP BY 1, 2
            )
            SELECT coalesce(p.financier, l.financier) AS financier, coalesce(p.currency, l.currency) AS currency,
                   coalesce(p.purchased, 0)::text AS purchased, coalesce(p.overdue, 0)::text AS overdue,
                   coalesce(l.loans, 0)::int AS "pledgedLoans", coalesce(l.lent, 0)::text AS lent
            FROM purchased p FULL OUTER JOIN lent l ON l.financier = p.financier AND l.currency = p.currency
            ORDER BY 1, 2`,
      );
      return rows.map((row) => ({ ...row, pledgedLoans: Number(row.pledgedLoans) }));
    },
    async overdueTotals(now: number) {
      const rows = await queryRows<{ currency: string; receivables: number; outstanding: string }>(
        db,
        sql`SELECT r.currency, count(*)::int AS receivables, sum(r.face_value - r.paid)::text AS outstanding
            FROM receivables r WHERE ${overdueAt(now)} GROUP BY 1 ORDER BY 1`,
      );
      return rows.map((row) => ({ ...row, receivables: Number(row.receivables) }));
    },
    async verificationFacts(receivableId: number, holder: string | null): Promise<ReceivableVerificationFacts | undefined> {
      const [row] = await verificationStatement.execute({ receivableId, holder });
      return row?.facts ?? undefined;
    },
    async debtorRecord(debtor: string): Promise<DebtorRecord> {
      const [row] = await debtorRecordStatement.execute({ debtor });
      return row.record;
    },
  };
}
export type ReceivablesRepository = ReturnType<typeof createReceivablesRepository>;
