import { decodeCursor, toPage, type Page } from "../http/common-schemas";
import { NotFoundError } from "../errors";
import type { MembersRepository } from "../members/members.repository";
import { partyLabeller } from "../members/parties";
import type { BatchWithProduct, BatchesRepository, TraceEventRow } from "./batches.repository";
import type { BatchView, ListBatchesQuery, TimelineQuery, TraceEventView } from "./batches.schemas";

type Label = Awaited<ReturnType<typeof partyLabeller>>;

export function toBatchView({ batch, productName, hsCode }: BatchWithProduct, label: Label): BatchView {
  return {
    id: batch.id,
    product: { gtin: batch.gtin, name: productName, hsCode },
    lot: batch.lot,
    quantity: batch.quantity,
    initialQuantity: batch.initialQuantity,
    unit: batch.unit,
    originRegion: batch.originRegion,
    producedAt: batch.producedAt,
    producer: label(batch.producer),
    custodian: label(batch.custodian),
    pendingRecipient: batch.pendingRecipient ? label(batch.pendingRecipient) : null,
    status: batch.status,
    parentId: batch.parentId,
    transformationId: batch.transformationId,
    documentHash: batch.documentHash,
    createdBlock: batch.createdBlock,
    createdTx: batch.createdTx,
    updatedBlock: batch.updatedBlock,
  };
}

export function toTraceEventView(row: TraceEventRow, label: Label): TraceEventView {
  return {
    batchId: row.batchId,
    type: row.type,
    actor: label(row.actor),
    counterparty: row.counterparty ? label(row.counterparty) : null,
    quantity: row.quantity,
    documentHash: row.documentHash,
    details: row.details,
    time: row.blockTime,
    blockNumber: row.blockNumber,
    blockHash: row.blockHash,
    txHash: row.txHash,
    logIndex: row.logIndex,
  };
}

const partiesOf = (rows: BatchWithProduct[]) =>
  rows.flatMap(({ batch }) => [batch.producer, batch.custodian, batch.pendingRecipient]);

export function createBatchesService(repository: BatchesRepository, members: MembersRepository) {
  async function requireBatch(id: number): Promise<BatchWithProduct> {
    const row = await repository.find(id);
    if (!row) throw new NotFoundError("Batch", id);
    return row;
  }

  return {
    requireBatch,
    async views(rows: BatchWithProduct[]): Promise<BatchView[]> {
      const label = await partyLabeller(members, partiesOf(rows));
      return rows.map((row) => toBatchView(row, label));
    },
    async get(id: number): Promise<BatchView> {
      const row = await requireBatch(id);
      const label = await partyLabeller(members, partiesOf([row]));
      return toBatchView(row, label);
    },
    async list(query: ListBatchesQuery): Promise<Page<BatchView>> {
      const afterId = decodeCursor<[number]>(query.cursor, ["number"])?.[0];
      const rows = await repository.list({ ...query, afterId });
      const label = await partyLabeller(members, partiesOf(rows));
      return toPage(rows, query.limit, (row) => toBatchView(row, label), (row) => [row.batch.id]);
    },
    async timeline(id: number, query: TimelineQuery): Promise<Page<TraceEventView>> {
      await requireBatch(id);
      const after = decodeCursor<[number, number]>(query.cursor, ["number", "number"]);
      const rows = await repository.timeline(id, { type: query.type, after, limit: query.limit });
      const label = await partyLabeller(members, rows.flatMap((row) => [row.actor, row.counterparty]));
      return toPage(rows, query.limit, (row) => toTraceEventView(row, label), (row) => [row.blockNumber, row.logIndex]);
    },
  };
}
export type BatchesService = ReturnType<typeof createBatchesService>;
