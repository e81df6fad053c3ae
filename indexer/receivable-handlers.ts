import type { Receivables } from "../typechain-types";
import type { ReceivableEventType } from "../shared/db/schema";
import { formatCurrency } from "../shared/trade-codes";
import {
  address, hex, ignoredEvent, int, uint, ZERO_ADDRESS, type EventHandler, type EventNames, type HandlerContext,
} from "./handler-support";
import { holdingKey, type HoldingRow, type ReceivableRow } from "./working-set";

type Args = Record<string, unknown>;

/** Appends one history row of a receivable. */
function history(
  { set, at }: HandlerContext,
  receivableId: number,
  type: ReceivableEventType,
  fields: { actor?: string | null; counterparty?: string | null; amount?: string | null; details?: Record<string, unknown> } = {},
): void {
  set.receivableEvents.push({
    ...at,
    receivableId,
    type,
    actor: fields.actor ?? null,
    counterparty: fields.counterparty ?? null,
    amount: fields.amount ?? null,
    details: fields.details ?? {},
  });
}

/** Updates the receivable named by the event's `receivableId` and records one history row. */
function receivableChange(
  type: ReceivableEventType,
  change: (args: Args, context: HandlerContext) => Partial<ReceivableRow>,
  describe: (args: Args, row: ReceivableRow) => Parameters<typeof history>[3] = () => ({}),
): EventHandler {
  return {
    touches: (args, touches) => touches.receivables.add(int(args.receivableId)),
    apply: (context, args) => {
      const row = context.set.update("receivables", String(args.receivableId), context.at.blockNumber, {
        ...change(args, context),
        updatedBlock: context.at.blockNumber,
      });
      history(context, row.id, type, describe(args, row));
    },
  };
}

/** A flag set or cleared by the debtor (dispute) or a regulator (freeze), with its reason. */
const flagChange = (type: ReceivableEventType, flag: "disputed" | "frozen", value: boolean, by: "debtor" | "regulator") =>
  receivableChange(
    type,
    () => ({ [flag]: value }),
    (args) => ({ actor: address(args[by]), details: { reasonHash: hex(args.reasonHash) } }),
  );

/** Adds `change` to the holding of `holder`, creating it at zero when it is new. */
function adjustHolding(context: HandlerContext, receivableId: number, holder: string, change: (row: HoldingRow) => Partial<HoldingRow>) {
  const key = holdingKey(receivableId, holder);
  const row = context.set.find("holdings", key) ?? {
    key,
    receivableId,
    holder,
    amount: "0",
    earmarked: "0",
    settled: "0",
    closed: false,
    updatedBlock: context.at.blockNumber,
  };
  context.set.put("holdings", key, { ...row, ...change(row), updatedBlock: context.at.blockNumber }, context.at.blockNumber);
}

const plus = (a: string, b: bigint) => (BigInt(a) + b).toString();

/** Moves `amount` of receivable `id` between holdings; mints and burns touch one side only. */
function applyTransfer(context: HandlerContext, from: string, to: string, id: number, amount: bigint, operator: string) {
  if (from !== ZERO_ADDRESS) adjustHolding(context, id, from, (row) => ({ amount: plus(row.amount, -amount) }));
  if (to !== ZERO_ADDRESS) adjustHolding(context, id, to, (row) => ({ amount: plus(row.amount, amount) }));
  // Issue and closing are told by their own events; the transfer tree is the holder-to-holder moves.
  if (from !== ZERO_ADDRESS && to !== ZERO_ADDRESS) {
    history(context, id, "transferred", { actor: from, counterparty: to, amount: amount.toString(), details: { operator } });
  }
}

/** The holdings a transfer reads. */
function touchTransfer(touches: Parameters<NonNullable<EventHandler["touches"]>>[1], from: string, to: string, id: number) {
  if (from !== ZERO_ADDRESS) touches.holdings.add(holdingKey(id, from));
  if (to !== ZERO_ADDRESS) touches.holdings.add(holdingKey(id, to));
}

/** A lot change that also moves the holder's earmarked amount by `delta(args)`. */
function lotChange(
  type: ReceivableEventType | ((args: Args) => ReceivableEventType),
  change: (args: Args) => Record<string, unknown>,
  earmarkDelta: (args: Args) => bigint,
): EventHandler {
  return {
    touches: (args, touches) => touches.lots.add(int(args.lotId)),
    apply: (context, args) => {
      const lot = context.set.update("lots", String(args.lotId), context.at.blockNumber, {
        ...change(args),
        updatedBlock: context.at.blockNumber,
      });
      const delta = earmarkDelta(args);
      if (delta !== 0n) {
        // A holding closed by full settlement had its earmark cleared then; its lots keep only their record.
        adjustHolding(context, lot.receivableId, lot.holder, (row) => (row.closed ? {} : { earmarked: plus(row.earmarked, delta) }));
      }
      history(context, lot.receivableId, typeof type === "function" ? type(args) : type, {
        actor: lot.holder,
        counterparty: args.to === undefined ? null : address(args.to),
        amount: args.amount === undefined ? null : uint(args.amount),
        details: { lotId: lot.id },
      });
    },
  };
}

export const receivableHandlers: Record<EventNames<Receivables>, EventHandler> = {
  ReceivableRegistered: {
    apply: (context, args) => {
      const { set, at } = context;
      const row: ReceivableRow = {
        id: int(args.receivableId),
        creditor: address(args.creditor),
        debtor: address(args.debtor),
        faceValue: uint(args.faceValue),
        currency: formatCurrency(args.currency as string),
        dueDate: int(args.dueDate),
        graceSeconds: int(args.graceSeconds),
        invoiceHash: hex(args.invoiceHash),
        documentHash: hex(args.documentHash),
        status: "registered",
        paid: "0",
        disputed: false,
        frozen: false,
        paymentAgent: null,
        registeredAt: at.blockTime,
        confirmedAt: null,
        createdBlock: at.blockNumber,
        createdTx: at.txHash,
        updatedBlock: at.blockNumber,
      };
      set.put("receivables", String(row.id), row, at.blockNumber);
      history(context, row.id, "registered", {
        actor: row.creditor,
        counterparty: row.debtor,
        amount: row.faceValue,
        details: { dueDate: row.dueDate, invoiceHash: row.invoiceHash },
      });
    },
  },
  ReceivableConfirmed: receivableChange(
    "confirmed",
    (_args, context) => ({ status: "confirmed", confirmedAt: context.at.blockTime }),
    (args) => ({ actor: address(args.debtor) }),
  ),
  ReceivableCancelled: receivableChange(
    "cancelled",
    () => ({ status: "cancelled" }),
    (args) => ({ actor: address(args.creditor), details: { reasonHash: hex(args.reasonHash) } }),
  ),
  ReceivableRejected: receivableChange(
    "rejected",
    () => ({ status: "rejected" }),
    (args) => ({ actor: address(args.debtor), details: { reasonHash: hex(args.reasonHash) } }),
  ),
  ReceivableDisputed: flagChange("disputed", "disputed", true, "debtor"),
  DisputeResolved: flagChange("dispute_resolved", "disputed", false, "debtor"),
  ReceivableFrozen: flagChange("frozen", "frozen", true, "regulator"),
  ReceivableUnfrozen: flagChange("unfrozen", "frozen", false, "regulator"),
  PaymentAgentAppointed: receivableChange(
    "payment_agent_appointed",
    (args) => ({ paymentAgent: address(args.agent) === ZERO_ADDRESS ? null : address(args.agent) }),
    (args) => ({ actor: address(args.debtor), counterparty: address(args.agent) }),
  ),
  PaymentRecorded: receivableChange(
    "payment",
    (args) => ({ paid: uint(args.paidTotal) }),
    (args) => ({ actor: address(args.payer), amount: uint(args.amount), details: { paidTotal: uint(args.paidTotal), referenceHash: hex(args.referenceHash) } }),
  ),
  ReceivableSettled: receivableChange("settled", () => ({ status: "settled" })),
  HolderSettled: {
    touches: (args, touches) => touches.holdings.add(holdingKey(int(args.receivableId), address(args.holder))),
    apply: (context, args) => {
      const id = int(args.receivableId);
      const holder = address(args.holder);
      adjustHolding(context, id, holder, () => ({ settled: uint(args.settledTotal) }));
      history(context, id, "holder_settled", {
        counterparty: holder,
        amount: uint(args.amount),
        details: { settledTotal: uint(args.settledTotal), pledgedLotAmount: uint(args.pledgedLotAmount) },
      });
    },
  },
  HolderClosed: {
    touches: (args, touches) => touches.holdings.add(holdingKey(int(args.receivableId), address(args.holder))),
    apply: (context, args) => {
      const id = int(args.receivableId);
      adjustHolding(context, id, address(args.holder), () => ({ closed: true, earmarked: "0" }));
      history(context, id, "holder_closed", { counterparty: address(args.holder) });
    },
  },
  TransferSingle: {
    touches: (args, touches) => touchTransfer(touches, address(args.from), address(args.to), int(args.id)),
    apply: (context, args) =>
      applyTransfer(context, address(args.from), address(args.to), int(args.id), args.value as bigint, address(args.operator)),
  },
  TransferBatch: {
    touches: (args, touches) => {
      for (const id of args.ids as bigint[]) touchTransfer(touches, address(args.from), address(args.to), Number(id));
    },
    apply: (context, args) => {
      // One history row per receivable: a batch naming an id twice moves the sum.
      const totals = new Map<number, bigint>();
      (args.ids as bigint[]).forEach((id, i) => totals.set(Number(id), (totals.get(Number(id)) ?? 0n) + (args.values as bigint[])[i]));
      for (const [id, value] of totals) applyTransfer(context, address(args.from), address(args.to), id, value, address(args.operator));
    },
  },
  LotEarmarked: {
    touches: (args, touches) => touches.holdings.add(holdingKey(int(args.receivableId), address(args.holder))),
    apply: (context, args) => {
      const { set, at } = context;
      const id = int(args.lotId);
      const receivableId = int(args.receivableId);
      const holder = address(args.holder);
      set.put(
        "lots",
        String(id),
        { id, receivableId, holder, amount: uint(args.amount), pledged: false, status: "earmarked", createdBlock: at.blockNumber, updatedBlock: at.blockNumber },
        at.blockNumber,
      );
      adjustHolding(context, receivableId, holder, (row) => ({ earmarked: plus(row.earmarked, args.amount as bigint) }));
      history(context, receivableId, "earmarked", { actor: holder, amount: uint(args.amount), details: { lotId: id } });
    },
  },
  LotPledgeStatusChanged: lotChange(
    (args) => (args.pledged ? "lot_pledged" : "lot_unpledged"),
    (args) => ({ pledged: args.pledged as boolean }),
    () => 0n,
  ),
  LotReduced: lotChange("lot_reduced", (args) => ({ amount: uint(args.remaining) }), (args) => -(args.amount as bigint)),
  LotReleased: lotChange("lot_released", () => ({ status: "released" }), (args) => -(args.amount as bigint)),
  LotSeized: lotChange("lot_seized", () => ({ status: "seized", pledged: false }), (args) => -(args.amount as bigint)),
  SaleOffered: {
    apply: (context, args) => {
      const { set, at } = context;
      const id = int(args.saleId);
      const receivableId = int(args.receivableId);
      set.put(
        "sales",
        String(id),
        {
          id,
          receivableId,
          seller: address(args.seller),
          financier: address(args.financier),
          amount: uint(args.amount),
          price: uint(args.price),
          status: "offered",
          createdBlock: at.blockNumber,
          updatedBlock: at.blockNumber,
        },
        at.blockNumber,
      );
      history(context, receivableId, "sale_offered", {
        actor: address(args.seller),
        counterparty: address(args.financier),
        amount: uint(args.amount),
        details: { saleId: id, price: uint(args.price) },
      });
    },
  },
  SaleWithdrawn: {
    touches: (args, touches) => touches.sales.add(int(args.saleId)),
    apply: (context, args) => {
      context.set.update("sales", String(args.saleId), context.at.blockNumber, { status: "withdrawn", updatedBlock: context.at.blockNumber });
      history(context, int(args.receivableId), "sale_withdrawn", { actor: address(args.seller), details: { saleId: int(args.saleId) } });
    },
  },
  ReceivableSold: {
    touches: (args, touches) => touches.sales.add(int(args.saleId)),
    apply: (context, args) => {
      context.set.update("sales", String(args.saleId), context.at.blockNumber, { status: "sold", updatedBlock: context.at.blockNumber });
      history(context, int(args.receivableId), "sold", {
        actor: address(args.seller),
        counterparty: address(args.financier),
        amount: uint(args.amount),
        details: { saleId: int(args.saleId), price: uint(args.price) },
      });
    },
  },
  ApprovalForAll: ignoredEvent,
  URI: ignoredEvent,
  EIP712DomainChanged: ignoredEvent,
};
