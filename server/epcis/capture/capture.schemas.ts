import { z } from "zod";
import { transactionOutcomeSchema } from "../../transactions/transactions.schemas";

/**
 * The body is read by the capture's own parser (document.ts), which names every problem by its JSON
 * pointer in the document; the schema only says it is an object, and what it should be.
 */
export const captureDocumentSchema = z
  .record(z.string(), z.unknown())
  .describe(
    "A GS1 EPCIS 2.0 EPCISDocument (JSON-LD sent as JSON): ObjectEvents (ADD commissioning; OBSERVE shipping, picking, " +
      "receiving, arriving/returned, void_shipping, inspecting, holding, and observations), TransformationEvents, and " +
      "AggregationEvents and TransactionEvents as observations; at most 100 events",
  );

const eventOutcomeSchema = z
  .object({
    pointer: z.string().describe("JSON pointer of the event in the captured document, e.g. /epcisBody/eventList/0"),
    eventID: z.string().nullable().describe("The event's eventID, when it had one"),
    type: z.string().describe("The EPCIS event type"),
    recordedAs: z
      .string()
      .describe("The ProvenanceLedger operation: commission, ship, receiveShipment, rejectShipment, cancelShipment, recordInspection, hold, releaseHold, recall, retire, recordReading, transform, anchor; or how picking went with its shipment"),
    batchIds: z.array(z.number().int()).describe("The batches the event applied to"),
    createdBatchIds: z.array(z.number().int()).describe("The batches it created: a commissioned lot, transformation outputs, the part split off for a shipment or a retirement"),
    anchor: z
      .object({ root: z.string(), leaf: z.string(), proof: z.array(z.string()) })
      .optional()
      .describe("For an observation naming no lot: the anchored Merkle root, the event's leaf and its proof (POST /api/v1/anchors/verify)"),
    notKept: z.array(z.string()).describe("Top-level fields of the event the ledger does not keep (readPoint, bizLocation...)"),
  })
  .meta({ id: "EpcisCapturedEvent" });

export const captureOutcomeSchema = transactionOutcomeSchema
  .extend({ captured: z.array(eventOutcomeSchema).describe("What became of each event, in document order") })
  .meta({ id: "EpcisCaptureOutcome" });
