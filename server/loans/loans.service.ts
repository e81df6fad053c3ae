import { decodeCursor, toPage, type Page } from "../http/common-schemas";
import { NotFoundError } from "../errors";
import type { LedgerClock } from "../http/ledger-clock";
import type { MembersRepository } from "../members/members.repository";
import { labeller, partyLabeller } from "../members/parties";
import type { LoanEventRow, LoanRow, LoansRepository } from "./loans.repository";
import type {
  DueLoansQuery, ListLoansQuery, LoanBookView, LoanEventsQuery, LoanEventView, LoanView, MATURITY_BUCKETS,
} from "./loans.schemas";

type Label = ReturnType<typeof labeller>;
const DAY = 86_400;

export function toLoanView(row: LoanRow, label: Label): LoanView {
  return {
    id: row.id,
    collateral: { kind: row.collateralKind, contract: row.collateral, id: row.collateralId, key: row.collateralKey },
    borrower: label(row.borrower),
    financier: label(row.financier),
    principal: row.principal,
    currency: row.currency,
    outstanding: row.outstanding,
    maturity: row.maturity,
    rateBps: row.rateBps,
    marginCallLtvBps: row.marginCallLtvBps,
    valuation: row.valuation,
    ltvBps: row.ltvBps,
    marginCall: row.marginCall,
    offerExpiresAt: row.offerExpiresAt,
    status: row.status,
    registrationNumber: row.registrationNumber,
    enforcedTo: row.enforcedTo ? label(row.enforcedTo) : null,
    offeredAt: row.offeredAt,
    activatedAt: row.activatedAt,
    closedAt: row.closedAt,
    createdTx: row.createdTx,
  };
}

function toLoanEventView(row: LoanEventRow, label: Label): LoanEventView {
  return {
    loanId: row.loanId,
    type: row.type,
    actor: label(row.actor),
    amount: row.amount,
    details: row.details,
    time: row.blockTime,
    blockNumber: row.blockNumber,
    txHash: row.txHash,
    logIndex: row.logIndex,
  };
}

const partiesOf = (rows: LoanRow[]) => rows.flatMap((row) => [row.borrower, row.financier, row.enforcedTo]);

export function createLoansService(repository: LoansRepository, members: MembersRepository, clock: LedgerClock) {
  async function requireLoan(id: string): Promise<LoanRow> {
    const row = await repository.find(id);
    if (!row) throw new NotFoundError("Loan", id);
    return row;
  }

  return {
    async get(id: string): Promise<LoanView> {
      const row = await requireLoan(id);
      return toLoanView(row, await partyLabeller(members, partiesOf([row])));
    },
    async list(query: ListLoansQuery): Promise<Page<LoanView>> {
      const after = decodeCursor<[number, string]>(query.cursor, ["number", "string"]);
      const rows = await repository.list({ ...query, after });
      const label = await partyLabeller(members, partiesOf(rows));
      return toPage(rows, query.limit, (row) => toLoanView(row, label), (row) => [row.offeredAt, row.id]);
    },
    async due(query: DueLoansQuery) {
      const at = await clock();
      const after = decodeCursor<[number, string]>(query.cursor, ["number", "string"]);
      const rows = await repository.due({ financier: query.financier, maturityBy: at + query.withinDays * DAY, after, limit: query.limit });
      const label = await partyLabeller(members, partiesOf(rows));
      return toPage(
        rows,
        query.limit,
        (row) => ({
          ...toLoanView(row, label),
          overdue: row.maturity < at && row.outstanding !== "0",
          secondsToMaturity: row.maturity - at,
        }),
        (row) => [row.maturity, row.id],
      );
    },
    async history(id: string, query: LoanEventsQuery): Promise<Page<LoanEventView>> {
      await requireLoan(id);
      const after = decodeCursor<[number, number]>(query.cursor, ["number", "number"]);
      const rows = await repository.history(id, { after, limit: query.limit });
      const label = await partyLabeller(members, rows.map((row) => row.actor));
      return toPage(rows, query.limit, (row) => toLoanEventView(row, label), (row) => [row.blockNumber, row.logIndex]);
    },
    /** A financier's exposure: by currency, by maturity bucket, by warehouse holding the goods. */
    async loanBook(financier: string): Promise<LoanBookView> {
      const at = await clock();
      const [byCurrency, byMaturity, byWarehouse, marginCalls] = await Promise.all([
        repository.exposureByCurrency(financier),
        repository.exposureByMaturity(financier, at),
        repository.exposureByWarehouse(financier),
        repository.marginCalls(financier),
      ]);
      const label = await partyLabeller(members, [financier, ...byWarehouse.map((row) => row.group)]);
      return {
        financier: label(financier),
        activeLoans: byCurrency.reduce((sum, row) => sum + row.loans, 0),
        byCurrency: byCurrency.map(({ currency, loans, outstanding, principal }) => ({ currency, loans, outstanding, principal })),
        byMaturity: byMaturity.map(({ group, currency, loans, outstanding }) => ({
          bucket: group as (typeof MATURITY_BUCKETS)[number],
          currency,
          loans,
          outstanding,
        })),
        byWarehouse: byWarehouse.map(({ group, currency, loans, outstanding }) => ({ warehouse: label(group), currency, loans, outstanding })),
        marginCalls,
        asOf: { checkedAt: at },
      };
    },
  };
}
export type LoansService = ReturnType<typeof createLoansService>;
