import { and, asc, eq, lte, sql, type SQL } from "drizzle-orm";
import { after } from "../http/keyset";
import { queryRows, type Database } from "../../shared/db/client";
import { loanEvents, loans } from "../../shared/db/schema";
import { RECEIPT_COLLATERAL_KIND } from "../receipts/receipts.repository";

export type LoanRow = typeof loans.$inferSelect;
export type LoanEventRow = typeof loanEvents.$inferSelect;

/** Upper bounds (seconds from now) of the loan book's maturity buckets, in order. */
export const MATURITY_BUCKET_BOUNDS = [
  ["overdue", 0],
  ["within_30_days", 30 * 86_400],
  ["within_90_days", 90 * 86_400],
  ["within_180_days", 180 * 86_400],
] as const;

export interface ExposureRow {
  group: string;
  currency: string;
  loans: number;
  outstanding: string;
  principal: string;
}

export function createLoansRepository(db: Database) {
  /** Active loans of one financier grouped by `group` and currency: a loan book's exposures. */
  async function exposure(financier: string, group: SQL, join: SQL = sql``): Promise<ExposureRow[]> {
    const rows = await queryRows<ExposureRow>(
      db,
      sql`SELECT ${group} AS "group", l.currency, count(*)::int AS loans,
                 sum(l.outstanding)::text AS outstanding, sum(l.principal)::text AS principal
          FROM loans l ${join}
          WHERE l.financier = ${financier} AND l.status = 'active'
          GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    return rows.map((row) => ({ ...row, loans: Number(row.loans) }));
  }

  return {
    async find(id: string): Promise<LoanRow | undefined> {
      const [row] = await db.select().from(loans).where(eq(loans.id, id));
      return row;
    },
    async list(filter: { financier?: string; borrower?: string; status?: LoanRow["status"]; after?: [number, string]; limit: number }) {
      const conditions: SQL[] = [];
      if (filter.financier) conditions.push(eq(loans.financier, filter.financier));
      if (filter.borrower) conditions.push(eq(loans.borrower, filter.borrower));
      if (filter.status) conditions.push(eq(loans.status, filter.status));
      if (filter.after) {
        const [offeredAt, id] = filter.after;
        conditions.push(after(loans.offeredAt, loans.id, [offeredAt, id]));
      }
      return db
        .select()
        .from(loans)
        .where(and(...conditions))
        .orderBy(asc(loans.offeredAt), asc(loans.id))
        .limit(filter.limit + 1);
    },
    /** Active loans maturing at or before `maturityBy` (overdue ones included), soonest first. */
    async due(filter: { financier?: string; maturityBy: number; after?: [number, string]; limit: number }) {
      const conditions: SQL[] = [eq(loans.status, "active"), lte(loans.maturity, filter.maturityBy)];
      if (filter.financier) conditions.push(eq(loans.financier, filter.financier));
      if (filter.after) {
        const [maturity, id] = filter.after;
        conditions.push(after(loans.maturity, loans.id, [maturity, id]));
      }
      return db
        .select()
        .from(loans)
        .where(and(...conditions))
        .orderBy(asc(loans.maturity), asc(loans.id))
        .limit(filter.limit + 1);
    },
    async history(loanId: string, filter: { after?: [number, number]; limit: number }) {
      const conditions: SQL[] = [eq(loanEvents.loanId, loanId)];
      if (filter.after) {
        const [block, logIndex] = filter.after;
        conditions.push(
          after(loanEvents.blockNumber, loanEvents.logIndex, [block, logIndex]),
        );
      }
      return db
        .select()
        .from(loanEvents)
        .where(and(...conditions))
        .orderBy(asc(loanEvents.blockNumber), asc(loanEvents.logIndex))
        .limit(filter.limit + 1);
    },
    exposureByCurrency: (financier: string) => exposure(financier, sql`''`),
    exposureByMaturity(financier: string, now: number) {
      const cases = MATURITY_BUCKET_BOUNDS.map(([bucket, bound]) => sql`WHEN l.maturity <= ${now + bound} THEN ${bucket}`);
      return exposure(financier, sql`CASE ${sql.join(cases, sql` `)} ELSE 'later' END`);
    },
    /** Loans on warehouse receipts, by the warehouse holding the goods; other collateral is not in it. */
    exposureByWarehouse: (financier: string) =>
      exposure(
        financier,
        sql`r.warehouse`,
        sql`JOIN warehouse_receipts r ON l.collateral_kind = ${RECEIPT_COLLATERAL_KIND} AND r.id = l.collateral_id::bigint`,
      ),
    async marginCalls(financier: string): Promise<number> {
      const [row] = await queryRows<{ count: number }>(
        db,
        sql`SELECT count(*)::int AS count FROM loans WHERE financier = ${financier} AND status = 'active' AND margin_call`,
      );
      return Number(row.count);
    },
  };
}
export type LoansRepository = ReturnType<typeof createLoansRepository>;
