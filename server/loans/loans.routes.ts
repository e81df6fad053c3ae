import type { RouteTable } from "../http/route";
import {
  dueLoanPageSchema, dueLoansQuery, financierParams, listLoansQuery, loanBookSchema, loanEventPageSchema, loanEventsQuery,
  loanPageSchema, loanParams, loanSchema,
} from "./loans.schemas";
import type { LoansService } from "./loans.service";

export function loanRoutes(routes: RouteTable, service: LoansService): void {
  routes.add({
    method: "get",
    path: "/api/v1/loans",
    operationId: "listLoans",
    tag: "Pledges and loans",
    summary: "List pledge offers and loans by financier, borrower or status, oldest offer first",
    query: listLoansQuery,
    response: loanPageSchema,
    handler: ({ query }) => service.list(query),
  });
  // Before /loans/:id, which would otherwise refuse "due" as a malformed loan id.
  routes.add({
    method: "get",
    path: "/api/v1/loans/due",
    operationId: "listDueLoans",
    tag: "Pledges and loans",
    summary: "Active loans maturing within a number of days, and overdue ones, soonest maturity first",
    query: dueLoansQuery,
    response: dueLoanPageSchema,
    handler: ({ query }) => service.due(query),
  });
  routes.add({
    method: "get",
    path: "/api/v1/loans/:id",
    operationId: "getLoan",
    tag: "Pledges and loans",
    summary: "One pledge offer or loan with its terms, state and latest valuation",
    params: loanParams,
    response: loanSchema,
    errorStatuses: [404],
    handler: ({ params }) => service.get(params.id),
  });
  routes.add({
    method: "get",
    path: "/api/v1/loans/:id/events",
    operationId: "getLoanHistory",
    tag: "Pledges and loans",
    summary: "The loan's history: offer, acceptance, repayments, valuations, margin calls, releases, enforcement",
    params: loanParams,
    query: loanEventsQuery,
    response: loanEventPageSchema,
    errorStatuses: [404],
    handler: ({ params, query }) => service.history(params.id, query),
  });
  routes.add({
    method: "get",
    path: "/api/v1/financiers/:address/loan-book",
    operationId: "getLoanBook",
    tag: "Pledges and loans",
    summary: "A financier's active exposure by currency, by maturity and by warehouse holding the goods",
    params: financierParams,
    response: loanBookSchema,
    handler: ({ params }) => service.loanBook(params.address),
  });
}
