import type { RouteTable } from "../http/route";
import {
  listReceiptsQuery, receiptEventPageSchema, receiptEventsQuery, receiptPageSchema, receiptParams, receiptSchema,
  verificationQuery, verificationSchema,
} from "./receipts.schemas";
import type { ReceiptsService } from "./receipts.service";

export function receiptRoutes(routes: RouteTable, service: ReceiptsService): void {
  routes.add({
    method: "get",
    path: "/api/v1/receipts",
    operationId: "listReceipts",
    tag: "Warehouse receipts",
    summary: "List warehouse receipts by holder, warehouse, batch, status or pledge, oldest first",
    query: listReceiptsQuery,
    response: receiptPageSchema,
    handler: ({ query }) => service.list(query),
  });
  routes.add({
    method: "get",
    path: "/api/v1/receipts/:id",
    operationId: "getReceipt",
    tag: "Warehouse receipts",
    summary: "One warehouse receipt as it stands now",
    params: receiptParams,
    response: receiptSchema,
    errorStatuses: [404],
    handler: ({ params }) => service.get(params.id),
  });
  routes.add({
    method: "get",
    path: "/api/v1/receipts/:id/events",
    operationId: "getReceiptHistory",
    tag: "Warehouse receipts",
    summary: "The receipt's history: issue, endorsements, splits, inventory checks, freezes, pledges, redemption",
    params: receiptParams,
    query: receiptEventsQuery,
    response: receiptEventPageSchema,
    errorStatuses: [404],
    handler: ({ params, query }) => service.history(params.id, query),
  });
  routes.add({
    method: "get",
    path: "/api/v1/receipts/:id/verification",
    operationId: "verifyReceipt",
    tag: "Warehouse receipts",
    summary: "Can a bank lend against this receipt? A verdict with its reasons, and the facts behind it",
    description:
      "One call per receipt: the receipt's status and holder, the issuing warehouse and its standing, whether the " +
      "ledger still shows the warehouse holding the goods, the goods (product, HS code, origin, certificates, " +
      "provenance, recall status), the age of the latest inventory check, insurance, freezes, the active lien and " +
      "the lien history. `verdict` is `eligible` only when `reasons` is empty; `warnings` do not disqualify. " +
      "A receipt already pledged is `not_eligible` (RECEIPT_PLEDGED): the verdict is about new financing. " +
      "`asOf` names the last block the answer includes.",
    params: receiptParams,
    query: verificationQuery,
    response: verificationSchema,
    errorStatuses: [404, 503],
    handler: ({ params, query }) => service.verify(params.id, query),
  });
}
