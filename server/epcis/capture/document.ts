import { canonicalJson } from "../../../shared/merkle";
import { sha256Hex } from "../../../shared/hashing";
import type { FieldProblem } from "../../errors";
import { TRACEFIN_EPCIS_NAMESPACE } from "../epcis.mapper";
import { parseDocumentUri, parseItemId, parsePartyUri } from "./identifiers";

/**
 * Reads an EPCIS 2.0 EPCISDocument (JSON-LD, as JSON) into typed events, each saying which ledger
 * operation it means (the inverse of epcis.mapper.ts). Every problem is collected with the JSON
 * pointer (RFC 6901) of the offending value, so a client fixes a document in one round.
 * Pure: knows nothing of the ledger's state (that is the planner's job).
 */

/** A trade-item class with what the event says of its quantity. */
export interface ClassRef {
  pointer: string;
  gtin: string;
  lot: string;
  quantity?: number;
  uom?: string;
}

/** What an event asks of the ledger. */
export type Intent =
  | { kind: "commission"; item: ClassRef & { quantity: number; uom: string }; originRegion: number; producedAt: number; documentHash: string }
  | { kind: "pick"; item: ClassRef & { quantity: number } }
  | { kind: "ship"; item: ClassRef & { quantity: number }; to: string; from?: string; carrier: string; documentHash: string }
  | { kind: "receive"; item: ClassRef; from?: string }
  | { kind: "reject" | "cancelShipment"; item: ClassRef; reasonHash: string }
  | { kind: "inspect"; items: ClassRef[]; passed: boolean; certificateHash: string }
  | { kind: "hold" | "releaseHold" | "recall"; items: ClassRef[]; reasonHash: string }
  /** ObjectEvent DELETE: the lot (all or part of a batch) leaves the supply chain for good. */
  | { kind: "retire"; item: ClassRef & { quantity: number }; reasonHash: string }
  /** No custody change: recorded as a reading of each batch named, or anchored when it names none. */
  | { kind: "observe"; items: ClassRef[]; readingHash: string }
  | {
      kind: "transform";
      inputs: (ClassRef & { quantity: number })[];
      outputs: (ClassRef & { quantity: number; uom: string })[];
      originRegion?: number;
      documentHash: string;
    };

export interface CapturedEvent {
  index: number;
  pointer: string;
  type: string;
  eventID?: string;
  /** UTC seconds. */
  eventTime: number;
  intent: Intent;
  /** `tracefin:batchId`: names the batch when a lot has several (as the export writes it), and where it is. */
  batchHint?: { id: number; pointer: string };
  /** Top-level fields the ledger does not keep for this kind of event (observations keep everything: their hash). */
  notKept: string[];
  /** The event as sent, for its hash. */
  raw: Record<string, unknown>;
}

export const MAX_EVENTS = 100;
/** The disposition the ledger's state has after an operation (the one the export writes). */
const DISPOSITION_KEPT: Partial<Record<Intent["kind"], string | undefined>> = {
  commission: "active",
  pick: undefined,
  ship: "in_transit",
  receive: "in_progress",
  reject: "returned",
  cancelShipment: "active",
  retire: "inactive",
};
/** bizSteps an ObjectEvent DELETE may have (or none): each takes the lot out of the supply chain. */
export const RETIRING_BIZ_STEPS = ["decommissioning", "destroying", "disposing", "retail_selling"] as const;
const ZERO_HASH = "0x" + "0".repeat(64);
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const UNIT = /^[A-Z0-9]{2,3}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const SUPPORTED_TYPES = ["ObjectEvent", "AggregationEvent", "TransformationEvent", "TransactionEvent"];

/** RFC 6901: `~` and `/` in a key are escaped. */
export const pointerTo = (...parts: (string | number)[]) =>
  parts.map((part) => "/" + String(part).replace(/~/g, "~0").replace(/\//g, "~1")).join("");

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** CBV values may be bare words, GS1 Web URIs or EPCIS 1.x URNs: all mean the same term. */
function cbvTerm(value: unknown, vocabulary: "BizStep" | "Disp" | "SDT" | "BTT"): string | undefined {
  if (typeof value !== "string") return undefined;
  const web = new RegExp(`^https://ref\\.gs1\\.org/cbv/${vocabulary}-([a-z_]+)$`).exec(value);
  if (web) return web[1];
  const urn = new RegExp(`^urn:epcglobal:cbv:${vocabulary.toLowerCase()}:([a-z_]+)$`).exec(value);
  if (urn) return urn[1];
  return value;
}

/** The prefix the document's @context gives TraceFin's namespace ("tracefin" unless it chose another). */
function extensionPrefix(context: unknown): string {
  for (const entry of Array.isArray(context) ? context : [context]) {
    if (!isObject(entry)) continue;
    for (const [prefix, iri] of Object.entries(entry)) if (iri === TRACEFIN_EPCIS_NAMESPACE) return prefix;
  }
  return "tracefin";
}

export function parseCaptureDocument(document: unknown, chainId: number): { events: CapturedEvent[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => void problems.push({ field, message });
  if (!isObject(document)) return { events: [], problems: [{ field: "", message: "must be an EPCISDocument object" }] };

  if (document.type !== "EPCISDocument") {
    problem("/type", `must be EPCISDocument${typeof document.type === "string" ? ` (a ${document.type} is not captured: send its events in an EPCISDocument)` : ""}`);
  }
  if (document.schemaVersion !== "2.0" && document.schemaVersion !== "2.0.0") problem("/schemaVersion", "must be 2.0");
  const contexts = Array.isArray(document["@context"]) ? document["@context"] : [document["@context"]];
  if (!contexts.some((c) => typeof c === "string" && /epcis-context\.jsonld$/.test(c))) {
    problem("/@context", "must include the GS1 EPCIS 2.0 context (https://ref.gs1.org/standards/epcis/epcis-context.jsonld)");
  }
  const body = document.epcisBody;
  const list = isObject(body) ? body.eventList : undefined;
  if (!Array.isArray(list) || list.length === 0) {
    problem("/epcisBody/eventList", "must be a non-empty array of events");
    return { events: [], problems };
  }
  if (list.length > MAX_EVENTS) {
    problem("/epcisBody/eventList", `has ${list.length} events; capture at most ${MAX_EVENTS} per document (they are applied in one transaction)`);
    return { events: [], problems };
  }
  const ext = extensionPrefix(document["@context"]);
  const events: CapturedEvent[] = [];
  list.forEach((event, index) => {
    const parsed = parseEvent(event, index, { chainId, ext, problem });
    if (parsed) events.push(parsed);
  });
  return { events, problems };
}

interface ParseContext {
  chainId: number;
  /** Prefix of TraceFin's extension fields in this document. */
  ext: string;
  problem(field: string, message: string): void;
}

function parseEvent(input: unknown, index: number, ctx: ParseContext): CapturedEvent | undefined {
  const base = pointerTo("epcisBody", "eventList", index);
  const at = (...parts: (string | number)[]) => base + pointerTo(...parts);
  /** Where this event's problems are. */
  const fields: string[] = [];
  const problem = (field: string, message: string) => {
    fields.push(field);
    ctx.problem(field, message);
  };
  /** One problem per value: a value already refused (a bad quantity) is not also reported missing. */
  const refusedUnder = (pointer: string) => fields.some((field) => field === pointer || field.startsWith(pointer + "/"));
  if (!isObject(input)) {
    problem(base, "must be an event object");
    return undefined;
  }
  const event: Record<string, unknown> = input;
  const extField = (name: string) => `${ctx.ext}:${name}`;
  const used = new Set(["type", "eventTime", "eventTimeZoneOffset", "eventID", "recordTime"]);
  const read = (field: string) => {
    used.add(field);
    return event[field];
  };

  const type = event.type;
  if (typeof type !== "string") problem(at("type"), `is required: one of ${SUPPORTED_TYPES.join(", ")}`);
  else if (type === "AssociationEvent") {
    problem(at("type"), "AssociationEvent is not supported: the ledger records no association of assets (sensors, returnable assets) with other objects");
  } else if (!SUPPORTED_TYPES.includes(type)) problem(at("type"), `is not an EPCIS event type TraceFin captures (${SUPPORTED_TYPES.join(", ")})`);

  const eventTime = parseTime(event.eventTime);
  if (eventTime === undefined) problem(at("eventTime"), "is required: an ISO 8601 date-time with a time zone (Z or ±hh:mm)");
  if (typeof event.eventTimeZoneOffset !== "string" || !/^[+-]\d{2}:\d{2}$/.test(event.eventTimeZoneOffset)) {
    problem(at("eventTimeZoneOffset"), "is required: ±hh:mm");
  }
  if ("errorDeclaration" in event) {
    problem(at("errorDeclaration"), "is not supported: the ledger is append-only; capture the corrective operation itself (e.g. a hold or recall)");
  }
  if (event[extField("txHash")] !== undefined) {
    problem(at(extField("txHash")), "says this event is on the ledger already (it comes from an export): it is not captured twice");
  }
  const eventID = typeof event.eventID === "string" ? event.eventID : undefined;
  let batchHint: CapturedEvent["batchHint"];
  const hint = read(extField("batchId"));
  if (hint !== undefined) {
    if (typeof hint === "number" && Number.isSafeInteger(hint) && hint > 0) batchHint = { id: hint, pointer: at(extField("batchId")) };
    else problem(at(extField("batchId")), "must be a batch id (a positive integer)");
  }

  /** A bytes32 extension field (tracefin:documentHash, ...), zero when absent. */
  const hashField = (name: string): string => {
    const value = read(extField(name));
    if (value === undefined) return ZERO_HASH;
    if (typeof value === "string" && BYTES32.test(value)) return value.toLowerCase();
    problem(at(extField(name)), "must be a 0x-prefixed SHA-256 (32 bytes of hex)");
    return ZERO_HASH;
  };
  const party = (field: string, value: unknown): string | undefined => {
    if (typeof value !== "string") {
      problem(field, "must be a party URI");
      return undefined;
    }
    const parsed = parsePartyUri(value, ctx.chainId);
    if ("message" in parsed) {
      problem(field, parsed.message);
      return undefined;
    }
    return parsed.address;
  };
  /** The possessing party of sourceList / destinationList (the ledger's custodians); other types are not kept. */
  const possessingParty = (listName: "sourceList" | "destinationList"): string | undefined => {
    const list = event[listName];
    if (list === undefined) return undefined;
    if (!Array.isArray(list)) {
      problem(at(listName), "must be an array");
      return undefined;
    }
    const key = listName === "sourceList" ? "source" : "destination";
    let found: string | undefined;
    list.forEach((entry, i) => {
      if (!isObject(entry) || cbvTerm(entry.type, "SDT") !== "possessing_party") return;
      used.add(listName);
      if (found !== undefined) problem(at(listName, i), "names a second possessing party; the ledger has one custodian");
      else found = party(at(listName, i, key), entry[key]);
    });
    return found;
  };

  /** Quantity elements of a list, as classes. */
  const quantities = (field: string, need: { quantity?: boolean; uom?: boolean }): ClassRef[] => {
    const value = read(field);
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      problem(at(field), "must be an array of quantity elements");
      return [];
    }
    const refs: ClassRef[] = [];
    value.forEach((element, i) => {
      const pointer = at(field, i);
      if (!isObject(element)) return problem(pointer, "must be a quantity element {epcClass, quantity, uom}");
      const id = typeof element.epcClass === "string" ? parseItemId(element.epcClass) : undefined;
      if (!id) return problem(pointer + "/epcClass", "is required");
      if (id.kind === "invalid") return problem(pointer + "/epcClass", id.message);
      if (id.kind !== "class") {
        return problem(pointer + "/epcClass", "must be a trade-item class (GTIN and lot): https://id.gs1.org/01/{gtin}/10/{lot} or urn:epc:class:lgtin");
      }
      const ref: ClassRef = { pointer, gtin: id.gtin, lot: id.lot };
      const { quantity, uom } = element;
      if (quantity !== undefined) {
        if (typeof quantity !== "number" || !Number.isSafeInteger(quantity) || quantity <= 0) {
          problem(pointer + "/quantity", "must be a positive whole number of the unit (the ledger keeps integer quantities)");
        } else ref.quantity = quantity;
        if (uom === undefined) problem(pointer + "/uom", "is required with a quantity: a UN/CEFACT unit code such as KGM, LTR or H87");
      } else if (need.quantity) problem(pointer + "/quantity", "is required here");
      if (uom !== undefined) {
        if (typeof uom !== "string" || !UNIT.test(uom)) problem(pointer + "/uom", "must be a UN/CEFACT unit code: 2-3 capital letters or digits (KGM, LTR, H87)");
        else ref.uom = uom;
      } else if (need.uom && quantity === undefined) problem(pointer + "/uom", "is required here");
      refs.push(ref);
    });
    return refs;
  };
  /** Instance-level lists: the ledger tracks lots, so serialised items cannot be mapped to a batch. */
  const instances = (field: string, otherKeysAllowed: boolean) => {
    const value = read(field);
    if (value === undefined) return;
    if (!Array.isArray(value)) return problem(at(field), "must be an array of EPCs");
    value.forEach((epc, i) => {
      const id = typeof epc === "string" ? parseItemId(epc) : ({ kind: "invalid", message: "must be a string" } as const);
      if (id.kind === "invalid") problem(at(field, i), id.message);
      else if (id.kind === "instance" || id.kind === "class") {
        problem(at(field, i), "is a serialised item; TraceFin tracks lots: name the lot as a class in a quantity list instead (https://id.gs1.org/01/{gtin}/10/{lot} or urn:epc:class:lgtin)");
      } else if (!otherKeysAllowed) problem(at(field, i), `is a ${id.scheme} key, which this event cannot apply to the ledger`);
    });
  };
  const oneItem = (refs: ClassRef[], field: string): ClassRef | undefined => {
    if (refs.length !== 1) {
      if (!refusedUnder(at(field))) problem(at(field), `must name exactly one lot (a quantity element), not ${refs.length}`);
      return undefined;
    }
    return refs[0];
  };
  const observation = (items: ClassRef[]): Intent => ({ kind: "observe", items, readingHash: "" });

  let intent: Intent | undefined;
  if (type === "ObjectEvent") {
    const action = read("action");
    const bizStep = cbvTerm(read("bizStep"), "BizStep");
    const disposition = cbvTerm(read("disposition"), "Disp");
    if (action !== "ADD" && action !== "OBSERVE" && action !== "DELETE") problem(at("action"), "must be ADD, OBSERVE or DELETE");
    const items = quantities("quantityList", {});
    if (action === "DELETE") {
      intent = retirement(bizStep, items);
    } else if (action === "ADD") {
      if (bizStep !== "commissioning") problem(at("bizStep"), "must be commissioning with action ADD (the only way a lot enters the ledger outside a transformation)");
      intent = commissioning(items, eventTime ?? 0);
    } else if (action === "OBSERVE") {
      intent = observeIntent(bizStep, disposition, items);
    }
    // Other GS1 keys (SSCC, GRAI...) may ride along in an observation; an operation applies to lots only.
    instances("epcList", intent?.kind === "observe");
    // The ledger's status after these operations is fixed (the export writes it back): another disposition is not kept.
    if (intent && intent.kind in DISPOSITION_KEPT && disposition !== DISPOSITION_KEPT[intent.kind]) used.delete("disposition");
  } else if (type === "TransformationEvent") {
    instances("inputEPCList", false);
    instances("outputEPCList", false);
    read("bizStep");
    if (cbvTerm(event.disposition, "Disp") === "active") read("disposition");
    const inputs = quantities("inputQuantityList", { quantity: true });
    const outputs = quantities("outputQuantityList", { quantity: true, uom: true });
    if (inputs.length === 0) problem(at("inputQuantityList"), "must name at least one input lot with its quantity");
    if (outputs.length === 0) problem(at("outputQuantityList"), "must name at least one output lot with its quantity");
    const region = read("ilmd");
    const originRegion = isObject(region) ? optionalRegion(region, at("ilmd", extField("originRegion"))) : undefined;
    intent = {
      kind: "transform",
      inputs: inputs as (ClassRef & { quantity: number })[],
      outputs: outputs as (ClassRef & { quantity: number; uom: string })[],
      originRegion,
      documentHash: hashField("documentHash"),
    };
  } else if (type === "AggregationEvent") {
    // Packing into or out of a container changes neither custody nor quantity on the ledger.
    instances("childEPCs", true);
    intent = observation(quantities("childQuantityList", {}));
  } else if (type === "TransactionEvent") {
    // Linking goods to a purchase order or invoice changes nothing the ledger tracks.
    instances("epcList", true);
    intent = observation(quantities("quantityList", {}));
  }
  if (intent?.kind === "observe") intent.readingHash = readingHash();
  /** A retirement without a stated reason keeps the whole event as its hash, as an observation does. */
  const keptWhole = intent?.kind === "observe" || (intent?.kind === "retire" && event[extField("reasonHash")] === undefined);
  if (intent?.kind === "retire") intent.reasonHash = retirementReason();
  if (fields.length > 0 || !intent || eventTime === undefined || typeof type !== "string") return undefined;
  const notKept = keptWhole ? [] : Object.keys(event).filter((key) => !used.has(key));
  return { index, pointer: base, type, eventID, eventTime, intent, batchHint, notKept, raw: event };

  function parseTime(value: unknown): number | undefined {
    if (typeof value !== "string" || !ISO_TIME.test(value)) return undefined;
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
  }

  function optionalRegion(ilmd: Record<string, unknown>, field: string): number | undefined {
    const value = ilmd[extField("originRegion")];
    if (value === undefined) return undefined;
    if (typeof value === "number" && Number.isInteger(value) && value > 0 && value < 2 ** 32) return value;
    problem(field, "must be the origin region's GB/T 2260 code (a positive integer)");
    return undefined;
  }

  /** An observation's hash: the one the event states (as the export writes it), else SHA-256 of the event's canonical JSON. */
  function readingHash(): string {
    return statedOrEventHash("readingHash");
  }

  /** A retirement's reason: `tracefin:reasonHash` if the event states it, else SHA-256 of the event's canonical JSON. */
  function retirementReason(): string {
    return statedOrEventHash("reasonHash");
  }

  function statedOrEventHash(name: string): string {
    const stated = event[extField(name)];
    used.add(extField(name));
    if (stated === undefined) return sha256Hex(canonicalJson(event));
    if (typeof stated === "string" && BYTES32.test(stated)) return stated.toLowerCase();
    problem(at(extField(name)), "must be a 0x-prefixed SHA-256 (32 bytes of hex)");
    return ZERO_HASH;
  }

  /**
   * ObjectEvent DELETE: decommissioning, destroying, disposing, retail_selling or no bizStep, of one
   * lot with its quantity. The ledger records the retirement (its export is decommissioning /
   * inactive); the bizStep and disposition sent are kept only inside the event's hash.
   */
  function retirement(bizStep: string | undefined, items: ClassRef[]): Intent | undefined {
    if (bizStep !== undefined && !(RETIRING_BIZ_STEPS as readonly string[]).includes(bizStep)) {
      problem(at("bizStep"), `must be one of ${RETIRING_BIZ_STEPS.join(", ")} (or absent) with action DELETE: the lot leaves the supply chain`);
    }
    if (bizStep !== "decommissioning" && bizStep !== undefined) used.delete("bizStep");
    const item = oneItem(items, "quantityList");
    if (item && item.quantity === undefined && !refusedUnder(item.pointer)) problem(item.pointer + "/quantity", "is required: how much of the lot is retired");
    if (!item || item.quantity === undefined) return undefined;
    return { kind: "retire", item: item as ClassRef & { quantity: number }, reasonHash: "" };
  }

  function commissioning(items: ClassRef[], time: number): Intent | undefined {
    const item = oneItem(items, "quantityList");
    if (item && item.quantity === undefined && !refusedUnder(item.pointer)) problem(item.pointer + "/quantity", "is required: how much of the lot was produced");
    const ilmd = read("ilmd");
    if (!isObject(ilmd)) {
      problem(at("ilmd"), `is required: ${extField("originRegion")} (GB/T 2260 code of the origin) must be given`);
      return undefined;
    }
    const originRegion = optionalRegion(ilmd, at("ilmd", extField("originRegion")));
    if (originRegion === undefined && ilmd[extField("originRegion")] === undefined) {
      problem(at("ilmd", extField("originRegion")), "is required: the GB/T 2260 code of the region the lot comes from");
    }
    const lotNumber = ilmd["cbvmda:lotNumber"];
    if (item && lotNumber !== undefined && lotNumber !== item.lot) problem(at("ilmd", "cbvmda:lotNumber"), `must equal the lot of the class (${item.lot})`);
    let producedAt = time;
    const produced = ilmd[extField("producedAt")];
    if (produced !== undefined) {
      const seconds = parseTime(produced);
      if (seconds === undefined) problem(at("ilmd", extField("producedAt")), "must be an ISO 8601 date-time with a time zone");
      else producedAt = seconds;
    }
    if (!item || item.quantity === undefined || !item.uom || originRegion === undefined) return undefined;
    return { kind: "commission", item: item as ClassRef & { quantity: number; uom: string }, originRegion, producedAt, documentHash: hashField("documentHash") };
  }

  function observeIntent(bizStep: string | undefined, disposition: string | undefined, items: ClassRef[]): Intent | undefined {
    const reasonHash = () => hashField("reasonHash");
    const withQuantity = (field: string): (ClassRef & { quantity: number }) | undefined => {
      const item = oneItem(items, field);
      if (item && item.quantity === undefined && !refusedUnder(item.pointer)) problem(item.pointer + "/quantity", "is required: how much of the lot");
      return item?.quantity === undefined ? undefined : (item as ClassRef & { quantity: number });
    };
    switch (bizStep) {
      case "shipping": {
        const item = withQuantity("quantityList");
        const to = possessingParty("destinationList");
        if (to === undefined && !refusedUnder(at("destinationList"))) {
          problem(at("destinationList"), "must name the recipient as a possessing_party (did:pkh:eip155:<chainId>:<address>)");
        }
        const from = possessingParty("sourceList");
        const carrierValue = read(extField("carrier"));
        const carrier = carrierValue === undefined ? "0x" + "0".repeat(40) : party(at(extField("carrier")), carrierValue);
        // The shipping notice: TraceFin writes it as a desadv ni: URI; tracefin:documentHash says the same.
        let documentHash = hashField("documentHash");
        const transactions = event.bizTransactionList;
        if (Array.isArray(transactions)) {
          transactions.forEach((t, i) => {
            if (!isObject(t) || cbvTerm(t.type, "BTT") !== "desadv" || typeof t.bizTransaction !== "string") return;
            const hash = parseDocumentUri(t.bizTransaction);
            if (!hash) return;
            used.add("bizTransactionList");
            if (documentHash !== ZERO_HASH && documentHash !== hash) problem(at("bizTransactionList", i), `names another document than ${extField("documentHash")}`);
            documentHash = hash;
          });
        }
        if (!item || !to || carrier === undefined) return undefined;
        return { kind: "ship", item, to, from, carrier, documentHash };
      }
      case "picking": {
        const item = withQuantity("quantityList");
        return item && { kind: "pick", item };
      }
      case "receiving": {
        const item = oneItem(items, "quantityList");
        const from = possessingParty("sourceList");
        possessingParty("destinationList");
        return item && { kind: "receive", item, from };
      }
      case "arriving":
        if (disposition === "returned") {
          const item = oneItem(items, "quantityList");
          return item && { kind: "reject", item, reasonHash: reasonHash() };
        }
        return observation(items);
      case "void_shipping": {
        const item = oneItem(items, "quantityList");
        possessingParty("sourceList");
        possessingParty("destinationList");
        return item && { kind: "cancelShipment", item, reasonHash: reasonHash() };
      }
      case "inspecting": {
        if (disposition !== "conformant" && disposition !== "non_conformant") return observation(items);
        let certificateHash = hashField("certificateHash");
        const certificate = read("certificationInfo");
        if (certificate !== undefined) {
          const hash = typeof certificate === "string" ? parseDocumentUri(certificate) : undefined;
          if (!hash) problem(at("certificationInfo"), "must be the certificate's ni:///sha-256;... URI (the ledger keeps its SHA-256)");
          else certificateHash = hash;
        }
        if (items.length === 0) problem(at("quantityList"), "must name the inspected lot(s)");
        return { kind: "inspect", items, passed: disposition === "conformant", certificateHash };
      }
      case "holding": {
        read("persistentDisposition");
        const kind = disposition === "non_sellable_other" ? "hold" : disposition === "available" ? "releaseHold" : disposition === "recalled" ? "recall" : undefined;
        if (!kind) {
          problem(at("disposition"), "must be non_sellable_other (hold), available (release the hold) or recalled with bizStep holding");
          return undefined;
        }
        if (items.length === 0) problem(at("quantityList"), "must name the lot(s)");
        return { kind, items, reasonHash: reasonHash() };
      }
      default:
        // sensor_reporting, storing, transporting, no bizStep...: nothing the ledger tracks changes. Kept as a reading.
        return observation(items);
    }
  }
}
