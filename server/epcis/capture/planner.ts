import type { FieldProblem } from "../../errors";
import { buildMerkleTree, canonicalJson, leafOf } from "../../../shared/merkle";
import { encodeUnit } from "../../../shared/trade-codes";
import type { BatchStatus } from "../../../shared/db/schema";
import type { CapturedEvent, ClassRef, Intent } from "./document";

/**
 * Turns captured events into ProvenanceLedger calls for one member, in document order, resolving
 * each lot (GTIN + lot) to the batch it means. Pure: it works on a snapshot of the batches the
 * document names and plays every call forward on it, so a later event finds what an earlier one
 * made (a lot commissioned, then shipped). New batch ids are predicted from `nextBatchId`: the
 * ledger numbers batches consecutively, and the caller plans against the chain's pending state
 * (see `observable` for what that allows).
 */

export interface BatchState {
  id: number;
  gtin: string;
  lot: string;
  unit: string;
  quantity: bigint;
  producer: string;
  custodian: string;
  pendingRecipient: string | null;
  status: BatchStatus;
  originRegion: number;
}

export interface LedgerSnapshot {
  /** Registered products (GTIN-14) among those the document names. */
  products: ReadonlySet<string>;
  /** Every batch of the lots the document names, and of its tracefin:batchId hints. */
  batches: readonly BatchState[];
}

/** One ProvenanceLedger call, its arguments by ABI name (as POST /api/v1/writes takes them). */
export interface PlannedCall {
  /** JSON pointer of the event the call comes from. */
  pointer: string;
  function: string;
  args: Record<string, unknown>;
}

export interface EventOutcome {
  pointer: string;
  eventID: string | null;
  type: string;
  /** The ledger operation: commission, ship, receiveShipment, ..., recordReading, anchor, or none (picking). */
  recordedAs: string;
  /** Batches the event applied to, existing or new. */
  batchIds: number[];
  /** Batches the event created (commissioned lots, transformation outputs, the part split off for a shipment). */
  createdBatchIds: number[];
  /** Observations naming no lot: anchored as a Merkle leaf (keccak256(keccak256(canonical JSON))) with its proof. */
  anchor?: { root: string; leaf: string; proof: string[] };
  /** Top-level fields of the event the ledger does not keep. */
  notKept: string[];
}

export interface CapturePlan {
  calls: PlannedCall[];
  outcomes: EventOutcome[];
  problems: FieldProblem[];
}

type Purpose = "held" | "incoming" | "outgoing" | "holdable" | "onHold" | "recallable" | "any";

const PURPOSES: Record<Purpose, { describe: string; fits(batch: BatchState, caller: string): boolean }> = {
  held: { describe: "held by you and active", fits: (b, caller) => b.custodian === caller && b.status === "active" },
  incoming: { describe: "in transit to you", fits: (b, caller) => b.status === "in_transit" && b.pendingRecipient === caller },
  outgoing: { describe: "shipped by you and in transit", fits: (b, caller) => b.status === "in_transit" && b.custodian === caller },
  holdable: { describe: "active", fits: (b) => b.status === "active" },
  onHold: { describe: "on hold", fits: (b) => b.status === "on_hold" },
  // A retired batch can still be recalled: goods sold to consumers are what a recall is for.
  recallable: { describe: "neither recalled nor consumed", fits: (b) => b.status !== "recalled" && b.status !== "consumed" },
  any: { describe: "on the ledger", fits: () => true },
};

export function planCapture(events: readonly CapturedEvent[], caller: string, snapshot: LedgerSnapshot, nextBatchId: number): CapturePlan {
  const batches = new Map(snapshot.batches.map((batch) => [batch.id, { ...batch }]));
  const calls: PlannedCall[] = [];
  const outcomes: EventOutcome[] = [];
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => void problems.push({ field, message });
  const anchored: { outcome: EventOutcome; leaf: string }[] = [];
  let nextId = nextBatchId;
  let openPick: { event: CapturedEvent; item: ClassRef & { quantity: number }; outcome: EventOutcome } | undefined;

  /** Batches this document creates, and the event that creates each. */
  const createdBy = new Map<number, string>();
  const create = (event: CapturedEvent, fields: Omit<BatchState, "id">): BatchState => {
    const batch = { id: nextId++, ...fields };
    batches.set(batch.id, batch);
    createdBy.set(batch.id, event.pointer);
    return batch;
  };

  /** A call that takes part of a batch (ship, retire) splits it, as the contract does: the part is a new batch. */
  const partOf = (event: CapturedEvent, batch: BatchState, quantity: bigint, outcome: EventOutcome): BatchState => {
    if (quantity >= batch.quantity) return batch;
    batch.quantity -= quantity;
    const { gtin, lot, unit, producer, custodian, originRegion } = batch;
    const part = create(event, { gtin, lot, unit, producer, custodian, originRegion, quantity, pendingRecipient: null, status: "active" });
    outcome.createdBatchIds.push(part.id);
    return part;
  };

  /**
   * A reading or inspection names its batch by id and is checked only for the batch existing. The id
   * of a batch this document creates is a prediction: should another member's batch be mined first,
   * the ids shift, and the reading would land on that member's batch. Calls that change custody are
   * safe (the contract checks the caller holds or produced the batch: a shifted id reverts the whole
   * document); these are not, so they wait for a later document, when the id is on the ledger.
   */
  const observable = (event: CapturedEvent, ref: ClassRef, batch: BatchState): boolean => {
    const creator = createdBy.get(batch.id);
    if (creator === undefined) return true;
    problem(
      ref.pointer + "/epcClass",
      `names batch ${batch.id}, which event ${creator} creates in this document: an observation or inspection is tied to a batch only once its id is on the ledger; capture it in a later document`,
    );
    return false;
  };

  const knownProduct = (ref: ClassRef): boolean => {
    if (snapshot.products.has(ref.gtin)) return true;
    problem(ref.pointer + "/epcClass", `GTIN ${ref.gtin} is not a product registered on the ledger (register it first)`);
    return false;
  };

  /** The one batch of the lot `ref` names that fits `purpose` (or the one tracefin:batchId names). */
  function resolve(event: CapturedEvent, ref: ClassRef, purpose: Purpose): BatchState | undefined {
    if (!knownProduct(ref)) return undefined;
    const lotText = ref.lot === "" ? "without a lot" : `"${ref.lot}"`;
    const ofClass = [...batches.values()].filter((b) => b.gtin === ref.gtin && b.lot === ref.lot);
    let batch: BatchState | undefined;
    if (event.batchHint !== undefined) {
      const { id, pointer } = event.batchHint;
      batch = ofClass.find((b) => b.id === id);
      if (!batch) problem(pointer, `batch ${id} is not of lot ${lotText} of GTIN ${ref.gtin}`);
    } else {
      const { describe, fits } = PURPOSES[purpose];
      let candidates = ofClass.filter((b) => fits(b, caller));
      // Several of the lot (a split, a lot made twice): the caller's own is the one it speaks of.
      if (candidates.length > 1) {
        const own = candidates.filter((b) => b.custodian === caller || b.pendingRecipient === caller || b.producer === caller);
        if (own.length > 0) candidates = own;
      }
      if (candidates.length === 1) batch = candidates[0];
      else if (candidates.length === 0) problem(ref.pointer + "/epcClass", `no batch of lot ${lotText} of GTIN ${ref.gtin} is ${describe}`);
      else {
        const ids = candidates.map((b) => b.id).join(", ");
        problem(ref.pointer + "/epcClass", `batches ${ids} are all lot ${lotText} of GTIN ${ref.gtin} and ${describe}: name one with tracefin:batchId`);
      }
    }
    if (batch && ref.uom !== undefined && ref.uom !== batch.unit) {
      problem(ref.pointer + "/uom", `batch ${batch.id} is kept in ${batch.unit}, not ${ref.uom}`);
      return undefined;
    }
    return batch;
  }

  const call = (event: CapturedEvent, fn: string, args: Record<string, unknown>) => calls.push({ pointer: event.pointer, function: fn, args });

  for (const event of events) {
    const outcome: EventOutcome = {
      pointer: event.pointer,
      eventID: event.eventID ?? null,
      type: event.type,
      recordedAs: "",
      batchIds: [],
      createdBatchIds: [],
      notKept: event.notKept,
    };
    outcomes.push(outcome);
    const intent = event.intent;
    if (openPick && intent.kind !== "ship") {
      problem(openPick.event.pointer + "/bizStep", "picking is recorded only with the shipment it fills: follow it with the shipping event of the same lot and quantity");
      openPick = undefined;
    }
    apply(event, intent, outcome);
  }
  if (openPick) problem(openPick.event.pointer + "/bizStep", "picking is recorded only with the shipment it fills: follow it with the shipping event of the same lot and quantity");

  if (anchored.length > 0) {
    const tree = buildMerkleTree(anchored.map((a) => a.leaf));
    anchored.forEach(({ outcome, leaf }, i) => (outcome.anchor = { root: tree.root, leaf, proof: tree.proof(i) }));
    calls.push({
      pointer: anchored[0].outcome.pointer,
      function: "anchor",
      args: { root: tree.root, eventCount: anchored.length, uri: "" },
    });
  }
  return { calls, outcomes, problems };

  function apply(event: CapturedEvent, intent: Intent, outcome: EventOutcome): void {
    outcome.recordedAs = intent.kind === "pick" ? "none" : intent.kind === "receive" ? "receiveShipment" : intent.kind === "reject" ? "rejectShipment" : intent.kind;
    switch (intent.kind) {
      case "commission": {
        if (!knownProduct(intent.item)) return;
        const batch = create(event, {
          gtin: intent.item.gtin,
          lot: intent.item.lot,
          unit: intent.item.uom,
          quantity: BigInt(intent.item.quantity),
          producer: caller,
          custodian: caller,
          pendingRecipient: null,
          status: "active",
          originRegion: intent.originRegion,
        });
        outcome.batchIds.push(batch.id);
        outcome.createdBatchIds.push(batch.id);
        call(event, "commission", {
          gtin: BigInt(intent.item.gtin).toString(),
          lot: intent.item.lot,
          quantity: intent.item.quantity,
          unit: encodeUnit(intent.item.uom),
          originRegion: intent.originRegion,
          producedAt: intent.producedAt,
          documentHash: intent.documentHash,
        });
        return;
      }
      case "pick":
        openPick = { event, item: intent.item, outcome };
        return;
      case "ship": {
        const pick = openPick;
        openPick = undefined;
        if (pick && (pick.item.gtin !== intent.item.gtin || pick.item.lot !== intent.item.lot || pick.item.quantity !== intent.item.quantity)) {
          problem(pick.event.pointer + "/quantityList/0", "is not the lot and quantity the following shipping event ships");
        }
        if (intent.from !== undefined && intent.from !== caller) problem(event.pointer + "/sourceList", `the shipper must be you (${caller}): you sign the shipment`);
        const batch = resolve(event, intent.item, "held");
        if (!batch) return;
        call(event, "ship", { batchId: batch.id, to: intent.to, quantity: intent.item.quantity, carrier: intent.carrier, documentHash: intent.documentHash });
        const shipped = partOf(event, batch, BigInt(intent.item.quantity), outcome);
        if (shipped !== batch && pick) pick.outcome.createdBatchIds.push(shipped.id);
        shipped.status = "in_transit";
        shipped.pendingRecipient = intent.to;
        outcome.batchIds.push(shipped.id);
        if (pick) {
          pick.outcome.recordedAs = `part of the shipment at ${event.pointer}`;
          pick.outcome.batchIds.push(batch.id);
        }
        return;
      }
      case "receive": {
        const batch = resolve(event, intent.item, "incoming");
        if (!batch) return;
        if (intent.from !== undefined && intent.from !== batch.custodian) {
          problem(event.pointer + "/sourceList", `batch ${batch.id} was shipped by ${batch.custodian}, not ${intent.from}`);
        }
        if (intent.item.quantity !== undefined && BigInt(intent.item.quantity) !== batch.quantity) {
          problem(intent.item.pointer + "/quantity", `batch ${batch.id} in transit holds ${batch.quantity} ${batch.unit}: a shipment is received whole`);
        }
        call(event, "receiveShipment", { batchId: batch.id });
        Object.assign(batch, { custodian: caller, pendingRecipient: null, status: "active" });
        outcome.batchIds.push(batch.id);
        return;
      }
      case "reject":
      case "cancelShipment": {
        const batch = resolve(event, intent.item, intent.kind === "reject" ? "incoming" : "outgoing");
        if (!batch) return;
        call(event, intent.kind === "reject" ? "rejectShipment" : "cancelShipment", { batchId: batch.id, reasonHash: intent.reasonHash });
        Object.assign(batch, { pendingRecipient: null, status: "active" });
        outcome.batchIds.push(batch.id);
        return;
      }
      case "inspect":
        for (const item of intent.items) {
          const batch = resolve(event, item, "any");
          if (!batch || !observable(event, item, batch)) continue;
          call(event, "recordInspection", { batchId: batch.id, passed: intent.passed, certificateHash: intent.certificateHash });
          outcome.batchIds.push(batch.id);
        }
        return;
      case "hold":
      case "releaseHold":
      case "recall":
        for (const item of intent.items) {
          const batch = resolve(event, item, intent.kind === "hold" ? "holdable" : intent.kind === "releaseHold" ? "onHold" : "recallable");
          if (!batch) continue;
          call(event, intent.kind, { batchId: batch.id, reasonHash: intent.reasonHash });
          batch.status = intent.kind === "hold" ? "on_hold" : intent.kind === "recall" ? "recalled" : "active";
          outcome.batchIds.push(batch.id);
        }
        return;
      case "retire": {
        // The caller's active batch of the lot (tracefin:batchId may name another: the contract then refuses it).
        const batch = resolve(event, intent.item, "held");
        if (!batch) return;
        call(event, "retire", { batchId: batch.id, quantity: intent.item.quantity, reasonHash: intent.reasonHash });
        const retired = partOf(event, batch, BigInt(intent.item.quantity), outcome);
        retired.status = "retired";
        outcome.batchIds.push(retired.id);
        return;
      }
      case "observe":
        if (intent.items.length === 0) {
          outcome.recordedAs = "anchor";
          anchored.push({ outcome, leaf: leafOf(canonicalJson(event.raw)) });
          return;
        }
        outcome.recordedAs = "recordReading";
        for (const item of intent.items) {
          const batch = resolve(event, item, "any");
          if (!batch || outcome.batchIds.includes(batch.id) || !observable(event, item, batch)) continue;
          call(event, "recordReading", { batchId: batch.id, readingHash: intent.readingHash });
          outcome.batchIds.push(batch.id);
        }
        return;
      case "transform": {
        const inputs = intent.inputs.map((item) => ({ item, batch: resolve(event, item, "held") }));
        const regions = new Set(inputs.map(({ batch }) => batch?.originRegion));
        let originRegion = intent.originRegion;
        if (originRegion === undefined) {
          // The outputs come from where their inputs came from, when that is one region.
          if (regions.size === 1 && !regions.has(undefined)) originRegion = [...regions][0];
          else if (inputs.every(({ batch }) => batch)) {
            problem(event.pointer + "/ilmd", "must give tracefin:originRegion: the inputs come from different regions");
          }
        }
        const outputsKnown = intent.outputs.map(knownProduct).every(Boolean);
        if (!outputsKnown || originRegion === undefined || inputs.some(({ batch }) => !batch)) return;
        call(event, "transform", {
          inputs: inputs.map(({ item, batch }) => ({ batchId: batch!.id, quantity: item.quantity })),
          outputs: intent.outputs.map((output) => ({
            gtin: BigInt(output.gtin).toString(),
            quantity: output.quantity,
            unit: encodeUnit(output.uom),
            originRegion,
            lot: output.lot,
          })),
          documentHash: intent.documentHash,
        });
        for (const { item, batch } of inputs) {
          batch!.quantity -= BigInt(item.quantity);
          if (batch!.quantity <= 0n) batch!.status = "consumed";
          outcome.batchIds.push(batch!.id);
        }
        for (const output of intent.outputs) {
          const made = create(event, {
            gtin: output.gtin,
            lot: output.lot,
            unit: output.uom,
            quantity: BigInt(output.quantity),
            producer: caller,
            custodian: caller,
            pendingRecipient: null,
            status: "active",
            originRegion: originRegion!,
          });
          outcome.batchIds.push(made.id);
          outcome.createdBatchIds.push(made.id);
        }
        return;
      }
    }
  }
}
