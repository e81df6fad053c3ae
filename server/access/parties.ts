import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../shared/db/client";
import {
  batches, loans, receivableHoldings, receivableLots, receivableSales, receivables, warehouseReceipts,
} from "../../shared/db/schema";
import type { DocumentsRepository, ReferenceRow } from "../documents/documents.repository";
import { RECEIPT_COLLATERAL_KIND } from "../receipts/receipts.repository";
import { RECEIVABLE_COLLATERAL_KIND } from "../receivables/receivables.repository";

const lower = (addresses: (string | null | undefined)[]) =>
  new Set(addresses.filter((address): address is string => !!address).map((address) => address.toLowerCase()));

/**
 * Who is party to a ledger object: the one definition the access policy and document access use.
 * - a batch: its producer and current custodian (and, for one of its events, the event's actor and
 *   counterparty: see `referenceParties`);
 * - a warehouse receipt: its holder and issuing warehouse, and every financier that offered or made a
 *   loan on it;
 * - a receivable: its creditor, debtor and payment agent, every member that ever held a part of it,
 *   every financier it was offered for sale to, and every financier of a loan on one of its lots;
 * - a loan: its borrower and financier;
 * - a document: its uploaders and the parties of every ledger object (or event) that carries its hash.
 * Addresses are lower-case; unknown ids have no parties.
 */
export function createPartyResolver(db: Database, documents: Pick<DocumentsRepository, "uploads" | "references">) {
  const resolver = {
    async batchParties(ids: number[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await db.select({ producer: batches.producer, custodian: batches.custodian }).from(batches).where(inArray(batches.id, ids));
      return lower(rows.flatMap((row) => [row.producer, row.custodian]));
    },

    async receiptParties(ids: number[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const [rows, financiers] = await Promise.all([
        db
          .select({ holder: warehouseReceipts.holder, warehouse: warehouseReceipts.warehouse })
          .from(warehouseReceipts)
          .where(inArray(warehouseReceipts.id, ids)),
        db
          .select({ financier: loans.financier })
          .from(loans)
          .where(and(eq(loans.collateralKind, RECEIPT_COLLATERAL_KIND), inArray(loans.collateralId, ids.map(String)))),
      ]);
      return lower([...rows.flatMap((row) => [row.holder, row.warehouse]), ...financiers.map((row) => row.financier)]);
    },

    async receivableParties(ids: number[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const [rows, holders, buyers, lenders] = await Promise.all([
        db
          .select({ creditor: receivables.creditor, debtor: receivables.debtor, agent: receivables.paymentAgent })
          .from(receivables)
          .where(inArray(receivables.id, ids)),
        // Holdings are never deleted: a holder that passed everything on or was settled keeps its row.
        db.select({ address: receivableHoldings.holder }).from(receivableHoldings).where(inArray(receivableHoldings.receivableId, ids)),
        db.select({ address: receivableSales.financier }).from(receivableSales).where(inArray(receivableSales.receivableId, ids)),
        db
          .select({ address: loans.financier })
          .from(loans)
          .innerJoin(receivableLots, sql`${loans.collateralId} = ${receivableLots.id}::numeric`)
          .where(and(eq(loans.collateralKind, RECEIVABLE_COLLATERAL_KIND), inArray(receivableLots.receivableId, ids))),
      ]);
      return lower([
        ...rows.flatMap((row) => [row.creditor, row.debtor, row.agent]),
        ...[...holders, ...buyers, ...lenders].map((row) => row.address),
      ]);
    },

    async loanParties(ids: string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await db.select({ borrower: loans.borrower, financier: loans.financier }).from(loans).where(inArray(loans.id, ids));
      return lower(rows.flatMap((row) => [row.borrower, row.financier]));
    },

    /** Everyone party to any of the objects (and events) that carry a hash. */
    async referenceParties(references: ReferenceRow[]): Promise<Set<string>> {
      const idsOf = (kind: ReferenceRow["kind"]) => [...new Set(references.filter((r) => r.kind === kind).map((r) => r.id))];
      const parties = await Promise.all([
        resolver.batchParties(idsOf("batch").map(Number)),
        resolver.receiptParties(idsOf("receipt").map(Number)),
        resolver.receivableParties(idsOf("receivable").map(Number)),
        resolver.loanParties(idsOf("loan")),
      ]);
      const eventParties = references.filter((r) => r.kind === "batch").flatMap((r) => [r.actor, r.counterparty]);
      return lower([...parties.flatMap((set) => [...set]), ...eventParties]);
    },

    /** A document's readers: its uploaders and the parties of what references it. */
    async documentParties(sha256: string): Promise<Set<string>> {
      const [uploads, references] = await Promise.all([documents.uploads(sha256), documents.references(sha256)]);
      return lower([...uploads.map((upload) => upload.uploader), ...(await resolver.referenceParties(references))]);
    },
  };
  return resolver;
}

export type PartyResolver = ReturnType<typeof createPartyResolver>;
