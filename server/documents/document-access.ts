import { and, eq, gt, inArray } from "drizzle-orm";
import type { Database } from "../../shared/db/client";
import { batches, loans, receivableHoldings, receivables, warehouseReceipts } from "../../shared/db/schema";
import type { Caller } from "../http/authentication";
import { RECEIPT_COLLATERAL_KIND } from "../receipts/receipts.repository";
import type { ReferenceRow } from "./documents.repository";

/** Roles that may read every document (read-only oversight). */
export const OVERSIGHT_ROLES = ["REGULATOR", "AUDITOR"] as const;

export function hasOversight(caller: Caller): boolean {
  return caller.kind !== "anonymous" && caller.roles.some((role) => (OVERSIGHT_ROLES as readonly string[]).includes(role));
}

/**
 * The parties of ledger objects, by kind. This is the one definition of "a party to the asset" that
 * document access uses, written so that the general access policy can reuse it:
 * - a batch: its producer and current custodian (and, for one of its events, the event's actor and
 *   counterparty: see `referenceParties`);
 * - a warehouse receipt: its holder and warehouse, and the financiers of loans on it;
 * - a receivable: its creditor and debtor, and its current holders;
 * - a loan: its borrower and financier.
 * Addresses are lower-case; unknown ids contribute nothing.
 */
export function createPartyResolver(db: Database) {
  return {
    async batchParties(ids: number[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const rows = await db.select({ producer: batches.producer, custodian: batches.custodian }).from(batches).where(inArray(batches.id, ids));
      return rows.flatMap((row) => [row.producer, row.custodian]);
    },

    async receiptParties(ids: number[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .select({ holder: warehouseReceipts.holder, warehouse: warehouseReceipts.warehouse })
        .from(warehouseReceipts)
        .where(inArray(warehouseReceipts.id, ids));
      const financiers = await db
        .select({ financier: loans.financier })
        .from(loans)
        .where(and(eq(loans.collateralKind, RECEIPT_COLLATERAL_KIND), inArray(loans.collateralId, ids.map(String))));
      return [...rows.flatMap((row) => [row.holder, row.warehouse]), ...financiers.map((row) => row.financier)];
    },

    async receivableParties(ids: number[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .select({ creditor: receivables.creditor, debtor: receivables.debtor })
        .from(receivables)
        .where(inArray(receivables.id, ids));
      const holders = await db
        .select({ holder: receivableHoldings.holder })
        .from(receivableHoldings)
        .where(and(inArray(receivableHoldings.receivableId, ids), gt(receivableHoldings.amount, "0")));
      return [...rows.flatMap((row) => [row.creditor, row.debtor]), ...holders.map((row) => row.holder)];
    },

    async loanParties(ids: string[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const rows = await db.select({ borrower: loans.borrower, financier: loans.financier }).from(loans).where(inArray(loans.id, ids));
      return rows.flatMap((row) => [row.borrower, row.financier]);
    },

    /** Everyone party to any of the objects (and events) that carry a hash. */
    async referenceParties(references: ReferenceRow[]): Promise<Set<string>> {
      const idsOf = (kind: ReferenceRow["kind"]) => [...new Set(references.filter((r) => r.kind === kind).map((r) => r.id))];
      const parties = await Promise.all([
        this.batchParties(idsOf("batch").map(Number)),
        this.receiptParties(idsOf("receipt").map(Number)),
        this.receivableParties(idsOf("receivable").map(Number)),
        this.loanParties(idsOf("loan")),
      ]);
      const eventParties = references.filter((r) => r.kind === "batch").flatMap((r) => [r.actor, r.counterparty]);
      return new Set([...parties.flat(), ...eventParties].filter((address): address is string => !!address).map((a) => a.toLowerCase()));
    },
  };
}

export type PartyResolver = ReturnType<typeof createPartyResolver>;

/**
 * Who may read a document (its metadata and its bytes): its uploaders, the parties of the ledger
 * objects that reference it, and members with an oversight role. Existence is not secret (the hash
 * may be on chain), so others are refused with 403, never 404.
 */
export function mayReadDocument(caller: Caller, uploaders: string[], parties: Set<string>): boolean {
  if (caller.kind === "anonymous") return false;
  return hasOversight(caller) || uploaders.includes(caller.address) || parties.has(caller.address);
}
