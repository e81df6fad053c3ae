import { decodeCursor, toPage, type Page } from "../http/common-schemas";
import { NotFoundError, NotReadyError } from "../errors";
import type { IndexedCache } from "../http/indexed-cache";
import { ledgerTime, type LedgerClock } from "../http/ledger-clock";
import type { MembersRepository } from "../members/members.repository";
import { partyLabeller } from "../members/parties";
import { assessReceivable } from "./receivable-assessment";
import type {
  DebtorRecord, ReceivablesRepository, ReceivableRow, ReceivableVerificationFacts,
} from "./receivables.repository";
import type {
  ListReceivablesQuery, MaturityCalendarQuery, MaturityCalendarView, MemberHoldingsQuery, MemberHoldingView,
  ReceivableDetailView, ReceivableEventsQuery, ReceivableEventView, ReceivablesExposureView, ReceivableVerificationQuery,
  ReceivableVerificationView, ReceivableView, TransferTreeView,
} from "./receivables.schemas";
import {
  holdingAmounts, toHoldingView, toReceivableEventView, toReceivableView, toSaleView, toTransferView,
} from "./receivable-views";
import { maturityCalendar } from "./maturity-calendar";
import { transferTree } from "./transfer-tree";

/** Verification facts kept per (receivable, holder), and payment records per debtor, while the index does not move. */
export const RECEIVABLE_VERIFICATION_CACHE_ENTRIES = 20_000;
export const DEBTOR_RECORD_CACHE_ENTRIES = 2_000;

export function createReceivablesService(
  repository: ReceivablesRepository,
  members: MembersRepository,
  caches: {
    verification: IndexedCache<string, ReceivableVerificationFacts | undefined>;
    debtorRecords: IndexedCache<string, DebtorRecord>;
  },
  clock: LedgerClock,
) {
  async function requireReceivable(id: number): Promise<ReceivableRow> {
    const row = await repository.find(id);
    if (!row) throw new NotFoundError("Receivable", id);
    return row;
  }

  async function requireMember(address: string) {
    const member = await members.find(address);
    if (!member) throw new NotFoundError("Member", address);
    return member;
  }

  return {
    async list(query: ListReceivablesQuery): Promise<Page<ReceivableView>> {
      const at = await clock();
      const afterId = decodeCursor<[number]>(query.cursor, ["number"])?.[0];
      const rows = await repository.list({ ...query, now: at, afterId });
      const label = await partyLabeller(members, rows.flatMap((row) => [row.creditor, row.debtor, row.paymentAgent]));
      return toPage(rows, query.limit, (row) => toReceivableView(row, label, at), (row) => [row.id]);
    },
    async get(id: number): Promise<ReceivableDetailView> {
      const at = await clock();
      const row = await requireReceivable(id);
      const [holdings, lots, sales] = await Promise.all([repository.holdings(id), repository.lots(id), repository.sales(id)]);
      const label = await partyLabeller(members, [
        row.creditor, row.debtor, row.paymentAgent,
        ...holdings.map((h) => h.holder), ...lots.map((l) => l.holder), ...sales.flatMap((s) => [s.seller, s.financier]),
      ]);
      return {
        ...toReceivableView(row, label, at),
        holdings: holdings.map((holding) => toHoldingView(holding, label)),
        lots: lots.map((lot) => ({ ...lot, holder: label(lot.holder) })),
        sales: sales.map((sale) => toSaleView(sale, label)),
      };
    },
    async history(id: number, query: ReceivableEventsQuery): Promise<Page<ReceivableEventView>> {
      await requireReceivable(id);
      const after = decodeCursor<[number, number]>(query.cursor, ["number", "number"]);
      const rows = await repository.history(id, { type: query.type, after, limit: query.limit });
      const label = await partyLabeller(members, rows.flatMap((row) => [row.actor, row.counterparty]));
      return toPage(rows, query.limit, (row) => toReceivableEventView(row, label), (row) => [row.blockNumber, row.logIndex]);
    },
    async transferTree(id: number): Promise<TransferTreeView> {
      const row = await requireReceivable(id);
      const [transfers, holdings] = await Promise.all([repository.transfers(id), repository.holdings(id)]);
      const holds = new Map(holdings.map((holding) => [holding.holder, BigInt(holding.amount)]));
      const nodes = transferTree(row.creditor, BigInt(row.faceValue), transfers, holds);
      const label = await partyLabeller(members, nodes.map((node) => node.holder));
      return {
        receivableId: row.id,
        faceValue: row.faceValue,
        currency: row.currency,
        tree: nodes.map((node) => ({
          holder: label(node.holder),
          parent: node.parent,
          depth: node.depth,
          received: node.received.toString(),
          passedOn: node.passedOn.toString(),
          holds: node.holds.toString(),
        })),
        transfers: transfers.map((transfer) => toTransferView(transfer, label)),
      };
    },
    async holdingsOf(address: string, query: MemberHoldingsQuery): Promise<Page<MemberHoldingView>> {
      const at = await clock();
      await requireMember(address);
      const afterId = decodeCursor<[number]>(query.cursor, ["number"])?.[0];
      const rows = await repository.holdingsOfMember(address, { includeClosed: query.includeClosed, afterId, limit: query.limit });
      const label = await partyLabeller(members, rows.flatMap(({ receivable }) => [receivable.creditor, receivable.debtor, receivable.paymentAgent]));
      return toPage(
        rows,
        query.limit,
        ({ receivable, holding }) => ({ receivable: toReceivableView(receivable, label, at), holding: holdingAmounts(holding) }),
        ({ receivable }) => [receivable.id],
      );
    },
    /** What a member still has to receive and to pay, month by month from the current one. */
    async maturityCalendar(address: string, query: MaturityCalendarQuery): Promise<MaturityCalendarView> {
      const at = await clock();
      const member = await requireMember(address);
      const rows = await repository.calendar(address, at);
      return {
        member: { address, name: member.name },
        ...maturityCalendar(rows, at, query.months),
        asOf: { checkedAt: at },
      };
    },
    /** The regulator's view: outstanding by debtor, by financier, and what is overdue. */
    async exposure(): Promise<ReceivablesExposureView> {
      const at = await clock();
      const [byDebtor, byFinancier, overdue] = await Promise.all([
        repository.exposureByDebtor(at),
        repository.exposureByFinancier(at),
        repository.overdueTotals(at),
      ]);
      const label = await partyLabeller(members, [...byDebtor.map((row) => row.debtor), ...byFinancier.map((row) => row.financier)]);
      return {
        byDebtor: byDebtor.map(({ debtor, ...amounts }) => ({ debtor: label(debtor), ...amounts })),
        byFinancier: byFinancier.map(({ financier, ...amounts }) => ({ financier: label(financier), ...amounts })),
        overdue,
        asOf: { checkedAt: at },
      };
    },
    async verify(id: number, query: ReceivableVerificationQuery): Promise<ReceivableVerificationView> {
      const holder = query.holder ?? null;
      // The facts are cached per indexed state; what depends on the clock (overdue, due soon) is not.
      const facts = await caches.verification.get(`${id}:${holder ?? ""}`, () => repository.verificationFacts(id, holder));
      if (!facts) throw new NotFoundError("Receivable", id);
      if (!facts.checkpoint) throw new NotReadyError("The indexer has not recorded a checkpoint yet");
      const debtor = facts.receivable.debtor;
      const record = await caches.debtorRecords.get(debtor, () => repository.debtorRecord(debtor));
      return assessReceivable(facts, record, holder, query.minDaysToDue, ledgerTime(facts.checkpoint.blockTime));
    },
  };
}
export type ReceivablesService = ReturnType<typeof createReceivablesService>;
