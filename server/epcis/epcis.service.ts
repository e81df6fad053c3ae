import type { BatchesRepository, TraceEventRow } from "../batches/batches.repository";
import type { BatchesService } from "../batches/batches.service";
import { NotReadyError } from "../errors";
import { batchIdsReferencedBy, toEpcisDocument, toEpcisEvents, type BatchClass, type EpcisDocument } from "./epcis.mapper";
import type { EpcisRepository } from "./epcis.repository";
import type { EpcisQuery } from "./epcis.schemas";

const isTransformation = (row: TraceEventRow) => row.type === "transformed_input" || row.type === "transformed_output";

export function createEpcisService(batchesRepository: BatchesRepository, batches: BatchesService, repository: EpcisRepository) {
  return {
    /**
     * The batch's events as an EPCIS 2.0 document; with `lineage`, those of its upstream batches too.
     * A transformation seen from one side (an input or an output) is completed from the rows of the
     * other side, so its TransformationEvent always lists every input and output.
     */
    async exportBatch(batchId: number, query: EpcisQuery): Promise<EpcisDocument> {
      await batches.requireBatch(batchId);
      const chainId = await repository.chainId();
      if (chainId === undefined) throw new NotReadyError("The indexer has not recorded which chain it follows yet");

      const exported = query.lineage ? await repository.upstreamOf(batchId, query.depth) : [batchId];
      const rows = await batchesRepository.eventsOf(exported);

      const transformationLogs = new Set(rows.filter(isTransformation).map((row) => `${row.txHash}:${row.logIndex}`));
      const exportedSet = new Set(exported);
      const otherSides = [...new Set(rows.filter(isTransformation).flatMap(batchIdsReferencedBy))].filter((id) => !exportedSet.has(id));
      const related = (await batchesRepository.eventsOf(otherSides)).filter(
        (row) => isTransformation(row) && transformationLogs.has(`${row.txHash}:${row.logIndex}`),
      );

      const mentioned = [...new Set([...rows, ...related].flatMap(batchIdsReferencedBy))];
      const classes = new Map<number, BatchClass>(
        (await batchesRepository.findMany(mentioned)).map(({ batch }) => [batch.id, batch]),
      );
      const events = toEpcisEvents(rows, { chainId, batches: classes }, related);
      return toEpcisDocument(events, new Date());
    },
  };
}
export type EpcisService = ReturnType<typeof createEpcisService>;
