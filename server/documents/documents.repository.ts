import { asc, eq, sql } from "drizzle-orm";
import { queryRows, type Database } from "../../shared/db/client";
import { documents, documentUploads } from "../../shared/db/schema";
import type { Sha256 } from "./document-store";

export type DocumentRow = typeof documents.$inferSelect;
export type UploadRow = typeof documentUploads.$inferSelect;

/** The ledger objects that can carry a document hash. */
export const REFERENCE_KINDS = ["batch", "receipt", "receivable", "loan"] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

/**
 * One place where the indexed ledger carries a hash: an event of a ledger object (`eventType`, with
 * its transaction), or a field of the object's current state (`eventType` null). `actor` and
 * `counterparty` are the event's parties, used by the access rules and not shown.
 */
export interface ReferenceRow {
  kind: ReferenceKind;
  id: string;
  eventType: string | null;
  field: string;
  txHash: string | null;
  blockNumber: number | null;
  actor: string | null;
  counterparty: string | null;
}

export function createDocumentsRepository(db: Database) {
  return {
    async find(sha256: Sha256): Promise<DocumentRow | undefined> {
      const [row] = await db.select().from(documents).where(eq(documents.sha256, sha256));
      return row;
    },

    /**
     * Records a stored document and who uploaded it, idempotently: the first upload sets the metadata,
     * every uploader is recorded once (its first file name and time are kept). Answers whether the
     * document is new.
     */
    async record(document: DocumentRow, upload: UploadRow): Promise<{ created: boolean; document: DocumentRow }> {
      return db.transaction(async (tx) => {
        const inserted = await tx.insert(documents).values(document).onConflictDoNothing().returning();
        await tx.insert(documentUploads).values(upload).onConflictDoNothing();
        if (inserted.length > 0) return { created: true, document: inserted[0] };
        const [existing] = await tx.select().from(documents).where(eq(documents.sha256, document.sha256));
        return { created: false, document: existing };
      });
    },

    uploads(sha256: Sha256): Promise<UploadRow[]> {
      return db
        .select()
        .from(documentUploads)
        .where(eq(documentUploads.sha256, sha256))
        .orderBy(asc(documentUploads.uploadedAt), asc(documentUploads.uploader));
    },

    /**
     * Every read-model column that holds a document hash: the events of batches, receipts,
     * receivables and loans (their document column and the reason / reference / invoice hashes of
     * their details), and the state fields no event row carries (a receipt's insurance policy, a
     * receivable's invoice and document, which its registration carried). Each lookup has an index
     * (migration 0006), so the answer costs the same on a ledger of millions of events.
     */
    async references(sha256: Sha256): Promise<ReferenceRow[]> {
      const rows = await queryRows<Omit<ReferenceRow, "blockNumber"> & { blockNumber: string | number | null }>(
        db,
        sql`SELECT 'batch' AS kind, batch_id::text AS id, type AS "eventType", 'documentHash' AS field, tx_hash AS "txHash",
                   block_number AS "blockNumber", log_index AS "logIndex", actor, counterparty
              FROM trace_events WHERE document_hash = ${sha256}
            UNION ALL
            SELECT 'batch', batch_id::text, type, 'reasonHash', tx_hash, block_number, log_index, actor, counterparty
              FROM trace_events WHERE details->>'reasonHash' = ${sha256}
            UNION ALL
            SELECT 'receipt', receipt_id::text, type, 'documentHash', tx_hash, block_number, log_index, actor, counterparty
              FROM receipt_events WHERE document_hash = ${sha256}
            UNION ALL
            SELECT 'receipt', receipt_id::text, type, 'reasonHash', tx_hash, block_number, log_index, actor, counterparty
              FROM receipt_events WHERE details->>'reasonHash' = ${sha256}
            UNION ALL
            SELECT 'receipt', id::text, NULL, 'policyHash', NULL, NULL, NULL, NULL, NULL
              FROM warehouse_receipts WHERE policy_hash = ${sha256}
            UNION ALL
            SELECT 'receivable', id::text, 'registered', 'invoiceHash', created_tx, created_block, NULL, creditor, debtor
              FROM receivables WHERE invoice_hash = ${sha256}
            UNION ALL
            SELECT 'receivable', id::text, 'registered', 'documentHash', created_tx, created_block, NULL, creditor, debtor
              FROM receivables WHERE document_hash = ${sha256}
            UNION ALL
            SELECT 'receivable', receivable_id::text, type, 'reasonHash', tx_hash, block_number, log_index, actor, counterparty
              FROM receivable_events WHERE details->>'reasonHash' = ${sha256}
            UNION ALL
            SELECT 'receivable', receivable_id::text, type, 'referenceHash', tx_hash, block_number, log_index, actor, counterparty
              FROM receivable_events WHERE details->>'referenceHash' = ${sha256}
            UNION ALL
            SELECT 'loan', loan_id, type, 'referenceHash', tx_hash, block_number, log_index, actor, NULL
              FROM loan_events WHERE details->>'referenceHash' = ${sha256}
            ORDER BY 6 NULLS LAST, 7 NULLS LAST, 1, 2`,
      );
      return rows.map(({ blockNumber, logIndex: _logIndex, ...row }: typeof rows[number] & { logIndex?: unknown }) => ({
        ...row,
        blockNumber: blockNumber === null ? null : Number(blockNumber),
      }));
    },
  };
}

export type DocumentsRepository = ReturnType<typeof createDocumentsRepository>;
