import { labeller, standings } from "../members/parties";
import type { DebtorRecord, ReceivableVerificationFacts } from "./receivables.repository";
import type {
  ReceivableReason, ReceivableVerificationView, ReceivableWarning,
} from "./receivables.schemas";
import { toReceivableEventView, toReceivableView, toTransferView } from "./receivable-views";
import { chainTo, transferTree } from "./transfer-tree";

const DAY = 86_400;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** Sums amounts per currency, currencies in alphabetical order. */
function byCurrency(entries: { currency: string; outstanding: string; count: number }[]) {
  const totals = new Map<string, { amount: bigint; count: number }>();
  for (const { currency, outstanding, count } of entries) {
    const total = totals.get(currency) ?? { amount: 0n, count: 0 };
    totals.set(currency, { amount: total.amount + BigInt(outstanding), count: total.count + count });
  }
  return [...totals.keys()].sort().map((currency) => {
    const { amount, count } = totals.get(currency)!;
    return { currency, amount: amount.toString(), count };
  });
}

const moneyText = (totals: { currency: string; amount: string }[]) =>
  totals.map(({ currency, amount }) => `${currency} ${amount}`).join(", ");

/**
 * The bank's question, "can I finance this receivable (this holder's part of it)?", answered from
 * indexed facts: every reason that disqualifies it, every warning worth weighing, and the facts so
 * the answer can be checked. Pure: `now` is passed in.
 */
export function assessReceivable(
  facts: ReceivableVerificationFacts,
  record: DebtorRecord,
  holderAddress: string | null,
  minDaysToDue: number,
  now: number,
): ReceivableVerificationView {
  const label = labeller(new Map(facts.members.map((m) => [m.address, m.name])));
  const receivable = toReceivableView(facts.receivable, label, now);
  const standing = standings(facts.members);

  const overdueOpen = record.open.filter((group) => group.deadline < now);
  const overdueByCurrency = byCurrency(overdueOpen);
  const dueReceivables = record.paidOnTime + record.paidLate + overdueOpen.reduce((sum, group) => sum + group.count, 0);
  const debtor = {
    ...standing(facts.receivable.debtor),
    paymentRecord: {
      dueReceivables,
      paidOnTime: record.paidOnTime,
      paidLate: record.paidLate,
      onTimeRatio: dueReceivables === 0 ? null : Math.round((record.paidOnTime / dueReceivables) * 10_000) / 10_000,
      overdue: overdueByCurrency,
      outstanding: byCurrency(record.open),
    },
  };

  const holding = holderAddress === null ? null : facts.holding;
  const free = holding ? BigInt(holding.amount) - BigInt(holding.earmarked) : 0n;
  const holder =
    holderAddress === null
      ? null
      : {
          ...standing(holderAddress),
          amount: holding?.amount ?? "0",
          earmarked: holding?.earmarked ?? "0",
          pledged: holding?.pledged ?? "0",
          free: free.toString(),
          settled: holding?.settled ?? "0",
          closed: holding?.closed ?? false,
          openSaleOffers: holding?.openSaleOffers ?? "0",
        };

  const reasons: { code: ReceivableReason; message: string }[] = [];
  const reason = (code: ReceivableReason, message: string) => reasons.push({ code, message });
  const { status } = facts.receivable;
  if (status === "registered") reason("NOT_CONFIRMED", "the debtor has not confirmed that it owes the amount");
  if (status === "cancelled" || status === "rejected" || status === "settled") reason("RECEIVABLE_CLOSED", `the receivable is ${status}`);
  if (facts.receivable.disputed) reason("RECEIVABLE_DISPUTED", "the debtor disputes the receivable; nothing of it moves meanwhile");
  if (facts.receivable.frozen) reason("RECEIVABLE_FROZEN", "a regulator froze the receivable (judicial freeze)");
  if (status === "confirmed" && facts.receivable.paid !== "0") {
    reason("IN_SETTLEMENT", `the debtor has paid ${facts.receivable.paid} of ${facts.receivable.faceValue}; the receivable no longer moves`);
  }
  if (status === "confirmed" && facts.receivable.dueDate <= now) {
    reason("PAST_DUE", `it fell due at ${iso(facts.receivable.dueDate)}${receivable.overdue ? " and is overdue" : ""}`);
  }
  if (debtor.status !== "active") reason("DEBTOR_NOT_ACTIVE", `the debtor is ${debtor.status === "unknown" ? "not a member" : debtor.status}`);
  if (overdueByCurrency.length > 0) {
    reason("DEBTOR_IN_ARREARS", `the debtor has overdue receivables outstanding: ${moneyText(overdueByCurrency)}`);
  }
  if (holder) {
    if (holder.status !== "active") reason("HOLDER_NOT_ACTIVE", `the holder is ${holder.status === "unknown" ? "not a member" : holder.status}`);
    if (holder.amount === "0") reason("NOTHING_HELD", "the holder holds no part of this receivable");
    else if (free === 0n) reason("NO_FREE_AMOUNT", `all ${holder.amount} the holder holds is earmarked in lots`);
  }

  const warnings: { code: ReceivableWarning; message: string }[] = [];
  const warn = (code: ReceivableWarning, message: string) => warnings.push({ code, message });
  const secondsToDue = facts.receivable.dueDate - now;
  if (secondsToDue > 0 && secondsToDue < minDaysToDue * DAY) warn("DUE_SOON", `it falls due at ${iso(facts.receivable.dueDate)}`);
  if (record.paidLate > 0) warn("DEBTOR_PAID_LATE", `the debtor paid ${record.paidLate} receivable(s) after due date plus grace`);
  if (dueReceivables === 0) warn("NO_PAYMENT_RECORD", "no receivable of this debtor has fallen due yet: no payment record");
  if (holder && free > 0n && holder.earmarked !== "0") {
    warn("PARTLY_EARMARKED", `${holder.earmarked} of the holder's ${holder.amount} is earmarked in lots (${holder.pledged} pledged)`);
  }
  if (holder && holder.openSaleOffers !== "0") {
    warn("OPEN_SALE_OFFER", `the holder has offered ${holder.openSaleOffers} for sale and not yet sold it`);
  }
  if (!facts.receivable.disputed && facts.disputesAndFreezes.some((event) => event.type === "disputed")) {
    warn("DISPUTED_BEFORE", "the debtor disputed the receivable before; the dispute was resolved");
  }

  const holds = new Map<string, bigint>();
  if (facts.holding) holds.set(facts.holding.holder, BigInt(facts.holding.amount));
  const tree = transferTree(facts.receivable.creditor, BigInt(facts.receivable.faceValue), facts.transfers, holds);
  const chain = holderAddress === null ? facts.transfers : chainTo(holderAddress, tree, facts.transfers);

  return {
    receivableId: facts.receivable.id,
    verdict: reasons.length === 0 ? "eligible" : "not_eligible",
    reasons,
    warnings,
    receivable: {
      status: receivable.status,
      faceValue: receivable.faceValue,
      currency: receivable.currency,
      paid: receivable.paid,
      outstanding: receivable.outstanding,
      dueDate: receivable.dueDate,
      graceSeconds: receivable.graceSeconds,
      overdue: receivable.overdue,
      disputed: receivable.disputed,
      frozen: receivable.frozen,
      invoiceHash: receivable.invoiceHash,
      documentHash: receivable.documentHash,
      confirmedAt: receivable.confirmedAt,
      confirmedByDebtor: receivable.confirmedAt !== null,
      secondsToDue,
    },
    creditor: standing(facts.receivable.creditor),
    debtor,
    holder,
    transferChain: chain.map((transfer) => toTransferView(transfer, label)),
    holders: Number(facts.holders),
    disputesAndFreezes: facts.disputesAndFreezes.map((event) => toReceivableEventView(event, label)),
    liens: facts.liens.map((lien) => ({
      ...lien,
      borrower: label(lien.borrower),
      financier: label(lien.financier),
    })),
    asOf: { blockNumber: facts.checkpoint!.blockNumber, blockHash: facts.checkpoint!.blockHash, checkedAt: now },
  };
}
