import { NotFoundError } from "../errors";
import type { ProvenanceRepository } from "./provenance.repository";
import type { ProvenanceSummaryView } from "./provenance.schemas";

export function createProvenanceService(repository: ProvenanceRepository) {
  return {
    /** The product's story for anyone holding it (a consumer scanning the QR code, a customs officer). */
    async summary(batchId: number): Promise<ProvenanceSummaryView> {
      const facts = await repository.summary(batchId);
      if (!facts) throw new NotFoundError("Batch", batchId);
      const { batch } = facts;
      return {
        batchId: batch.id,
        product: { gtin: batch.gtin, name: batch.productName, hsCode: batch.hsCode },
        lot: batch.lot,
        quantity: batch.quantity,
        unit: batch.unit,
        producer: batch.producer,
        producedAt: batch.producedAt,
        originRegion: batch.originRegion,
        status: batch.status,
        recall: { recalled: facts.recalled.length > 0, batches: facts.recalled },
        origins: facts.origins.map(({ productName, ...origin }) => ({ ...origin, product: productName })),
        certificates: facts.certificates,
        custodyChain: facts.custody,
        truncated: facts.truncated,
      };
    },
  };
}
export type ProvenanceService = ReturnType<typeof createProvenanceService>;
