import type { RouteTable } from "../http/route";
import {
  batchPageSchema,
  batchParams,
  batchSchema,
  listBatchesQuery,
  timelineQuery,
  traceEventPageSchema,
} from "./batches.schemas";
import type { BatchesService } from "./batches.service";

export function batchRoutes(routes: RouteTable, service: BatchesService): void {
  routes.add({
    method: "get",
    path: "/api/v1/batches",
    operationId: "listBatches",
    tag: "Batches",
    summary: "List batches by product, producer, custodian, status or origin, oldest first",
    query: listBatchesQuery,
    response: batchPageSchema,
    handler: ({ query }) => service.list(query),
  });
  routes.add({
    method: "get",
    path: "/api/v1/batches/:id",
    operationId: "getBatch",
    tag: "Batches",
    summary: "One batch with its current custodian, quantity and status",
    params: batchParams,
    response: batchSchema,
    errorStatuses: [404],
    handler: ({ params }) => service.get(params.id),
  });
  routes.add({
    method: "get",
    path: "/api/v1/batches/:id/events",
    operationId: "getBatchTimeline",
    tag: "Batches",
    summary: "The batch's event timeline (commission, custody, inspections, transformations, recalls), oldest first",
    params: batchParams,
    query: timelineQuery,
    response: traceEventPageSchema,
    errorStatuses: [404],
    handler: ({ params, query }) => service.timeline(params.id, query),
  });
}
