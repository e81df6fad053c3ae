import type { WarehouseReceipt } from "../typechain-types";
import type { ReceiptEventType } from "../shared/db/schema";
import { formatCurrency, formatUnit } from "../shared/trade-codes";
import {
  address, hex, ignoredEvent, int, optionalHash, optionalTime, uint, ZERO_ADDRESS,
  type EventHandler, type EventNames, type HandlerContext,
} from "./handler-support";
import type { ReceiptRow } from "./working-set";

const receiptKey = (value: unknown) => String(value as bigint);

/** Appends one history row for `receiptId`. */
function history(
  { set, at }: HandlerContext,
  receiptId: number,
  type: ReceiptEventType,
  fields: { actor?: string; counterparty?: string; quantity?: string; documentHash?: string | null; details?: Record<string, unknown> } = {},
): void {
  set.receiptEvents.push({
    ...at,
    receiptId,
    type,
    actor: fields.actor ?? null,
    counterparty: fields.counterparty ?? null,
    quantity: fields.quantity ?? null,
    documentHash: fields.documentHash ?? null,
    details: fields.details ?? {},
  });
}

/** Updates the receipt named by the event's `receiptId` and records one history row. */
function receiptChange(
  type: ReceiptEventType | ((args: Record<string, unknown>) => ReceiptEventType),
  change: (args: Record<string, unknown>, row: ReceiptRow, context: HandlerContext) => Partial<ReceiptRow>,
  describe: (args: Record<string, unknown>, row: ReceiptRow) => Parameters<typeof history>[3] = () => ({}),
): EventHandler {
  return {
    touches: (args, touches) => touches.receipts.add(int(args.receiptId)),
    apply: (context, args) => {
      const key = receiptKey(args.receiptId);
      const row = context.set.get("receipts", key);
      context.set.update("receipts", key, context.at.blockNumber, {
        ...change(args, row, context),
        updatedBlock: context.at.blockNumber,
      });
      history(context, row.id, typeof type === "function" ? type(args) : type, describe(args, row));
    },
  };
}

/** Insurance as stored: all null when the goods are not insured (zero value). */
function insurance(value: unknown, currency: unknown, policyHash: unknown) {
  const insured = (value as bigint) !== 0n;
  return {
    insuredValue: insured ? uint(value) : null,
    insuranceCurrency: insured ? formatCurrency(currency as string) : null,
    policyHash: insured ? optionalHash(policyHash) : null,
  };
}

export const receiptHandlers: Record<EventNames<WarehouseReceipt>, EventHandler> = {
  ReceiptIssued: {
    apply: (context, args) => {
      const { set, at } = context;
      const id = int(args.receiptId);
      const warehouse = address(args.warehouse);
      const holder = address(args.holder);
      const row: ReceiptRow = {
        id,
        batchId: int(args.batchId),
        warehouse,
        holder,
        quantity: uint(args.quantity),
        unit: formatUnit(args.unit as string),
        location: args.location as string,
        issuedAt: at.blockTime,
        expiresAt: optionalTime(args.expiresAt),
        ...insurance(args.insuredValue, args.insuranceCurrency, args.policyHash),
        documentHash: hex(args.documentHash),
        status: "live",
        pledged: false,
        frozen: false,
        redemptionRequested: false,
        splitFrom: null,
        lastAttestedAt: null,
        lastAttestationHash: null,
        createdBlock: at.blockNumber,
        createdTx: at.txHash,
        updatedBlock: at.blockNumber,
      };
      set.put("receipts", String(id), row, at.blockNumber);
      history(context, id, "issued", {
        actor: warehouse,
        counterparty: holder,
        quantity: row.quantity,
        documentHash: row.documentHash,
        details: { batchId: row.batchId, location: row.location, expiresAt: row.expiresAt },
      });
    },
  },
  Transfer: {
    touches: (args, touches) => {
      if (!isMintOrBurn(args)) touches.receipts.add(int(args.tokenId));
    },
    apply: (context, args) => {
      // Mints and burns are told by ReceiptIssued / ReceiptSplit / ReceiptRedeemed, which carry more.
      if (isMintOrBurn(args)) return;
      const key = receiptKey(args.tokenId);
      const row = context.set.update("receipts", key, context.at.blockNumber, {
        holder: address(args.to),
        updatedBlock: context.at.blockNumber,
      });
      history(context, row.id, "transferred", { actor: address(args.from), counterparty: row.holder, quantity: row.quantity });
    },
  },
  ReceiptSplit: {
    touches: (args, touches) => touches.receipts.add(int(args.receiptId)),
    apply: (context, args) => {
      const { set, at } = context;
      const parent = set.update("receipts", receiptKey(args.receiptId), at.blockNumber, {
        quantity: uint(args.keptQuantity),
        updatedBlock: at.blockNumber,
      });
      const newIds = (args.newReceiptIds as bigint[]).map(Number);
      const newBatchIds = (args.newBatchIds as bigint[]).map(Number);
      const quantities = (args.quantities as bigint[]).map(String);
      newIds.forEach((id, i) => {
        set.put(
          "receipts",
          String(id),
          {
            ...parent,
            id,
            batchId: newBatchIds[i],
            quantity: quantities[i],
            issuedAt: at.blockTime,
            status: "live",
            pledged: false,
            redemptionRequested: false,
            splitFrom: parent.id,
            createdBlock: at.blockNumber,
            createdTx: at.txHash,
            updatedBlock: at.blockNumber,
          },
          at.blockNumber,
        );
        history(context, id, "split", {
          counterparty: parent.holder,
          quantity: quantities[i],
          details: { splitFrom: parent.id, batchId: newBatchIds[i] },
        });
      });
      history(context, parent.id, "split", {
        quantity: parent.quantity,
        details: { newReceiptIds: newIds, newBatchIds, quantities },
      });
    },
  },
  RedemptionRequested: receiptChange(
    "redemption_requested",
    () => ({ redemptionRequested: true }),
    (args) => ({ actor: address(args.holder) }),
  ),
  RedemptionCancelled: receiptChange(
    "redemption_cancelled",
    () => ({ redemptionRequested: false }),
    (args) => ({ actor: address(args.holder) }),
  ),
  ReceiptRedeemed: receiptChange(
    "redeemed",
    () => ({ status: "redeemed", redemptionRequested: false, pledged: false }),
    (args, row) => ({
      actor: row.warehouse,
      counterparty: address(args.holder),
      quantity: row.quantity,
      documentHash: hex(args.documentHash),
      details: { batchId: int(args.batchId) },
    }),
  ),
  InventoryAttested: receiptChange(
    "attested",
    (args, _row, context) => ({ lastAttestedAt: context.at.blockTime, lastAttestationHash: hex(args.checkHash) }),
    (args) => ({ actor: address(args.warehouse), documentHash: hex(args.checkHash) }),
  ),
  ReceiptFrozen: receiptChange(
    "frozen",
    () => ({ frozen: true }),
    (args) => ({ actor: address(args.regulator), details: { reasonHash: hex(args.reasonHash) } }),
  ),
  ReceiptUnfrozen: receiptChange(
    "unfrozen",
    () => ({ frozen: false }),
    (args) => ({ actor: address(args.regulator), details: { reasonHash: hex(args.reasonHash) } }),
  ),
  ReceiptExtended: receiptChange(
    "extended",
    (args) => ({ expiresAt: optionalTime(args.expiresAt) }),
    (args, row) => ({ actor: row.warehouse, details: { expiresAt: int(args.expiresAt) } }),
  ),
  InsuranceUpdated: receiptChange(
    "insurance_updated",
    (args) => insurance(args.insuredValue, args.currency, args.policyHash),
    (args, row) => ({
      actor: row.warehouse,
      documentHash: optionalHash(args.policyHash),
      details: { insuredValue: uint(args.insuredValue), currency: formatCurrency(args.currency as string) },
    }),
  ),
  PledgeStatusChanged: receiptChange(
    (args) => (args.pledged ? "pledged" : "unpledged"),
    (args) => ({ pledged: args.pledged as boolean }),
    (_args, row) => ({ counterparty: row.holder }),
  ),
  Approval: ignoredEvent,
  ApprovalForAll: ignoredEvent,
};

function isMintOrBurn(args: Record<string, unknown>): boolean {
  return address(args.from) === ZERO_ADDRESS || address(args.to) === ZERO_ADDRESS;
}
