import type { labeller } from "../members/parties";
import type { HoldingRow, ReceivableEventRow, ReceivableRow, SaleRow, TransferRow } from "./receivables.repository";
import type { HoldingView, ReceivableEventView, ReceivableView, TransferView } from "./receivables.schemas";

type Label = ReturnType<typeof labeller>;

/** Confirmed, past due date plus grace, not paid in full: the contract's `isOverdue`. */
export function isOverdue(row: Pick<ReceivableRow, "status" | "dueDate" | "graceSeconds" | "paid" | "faceValue">, now: number): boolean {
  return row.status === "confirmed" && row.dueDate + row.graceSeconds < now && BigInt(row.paid) < BigInt(row.faceValue);
}

export function toReceivableView(row: ReceivableRow, label: Label, now: number): ReceivableView {
  return {
    id: row.id,
    creditor: label(row.creditor),
    debtor: label(row.debtor),
    faceValue: row.faceValue,
    currency: row.currency,
    dueDate: row.dueDate,
    graceSeconds: row.graceSeconds,
    invoiceHash: row.invoiceHash,
    documentHash: row.documentHash,
    status: row.status,
    paid: row.paid,
    outstanding: (BigInt(row.faceValue) - BigInt(row.paid)).toString(),
    overdue: isOverdue(row, now),
    disputed: row.disputed,
    frozen: row.frozen,
    paymentAgent: row.paymentAgent ? label(row.paymentAgent) : null,
    registeredAt: row.registeredAt,
    confirmedAt: row.confirmedAt,
    createdBlock: row.createdBlock,
    createdTx: row.createdTx,
    updatedBlock: row.updatedBlock,
  };
}

export function toHoldingView(row: HoldingRow, label: Label): HoldingView {
  return { ...holdingAmounts(row), holder: label(row.holder) };
}

/** A holding's amounts, with the free part the contract's `freeAmountOf` would answer. */
export function holdingAmounts(row: Omit<HoldingRow, "holder">): Omit<HoldingView, "holder"> {
  return {
    amount: row.amount,
    earmarked: row.earmarked,
    pledged: row.pledged,
    free: (BigInt(row.amount) - BigInt(row.earmarked)).toString(),
    settled: row.settled,
    closed: row.closed,
  };
}

export function toSaleView(row: SaleRow, label: Label) {
  const amount = BigInt(row.amount);
  return {
    id: row.id,
    seller: label(row.seller),
    financier: label(row.financier),
    amount: row.amount,
    price: row.price,
    discountBps: amount === 0n ? 0 : Number(((amount - BigInt(row.price)) * 10_000n) / amount),
    status: row.status,
  };
}

export function toTransferView(row: TransferRow, label: Label): TransferView {
  return { ...row, from: label(row.from), to: label(row.to) };
}

export function toReceivableEventView(row: ReceivableEventRow, label: Label): ReceivableEventView {
  return {
    receivableId: row.receivableId,
    type: row.type,
    actor: row.actor ? label(row.actor) : null,
    counterparty: row.counterparty ? label(row.counterparty) : null,
    amount: row.amount,
    details: row.details,
    time: row.blockTime,
    blockNumber: row.blockNumber,
    txHash: row.txHash,
    logIndex: row.logIndex,
  };
}
