import type { LienRegistry, MemberRegistry, ProvenanceLedger, Receivables, WarehouseReceipt } from "../typechain-types";
import type { ContractName } from "../shared/chain/contracts";
import { formatGtin, formatUnit } from "../shared/trade-codes";
import type { TraceEventType } from "../shared/db/schema";
import {
  address, hex, ignoredEvent, int, uint, type EventHandler, type EventNames, type HandlerContext,
} from "./handler-support";
import { lienHandlers } from "./lien-handlers";
import { receiptHandlers } from "./receipt-handlers";
import { receivableHandlers } from "./receivable-handlers";
import type { BatchRow } from "./working-set";

/** Exhaustive: an event added to a contract without a handler here is a type error. */
type HandlerMap = {
  MemberRegistry: Record<EventNames<MemberRegistry>, EventHandler>;
  ProvenanceLedger: Record<EventNames<ProvenanceLedger>, EventHandler>;
  WarehouseReceipt: Record<EventNames<WarehouseReceipt>, EventHandler>;
  LienRegistry: Record<EventNames<LienRegistry>, EventHandler>;
  Receivables: Record<EventNames<Receivables>, EventHandler>;
};

const batchKey = (value: unknown) => String(value as bigint);

const MEMBER_STATUS_AFTER = {
  MemberSuspended: "suspended",
  MemberReinstated: "active",
  MemberRevoked: "revoked",
} as const;

function memberStatusChange(event: keyof typeof MEMBER_STATUS_AFTER): EventHandler {
  return {
    touches: (args, touches) => touches.members.add(address(args.account)),
    apply: ({ set, at }, args) =>
      set.update("members", address(args.account), at.blockNumber, {
        status: MEMBER_STATUS_AFTER[event],
        updatedBlock: at.blockNumber,
      }),
  };
}

/** Records one timeline row for `batchId`. */
function trace(
  { set, at }: HandlerContext,
  batchId: number,
  type: TraceEventType,
  actor: string,
  fields: { counterparty?: string; quantity?: string; documentHash?: string; details?: Record<string, unknown> } = {},
): void {
  // Named fields, not `...at`: spreading into this wide literal was the handlers' main cost.
  set.traceEvents.push({
    blockNumber: at.blockNumber,
    blockHash: at.blockHash,
    txHash: at.txHash,
    logIndex: at.logIndex,
    blockTime: at.blockTime,
    batchId,
    type,
    actor,
    counterparty: fields.counterparty ?? null,
    quantity: fields.quantity ?? null,
    documentHash: fields.documentHash ?? null,
    details: fields.details ?? {},
  });
}

function setBatchStatus(
  type: TraceEventType,
  status: BatchRow["status"],
  extra: (row: BatchRow) => Partial<BatchRow> = () => ({}),
): EventHandler {
  return {
    touches: (args, touches) => touches.batches.add(int(args.batchId)),
    apply: (context, args) => {
      const key = batchKey(args.batchId);
      const row = context.set.get("batches", key);
      context.set.update("batches", key, context.at.blockNumber, {
        status,
        updatedBlock: context.at.blockNumber,
        ...extra(row),
      });
      trace(context, int(args.batchId), type, address(args.by), { details: { reasonHash: hex(args.reasonHash) } });
    },
  };
}

/**
 * A shipment ends and the batch is active again: received (custody moves to the recipient),
 * rejected by the recipient or called back by the shipper (custody stays with the shipper).
 */
function shipmentClosed(type: "received" | "rejected" | "shipment_cancelled", actedBy: "from" | "to"): EventHandler {
  const other = actedBy === "to" ? "from" : "to";
  return {
    touches: (args, touches) => touches.batches.add(int(args.batchId)),
    apply: (context, args) => {
      const row = context.set.update("batches", batchKey(args.batchId), context.at.blockNumber, {
        status: "active",
        pendingRecipient: null,
        updatedBlock: context.at.blockNumber,
        ...(type === "received" && { custodian: address(args.to) }),
      });
      trace(context, int(args.batchId), type, address(args[actedBy]), {
        counterparty: address(args[other]),
        ...(type === "received" ? { quantity: row.quantity } : { details: { reasonHash: hex(args.reasonHash) } }),
      });
    },
  };
}

export const handlers: HandlerMap = {
  MemberRegistry: {
    MemberAdmitted: {
      apply: ({ set, at }, args) => {
        const account = address(args.account);
        set.put(
          "members",
          account,
          {
            address: account,
            roles: int(args.roles),
            status: "active",
            creditCodeHash: hex(args.creditCodeHash),
            name: args.name as string,
            metadataUri: args.metadataURI as string,
            metadataHash: hex(args.metadataHash),
            admittedAt: at.blockTime,
            admittedBlock: at.blockNumber,
            updatedBlock: at.blockNumber,
          },
          at.blockNumber,
        );
      },
    },
    MemberRolesChanged: {
      touches: (args, touches) => touches.members.add(address(args.account)),
      apply: ({ set, at }, args) =>
        set.update("members", address(args.account), at.blockNumber, {
          roles: int(args.newRoles),
          updatedBlock: at.blockNumber,
        }),
    },
    MemberProfileUpdated: {
      touches: (args, touches) => touches.members.add(address(args.account)),
      apply: ({ set, at }, args) =>
        set.update("members", address(args.account), at.blockNumber, {
          name: args.name as string,
          metadataUri: args.metadataURI as string,
          metadataHash: hex(args.metadataHash),
          updatedBlock: at.blockNumber,
        }),
    },
    MemberSuspended: memberStatusChange("MemberSuspended"),
    MemberReinstated: memberStatusChange("MemberReinstated"),
    MemberRevoked: memberStatusChange("MemberRevoked"),
    OwnershipTransferStarted: ignoredEvent,
    OwnershipTransferred: ignoredEvent,
  },
  ProvenanceLedger: {
    ProductRegistered: {
      apply: ({ set, at }, args) => {
        const gtin = formatGtin(args.gtin as bigint);
        set.put(
          "products",
          gtin,
          {
            gtin,
            registrant: address(args.registrant),
            hsCode: args.hsCode as string,
            name: args.name as string,
            uri: args.uri as string,
            registeredAt: at.blockTime,
            registeredBlock: at.blockNumber,
            txHash: at.txHash,
          },
          at.blockNumber,
        );
      },
    },
    BatchCommissioned: {
      apply: (context, args) => {
        const { set, at } = context;
        const id = int(args.batchId);
        const producer = address(args.producer);
        const transformationId = int(args.transformationId);
        set.put(
          "batches",
          String(id),
          {
            id,
            gtin: formatGtin(args.gtin as bigint),
            producer,
            custodian: producer,
            pendingRecipient: null,
            quantity: uint(args.quantity),
            initialQuantity: uint(args.quantity),
            unit: formatUnit(args.unit as string),
            originRegion: int(args.originRegion),
            producedAt: int(args.producedAt),
            lot: args.lot as string,
            documentHash: hex(args.documentHash),
            status: "active",
            parentId: null,
            transformationId: transformationId === 0 ? null : transformationId,
            createdBlock: at.blockNumber,
            createdTx: at.txHash,
            updatedBlock: at.blockNumber,
          },
          at.blockNumber,
        );
        // A transformation output's timeline entry comes from BatchesTransformed, which names its inputs.
        if (transformationId === 0) {
          trace(context, id, "commissioned", producer, {
            quantity: uint(args.quantity),
            documentHash: hex(args.documentHash),
            details: { lot: args.lot, originRegion: int(args.originRegion), producedAt: int(args.producedAt) },
          });
        }
      },
    },
    BatchSplit: {
      touches: (args, touches) => touches.batches.add(int(args.parentId)),
      apply: (context, args) => {
        const { set, at } = context;
        const parentId = int(args.parentId);
        const childId = int(args.childId);
        const quantity = args.quantity as bigint;
        const parent = set.get("batches", String(parentId));
        set.update("batches", String(parentId), at.blockNumber, {
          quantity: (BigInt(parent.quantity) - quantity).toString(),
          updatedBlock: at.blockNumber,
        });
        set.put(
          "batches",
          String(childId),
          {
            ...parent,
            id: childId,
            quantity: quantity.toString(),
            initialQuantity: quantity.toString(),
            status: "active",
            pendingRecipient: null,
            parentId,
            transformationId: null,
            createdBlock: at.blockNumber,
            createdTx: at.txHash,
            updatedBlock: at.blockNumber,
          },
          at.blockNumber,
        );
        set.lineageEdges.push({
          fromBatchId: parentId,
          toBatchId: childId,
          kind: "split",
          quantity: quantity.toString(),
          transformationId: null,
          blockNumber: at.blockNumber,
          txHash: at.txHash,
          logIndex: at.logIndex,
        });
        trace(context, parentId, "split", parent.custodian, { quantity: quantity.toString(), details: { childId } });
        trace(context, childId, "split", parent.custodian, { quantity: quantity.toString(), details: { parentId } });
      },
    },
    BatchShipped: {
      touches: (args, touches) => touches.batches.add(int(args.batchId)),
      apply: (context, args) => {
        context.set.update("batches", batchKey(args.batchId), context.at.blockNumber, {
          status: "in_transit",
          pendingRecipient: address(args.to),
          updatedBlock: context.at.blockNumber,
        });
        trace(context, int(args.batchId), "shipped", address(args.from), {
          counterparty: address(args.to),
          quantity: uint(args.quantity),
          documentHash: hex(args.documentHash),
          details: { carrier: address(args.carrier) },
        });
      },
    },
    BatchReceived: shipmentClosed("received", "to"),
    ShipmentRejected: shipmentClosed("rejected", "to"),
    ShipmentCancelled: shipmentClosed("shipment_cancelled", "from"),
    InspectionRecorded: {
      apply: (context, args) =>
        trace(context, int(args.batchId), "inspected", address(args.inspector), {
          documentHash: hex(args.certificateHash),
          details: { passed: args.passed as boolean },
        }),
    },
    ReadingRecorded: {
      apply: (context, args) =>
        trace(context, int(args.batchId), "observed", address(args.reporter), { documentHash: hex(args.readingHash) }),
    },
    BatchesTransformed: {
      touches: (args, touches) => {
        for (const id of args.inputIds as bigint[]) touches.batches.add(Number(id));
      },
      apply: (context, args) => {
        const { set, at } = context;
        const transformationId = int(args.transformationId);
        const operator = address(args.operator);
        const documentHash = hex(args.documentHash);
        const inputs = (args.inputIds as bigint[]).map((id, i) => ({
          batchId: Number(id),
          quantity: (args.inputQuantities as bigint[])[i],
        }));
        const outputIds = (args.outputIds as bigint[]).map(Number);
        const inputDetails = inputs.map((input) => ({ batchId: input.batchId, quantity: input.quantity.toString() }));

        for (const input of inputs) {
          const row = set.get("batches", String(input.batchId));
          const remaining = BigInt(row.quantity) - input.quantity;
          set.update("batches", String(input.batchId), at.blockNumber, {
            quantity: remaining.toString(),
            status: remaining === 0n ? "consumed" : row.status,
            updatedBlock: at.blockNumber,
          });
          trace(context, input.batchId, "transformed_input", operator, {
            quantity: input.quantity.toString(),
            documentHash,
            details: { transformationId, outputs: outputIds },
          });
          for (const outputId of outputIds) {
            set.lineageEdges.push({
              fromBatchId: input.batchId,
              toBatchId: outputId,
              kind: "transformation",
              quantity: input.quantity.toString(),
              transformationId,
              blockNumber: at.blockNumber,
              txHash: at.txHash,
              logIndex: at.logIndex,
            });
          }
        }
        for (const outputId of outputIds) {
          trace(context, outputId, "transformed_output", operator, {
            quantity: set.get("batches", String(outputId)).initialQuantity,
            documentHash,
            details: { transformationId, inputs: inputDetails },
          });
        }
      },
    },
    HoldPlaced: setBatchStatus("held", "on_hold"),
    HoldReleased: setBatchStatus("hold_released", "active"),
    RecallIssued: setBatchStatus("recalled", "recalled", () => ({ pendingRecipient: null })),
    BatchRetired: {
      touches: (args, touches) => touches.batches.add(int(args.batchId)),
      apply: (context, args) => {
        context.set.update("batches", batchKey(args.batchId), context.at.blockNumber, {
          status: "retired",
          updatedBlock: context.at.blockNumber,
        });
        trace(context, int(args.batchId), "retired", address(args.by), {
          quantity: uint(args.quantity),
          details: { reasonHash: hex(args.reasonHash) },
        });
      },
    },
    RootAnchored: {
      apply: ({ set, at }, args) => {
        set.anchors.push({
          root: hex(args.root),
          submitter: address(args.submitter),
          eventCount: int(args.eventCount),
          uri: args.uri as string,
          ...at,
        });
      },
    },
  },
  WarehouseReceipt: receiptHandlers,
  LienRegistry: lienHandlers,
  Receivables: receivableHandlers,
};

export function handlerFor(contract: ContractName, name: string): EventHandler {
  const handler = (handlers[contract] as Record<string, EventHandler>)[name];
  if (!handler) throw new Error(`No handler for ${contract}.${name}`);
  return handler;
}
