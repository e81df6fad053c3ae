import { createHash } from "node:crypto";
import { getAddress } from "ethers";
import type { TraceEventRow } from "../batches/batches.repository";

/**
 * Maps TraceFin timeline rows to GS1 EPCIS 2.0 events (JSON-LD, CBV 2.0 bare-word vocabulary).
 * Pure: everything it needs (chain id, the batches' GTIN/lot/unit) is passed in.
 *
 * | trace event               | EPCIS event               | action  | bizStep          | disposition                 | persistentDisposition                  |
 * | ------------------------- | ------------------------- | ------- | ---------------- | --------------------------- | -------------------------------------- |
 * | commissioned              | ObjectEvent + ilmd        | ADD     | commissioning    | active                      |                                        |
 * | split                     | ObjectEvent               | OBSERVE | picking          |                             |                                        |
 * | shipped                   | ObjectEvent               | OBSERVE | shipping         | in_transit                  |                                        |
 * | received                  | ObjectEvent               | OBSERVE | receiving        | in_progress                 |                                        |
 * | rejected                  | ObjectEvent               | OBSERVE | arriving         | returned                    |                                        |
 * | shipment_cancelled        | ObjectEvent               | OBSERVE | void_shipping    | active                      |                                        |
 * | inspected                 | ObjectEvent               | OBSERVE | inspecting       | conformant / non_conformant |                                        |
 * | observed                  | ObjectEvent               | OBSERVE | sensor_reporting |                             |                                        |
 * | transformed_input/_output | TransformationEvent (one) |         | commissioning    | active                      |                                        |
 * | held                      | ObjectEvent               | OBSERVE | holding          | non_sellable_other          | set non_sellable_other                 |
 * | hold_released             | ObjectEvent               | OBSERVE | holding          | available                   | unset non_sellable_other               |
 * | recalled                  | ObjectEvent               | OBSERVE | holding          | recalled                    | set recalled, unset non_sellable_other |
 * | retired                   | ObjectEvent               | DELETE  | decommissioning  | inactive                    |                                        |
 */

export const EPCIS_CONTEXT_URL = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld";
/** Namespace of TraceFin's EPCIS extension fields (`tracefin:txHash`, ...), declared in the document's @context. */
export const TRACEFIN_EPCIS_NAMESPACE = "https://tracefin.example/ns/epcis#";
const EXT = "tracefin";

const ZERO_HASH = "0x" + "0".repeat(64);
const ZERO_ADDRESS = "0x" + "0".repeat(40);

// ---------------------------------------------------------------------------------------------
// Identifiers

/** GS1 Digital Link URI of a trade-item class: GTIN-14 plus lot (AI 10), or the GTIN alone without a lot. */
export function digitalLinkClass(gtin14: string, lot: string): string {
  const base = `https://id.gs1.org/01/${gtin14}`;
  if (lot === "") return base;
  const encoded = encodeURIComponent(lot).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
  return `${base}/10/${encoded}`;
}

/** A member as a CAIP-10 account DID (did:pkh), with the EIP-55 checksummed address CAIP-10 requires for eip155. */
export function partyUri(chainId: number, address: string): string {
  return `did:pkh:eip155:${chainId}:${getAddress(address)}`;
}

/** An off-chain document referenced by its SHA-256 (as TraceFin anchors them), as an RFC 6920 `ni:` URI. */
export function documentUri(sha256Hex: string): string {
  return `ni:///sha-256;${Buffer.from(sha256Hex.slice(2), "hex").toString("base64url")}`;
}

const RFC4122_URL_NAMESPACE = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";

/** Name-based UUID (version 5, SHA-1) as in RFC 4122 section 4.3. */
export function uuidV5(namespace: string, name: string): string {
  const hash = createHash("sha1")
    .update(Buffer.from(namespace.replace(/-/g, ""), "hex"))
    .update(name, "utf8")
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const TRACEFIN_UUID_NAMESPACE = uuidV5(RFC4122_URL_NAMESPACE, TRACEFIN_EPCIS_NAMESPACE);

/**
 * The eventID of the EPCIS event made from one chain log: a UUID derived from the chain, the
 * transaction and the log index, so the same on-chain event always gets the same ID, whichever
 * batch or export it is seen from. (Not the CBV event hash `ni:` form: that would promise a hash
 * of the event's content.)
 */
export function eventIdOf(chainId: number, txHash: string, logIndex: number): string {
  return `urn:uuid:${uuidV5(TRACEFIN_UUID_NAMESPACE, `eip155:${chainId}:${txHash.toLowerCase()}:${logIndex}`)}`;
}

/** transformationID of a ledger transformation: stable, and unique across chains and ledger deployments. */
export function transformationIdOf(chainId: number, txHash: string, transformationId: number): string {
  return `urn:uuid:${uuidV5(TRACEFIN_UUID_NAMESPACE, `eip155:${chainId}:${txHash.toLowerCase()}:transformation:${transformationId}`)}`;
}

// ---------------------------------------------------------------------------------------------
// EPCIS shapes (the subset TraceFin emits)

type BizStep =
  | "commissioning"
  | "picking"
  | "shipping"
  | "void_shipping"
  | "receiving"
  | "arriving"
  | "inspecting"
  | "sensor_reporting"
  | "holding"
  | "decommissioning";
type Disposition =
  | "active"
  | "in_transit"
  | "in_progress"
  | "returned"
  | "conformant"
  | "non_conformant"
  | "non_sellable_other"
  | "available"
  | "recalled"
  | "inactive";

export interface QuantityElement {
  epcClass: string;
  quantity?: number;
  uom?: string;
}

type Extensions = { [field: `${typeof EXT}:${string}`]: unknown };

interface EventCommon extends Extensions {
  eventTime: string;
  eventTimeZoneOffset: "+00:00";
  eventID: string;
  certificationInfo?: string;
  bizStep: BizStep;
  disposition?: Disposition;
  persistentDisposition?: { set?: Disposition[]; unset?: Disposition[] };
  bizTransactionList?: { type: "desadv"; bizTransaction: string }[];
  sourceList?: { type: "possessing_party"; source: string }[];
  destinationList?: { type: "possessing_party"; destination: string }[];
  ilmd?: Record<string, unknown>;
}

export interface EpcisObjectEvent extends EventCommon {
  type: "ObjectEvent";
  quantityList: QuantityElement[];
  action: "ADD" | "OBSERVE" | "DELETE";
}

export interface EpcisTransformationEvent extends EventCommon {
  type: "TransformationEvent";
  inputQuantityList: QuantityElement[];
  outputQuantityList: QuantityElement[];
  transformationID: string;
}

export type EpcisEvent = EpcisObjectEvent | EpcisTransformationEvent;

export interface EpcisDocument {
  "@context": [string, Record<string, string>];
  type: "EPCISDocument";
  schemaVersion: "2.0";
  creationDate: string;
  epcisBody: { eventList: EpcisEvent[] };
}

// ---------------------------------------------------------------------------------------------
// Input

/** What the mapper needs of a batch: its trade-item class and unit. */
export interface BatchClass {
  gtin: string;
  lot: string;
  unit: string;
  initialQuantity: string;
}

export interface MappingContext {
  chainId: number;
  /** Every batch the rows mention (see `batchIdsReferencedBy`). */
  batches: ReadonlyMap<number, BatchClass>;
}

/** Row details as the indexer writes them (indexer/handlers.ts). */
interface TransformationInputDetails {
  transformationId: number;
  outputs: number[];
}
interface TransformationOutputDetails {
  transformationId: number;
  inputs: { batchId: number; quantity: string }[];
}

const details = <T>(row: TraceEventRow) => row.details as T;

/** A trace event type added to the schema without a mapping here is a type error. */
function unreachable(type: never): never {
  throw new Error(`EPCIS mapping: no mapping for trace event type ${String(type)}`);
}

/** Batches a row names besides its own (split partner, transformation inputs or outputs). */
export function batchIdsReferencedBy(row: TraceEventRow): number[] {
  switch (row.type) {
    case "split": {
      const { parentId, childId } = details<{ parentId?: number; childId?: number }>(row);
      return [row.batchId, ...[parentId, childId].filter((id): id is number => typeof id === "number")];
    }
    case "transformed_input":
      return [row.batchId, ...details<TransformationInputDetails>(row).outputs];
    case "transformed_output":
      return [row.batchId, ...details<TransformationOutputDetails>(row).inputs.map((input) => input.batchId)];
    default:
      return [row.batchId];
  }
}

/** Rows from one chain log share its transaction hash and log index. */
const logKey = (row: Pick<TraceEventRow, "txHash" | "logIndex">) => `${row.txHash}:${row.logIndex}`;

// ---------------------------------------------------------------------------------------------
// Mapping

const isoTime = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();
const presentHash = (hash: string | null | undefined): hash is string => !!hash && hash !== ZERO_HASH;

function classOf(context: MappingContext, batchId: number): BatchClass {
  const batch = context.batches.get(batchId);
  if (!batch) throw new Error(`EPCIS mapping: batch ${batchId} was not loaded`);
  return batch;
}

/** A class-level quantity; without a quantity (events that do not state one) the uom is left out too. */
function quantityOf(context: MappingContext, batchId: number, quantity?: string | null): QuantityElement {
  const batch = classOf(context, batchId);
  const element: QuantityElement = { epcClass: digitalLinkClass(batch.gtin, batch.lot) };
  if (quantity !== undefined && quantity !== null) {
    // uint96 on chain; EPCIS quantities are JSON numbers (exact up to 2^53).
    element.quantity = Number(quantity);
    element.uom = batch.unit;
  }
  return element;
}

function envelope(context: MappingContext, row: TraceEventRow) {
  return {
    eventTime: isoTime(row.blockTime),
    eventTimeZoneOffset: "+00:00" as const,
    eventID: eventIdOf(context.chainId, row.txHash, row.logIndex),
  };
}

/** Where the event sits on the chain and who sent it: lets anyone check the event against the ledger. */
function ledgerFields(context: MappingContext, row: TraceEventRow): Extensions {
  return {
    [`${EXT}:actor`]: partyUri(context.chainId, row.actor),
    ...(row.counterparty ? { [`${EXT}:counterparty`]: partyUri(context.chainId, row.counterparty) } : {}),
    [`${EXT}:blockNumber`]: row.blockNumber,
    [`${EXT}:blockHash`]: row.blockHash,
    [`${EXT}:txHash`]: row.txHash,
    [`${EXT}:logIndex`]: row.logIndex,
  };
}

/** Extension fields named after the ledger event's own hash fields (documentHash, reasonHash, ...). */
function hashField(name: string, hash: unknown): Extensions {
  return typeof hash === "string" && presentHash(hash) ? { [`${EXT}:${name}`]: hash } : {};
}

function objectEvent(
  context: MappingContext,
  row: TraceEventRow,
  fields: Omit<EpcisObjectEvent, "type" | "eventTime" | "eventTimeZoneOffset" | "eventID" | "quantityList"> & {
    quantityList?: QuantityElement[];
  },
  batchFields: Extensions = { [`${EXT}:batchId`]: row.batchId },
): EpcisObjectEvent {
  const { quantityList, certificationInfo, ...rest } = fields;
  return {
    type: "ObjectEvent",
    ...envelope(context, row),
    ...(certificationInfo ? { certificationInfo } : {}),
    quantityList: quantityList ?? [quantityOf(context, row.batchId)],
    ...rest,
    ...batchFields,
    ...ledgerFields(context, row),
  };
}

function parties(context: MappingContext, from: string | null, to: string | null) {
  return {
    ...(from ? { sourceList: [{ type: "possessing_party" as const, source: partyUri(context.chainId, from) }] } : {}),
    ...(to ? { destinationList: [{ type: "possessing_party" as const, destination: partyUri(context.chainId, to) }] } : {}),
  };
}

function singleRowEvent(context: MappingContext, row: TraceEventRow): EpcisObjectEvent {
  const reason = hashField("reasonHash", row.details.reasonHash);
  switch (row.type) {
    case "commissioned": {
      const batch = classOf(context, row.batchId);
      const { originRegion, producedAt } = details<{ originRegion?: number; producedAt?: number }>(row);
      return objectEvent(context, row, {
        quantityList: [quantityOf(context, row.batchId, row.quantity)],
        action: "ADD",
        bizStep: "commissioning",
        disposition: "active",
        ilmd: {
          ...(batch.lot ? { "cbvmda:lotNumber": batch.lot } : {}),
          ...(typeof producedAt === "number" ? { [`${EXT}:producedAt`]: isoTime(producedAt) } : {}),
          ...(typeof originRegion === "number" ? { [`${EXT}:originRegion`]: originRegion } : {}),
        },
        ...hashField("documentHash", row.documentHash),
      });
    }
    case "shipped": {
      const carrier = details<{ carrier?: string }>(row).carrier;
      return objectEvent(context, row, {
        quantityList: [quantityOf(context, row.batchId, row.quantity)],
        action: "OBSERVE",
        bizStep: "shipping",
        disposition: "in_transit",
        ...(presentHash(row.documentHash)
          ? { bizTransactionList: [{ type: "desadv" as const, bizTransaction: documentUri(row.documentHash) }] }
          : {}),
        ...parties(context, row.actor, row.counterparty),
        ...(carrier && carrier !== ZERO_ADDRESS ? { [`${EXT}:carrier`]: partyUri(context.chainId, carrier) } : {}),
        ...hashField("documentHash", row.documentHash),
      });
    }
    case "received":
      return objectEvent(context, row, {
        quantityList: [quantityOf(context, row.batchId, row.quantity)],
        action: "OBSERVE",
        bizStep: "receiving",
        disposition: "in_progress",
        ...parties(context, row.counterparty, row.actor),
      });
    case "rejected":
      // Not `receiving`: CBV defines it as adding the objects to the receiver's inventory, which a
      // refusal does not. The shipment arrived and goes back; custody stays with the shipper.
      return objectEvent(context, row, { action: "OBSERVE", bizStep: "arriving", disposition: "returned", ...reason });
    case "shipment_cancelled":
      // CBV's void_shipping declares that objects of a prior shipping event were not shipped after all.
      return objectEvent(context, row, {
        action: "OBSERVE",
        bizStep: "void_shipping",
        disposition: "active",
        ...parties(context, row.actor, row.counterparty),
        ...reason,
      });
    case "inspected": {
      const passed = details<{ passed?: boolean }>(row).passed === true;
      return objectEvent(context, row, {
        ...(presentHash(row.documentHash) ? { certificationInfo: documentUri(row.documentHash) } : {}),
        action: "OBSERVE",
        bizStep: "inspecting",
        disposition: passed ? "conformant" : "non_conformant",
        ...hashField("certificateHash", row.documentHash),
      });
    }
    case "observed":
      return objectEvent(context, row, {
        action: "OBSERVE",
        bizStep: "sensor_reporting",
        ...hashField("readingHash", row.documentHash),
      });
    // A hold persists across later events (an inspection's disposition would otherwise replace it):
    // it is set and unset as a persistentDisposition.
    case "held":
      return objectEvent(context, row, {
        action: "OBSERVE",
        bizStep: "holding",
        disposition: "non_sellable_other",
        persistentDisposition: { set: ["non_sellable_other"] },
        ...reason,
      });
    case "hold_released":
      return objectEvent(context, row, {
        action: "OBSERVE",
        bizStep: "holding",
        disposition: "available",
        persistentDisposition: { unset: ["non_sellable_other"] },
        ...reason,
      });
    case "recalled":
      return objectEvent(context, row, {
        action: "OBSERVE",
        bizStep: "holding",
        disposition: "recalled",
        // Final on the ledger; replaces a hold, if there was one.
        persistentDisposition: { set: ["recalled"], unset: ["non_sellable_other"] },
        ...reason,
      });
    case "retired":
      // The ledger knows a retirement, not its kind (destroyed, disposed of, sold at retail: the reason
      // is only a hash), so the generic CBV pair: decommissioning leaves the objects `inactive`.
      return objectEvent(context, row, {
        quantityList: [quantityOf(context, row.batchId, row.quantity)],
        action: "DELETE",
        bizStep: "decommissioning",
        disposition: "inactive",
        ...reason,
      });
    case "split":
    case "transformed_input":
    case "transformed_output":
      throw new Error(`EPCIS mapping: ${row.type} rows are mapped with their partners, not one by one`);
    default:
      return unreachable(row.type);
  }
}

/**
 * A split moves part of a batch into a child batch to be shipped (or retired, or put under a
 * warehouse receipt). Parent and child keep the same GTIN and lot, so at class level nothing is
 * created or transformed: EPCIS sees the quantity being picked to fill the shipment or the
 * retirement (not an AggregationEvent: there is no container; not a TransformationEvent: the goods
 * are unchanged).
 */
function splitEvent(context: MappingContext, rows: TraceEventRow[]): EpcisObjectEvent {
  const row = rows[0];
  let parentId: number | undefined;
  let childId: number | undefined;
  for (const r of rows) {
    const d = details<{ parentId?: number; childId?: number }>(r);
    if (typeof d.childId === "number") [parentId, childId] = [r.batchId, d.childId];
    if (typeof d.parentId === "number") [parentId, childId] = [d.parentId, r.batchId];
  }
  return objectEvent(
    context,
    row,
    { quantityList: [quantityOf(context, row.batchId, row.quantity)], action: "OBSERVE", bizStep: "picking" },
    { [`${EXT}:parentBatchId`]: parentId, [`${EXT}:childBatchId`]: childId },
  );
}

/**
 * One TransformationEvent per transformation, from any mix of its input and output rows. Inputs and
 * outputs keep the ledger's order (an output row lists every input, an input row every output).
 */
function transformationEvent(context: MappingContext, rows: TraceEventRow[]): EpcisTransformationEvent {
  const row = rows[0];
  const inputs = new Map<number, string | undefined>();
  const outputs = new Map<number, string | undefined>();
  let transformationId: number | undefined;
  const outputRows = rows.filter((r) => r.type === "transformed_output");
  const inputRows = rows.filter((r) => r.type === "transformed_input");
  for (const r of outputRows) {
    const d = details<TransformationOutputDetails>(r);
    transformationId = d.transformationId;
    for (const input of d.inputs) inputs.set(input.batchId, input.quantity);
  }
  for (const r of inputRows) {
    const d = details<TransformationInputDetails>(r);
    transformationId = d.transformationId;
    for (const id of d.outputs) outputs.set(id, undefined);
    inputs.set(r.batchId, inputs.get(r.batchId) ?? r.quantity ?? undefined);
  }
  for (const r of outputRows) outputs.set(r.batchId, r.quantity ?? undefined);
  if (transformationId === undefined) throw new Error("EPCIS mapping: transformation rows without a transformation id");
  const inputList = [...inputs.entries()];
  const outputList = [...outputs.entries()];
  return {
    type: "TransformationEvent",
    ...envelope(context, row),
    inputQuantityList: inputList.map(([id, quantity]) => quantityOf(context, id, quantity)),
    outputQuantityList: outputList.map(([id, quantity]) =>
      quantityOf(context, id, quantity ?? classOf(context, id).initialQuantity),
    ),
    transformationID: transformationIdOf(context.chainId, row.txHash, transformationId),
    // The outputs are new lots: their class-level identifiers are used for the first time.
    bizStep: "commissioning",
    disposition: "active",
    [`${EXT}:transformationId`]: transformationId,
    [`${EXT}:inputBatchIds`]: inputList.map(([id]) => id),
    [`${EXT}:outputBatchIds`]: outputList.map(([id]) => id),
    ...hashField("documentHash", row.documentHash),
    ...ledgerFields(context, { ...row, counterparty: null }),
  };
}

/**
 * EPCIS events for the chain events behind `rows`, oldest first, one per chain log (a split or a
 * transformation is one event however many of its batches are exported). `related` rows only
 * complete transformations that `rows` already include (the other side of their inputs/outputs).
 */
export function toEpcisEvents(
  rows: readonly TraceEventRow[],
  context: MappingContext,
  related: readonly TraceEventRow[] = [],
): EpcisEvent[] {
  const groups = new Map<string, TraceEventRow[]>();
  for (const row of rows) {
    const key = logKey(row);
    const group = groups.get(key);
    if (!group) groups.set(key, [row]);
    else if (!group.some((r) => r.batchId === row.batchId && r.type === row.type)) group.push(row);
  }
  for (const row of related) {
    const group = groups.get(logKey(row));
    if (group && !group.some((r) => r.batchId === row.batchId && r.type === row.type)) group.push(row);
  }
  return [...groups.values()]
    .sort(([a], [b]) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex)
    .map((group) => {
      const type = group[0].type;
      if (type === "transformed_input" || type === "transformed_output") return transformationEvent(context, group);
      if (type === "split") return splitEvent(context, group);
      return singleRowEvent(context, group[0]);
    });
}

export function toEpcisDocument(events: EpcisEvent[], creationDate: Date): EpcisDocument {
  return {
    "@context": [EPCIS_CONTEXT_URL, { [EXT]: TRACEFIN_EPCIS_NAMESPACE }],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: creationDate.toISOString(),
    epcisBody: { eventList: events },
  };
}
