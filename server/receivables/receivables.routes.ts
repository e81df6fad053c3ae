import type { RouteTable } from "../http/route";
import {
  listReceivablesQuery, maturityCalendarQuery, maturityCalendarSchema, memberHoldingPageSchema, memberHoldingsQuery, memberParams,
  receivableDetailSchema, receivableEventPageSchema, receivableEventsQuery, receivablePageSchema, receivableParams,
  receivablesExposureSchema, receivableVerificationQuery, receivableVerificationSchema, transferTreeSchema,
} from "./receivables.schemas";
import type { ReceivablesService } from "./receivables.service";

const TAG = "Receivables";

export function receivableRoutes(routes: RouteTable, service: ReceivablesService): void {
  routes.add({
    method: "get",
    path: "/api/v1/receivables",
    operationId: "listReceivables",
    tag: TAG,
    summary: "List receivables by creditor, debtor, holder, status, currency or overdue, oldest first",
    query: listReceivablesQuery,
    response: receivablePageSchema,
    handler: ({ query }) => service.list(query),
  });
  // Before /receivables/:id, which would otherwise refuse "exposure" as a malformed id.
  routes.add({
    method: "get",
    path: "/api/v1/receivables/exposure",
    operationId: "getReceivablesExposure",
    tag: TAG,
    summary: "Regulator view: outstanding receivables by debtor and by financier, and what is overdue",
    description:
      "Outstanding is face value minus payments on confirmed receivables. A financier's exposure is what it holds " +
      "after discounting (not yet settled to it) and what it lent on pledged receivable lots.",
    response: receivablesExposureSchema,
    handler: () => service.exposure(),
  });
  routes.add({
    method: "get",
    path: "/api/v1/receivables/:id",
    operationId: "getReceivable",
    tag: TAG,
    summary: "One receivable with its holders (amount, earmarked, pledged, free, settled), lots and sales",
    params: receivableParams,
    response: receivableDetailSchema,
    errorStatuses: [404],
    handler: ({ params }) => service.get(params.id),
  });
  routes.add({
    method: "get",
    path: "/api/v1/receivables/:id/events",
    operationId: "getReceivableHistory",
    tag: TAG,
    summary: "The receivable's history: registration, confirmation, transfers, lots, sales, disputes, freezes, payments, settlement",
    params: receivableParams,
    query: receivableEventsQuery,
    response: receivableEventPageSchema,
    errorStatuses: [404],
    handler: ({ params, query }) => service.history(params.id, query),
  });
  routes.add({
    method: "get",
    path: "/api/v1/receivables/:id/transfers",
    operationId: "getReceivableTransferTree",
    tag: TAG,
    summary: "The transfer tree: how the value passed from the creditor down the supply chain, and every move",
    params: receivableParams,
    response: transferTreeSchema,
    errorStatuses: [404],
    handler: ({ params }) => service.transferTree(params.id),
  });
  routes.add({
    method: "get",
    path: "/api/v1/receivables/:id/verification",
    operationId: "verifyReceivable",
    tag: TAG,
    summary: "Can a bank finance this receivable (a holder's part of it)? A verdict with its reasons, and the facts behind it",
    description:
      "One call per receivable: confirmed by the debtor or not, the debtor's standing and payment record (paid on " +
      "time or late, overdue amounts), the holder's amount, free, earmarked and pledged parts, how the value reached " +
      "the holder, disputes and freezes, liens on its lots. `verdict` is `eligible` only when `reasons` is empty; " +
      "`warnings` do not disqualify. Without `holder` the receivable as a whole is assessed. `asOf` names the last " +
      "block the answer includes.",
    params: receivableParams,
    query: receivableVerificationQuery,
    response: receivableVerificationSchema,
    errorStatuses: [404, 503],
    handler: ({ params, query }) => service.verify(params.id, query),
  });
  routes.add({
    method: "get",
    path: "/api/v1/members/:address/receivables",
    operationId: "listMemberHoldings",
    tag: TAG,
    summary: "The receivables a member holds a part of, with its amount, free, earmarked, pledged and settled parts",
    params: memberParams,
    query: memberHoldingsQuery,
    response: memberHoldingPageSchema,
    errorStatuses: [404],
    handler: ({ params, query }) => service.holdingsOf(params.address, query),
  });
  routes.add({
    method: "get",
    path: "/api/v1/members/:address/maturity-calendar",
    operationId: "getMaturityCalendar",
    tag: TAG,
    summary: "What a member is still to receive (its holdings) and to pay (as debtor), month by month, and what is overdue",
    params: memberParams,
    query: maturityCalendarQuery,
    response: maturityCalendarSchema,
    errorStatuses: [404],
    handler: ({ params, query }) => service.maturityCalendar(params.address, query),
  });
}
