import type { RouteTable } from "../http/route";
import { batchParams } from "../batches/batches.schemas";
import { traceGraphSchema, traceQuery } from "./trace.schemas";
import type { TraceService } from "./trace.service";

export function traceRoutes(routes: RouteTable, service: TraceService): void {
  routes.add({
    method: "get",
    path: "/api/v1/batches/:id/trace",
    operationId: "traceBatch",
    tag: "Trace",
    summary: "Provenance graph of a batch: inputs back to their origin and every derived batch (recall scope)",
    params: batchParams,
    query: traceQuery,
    response: traceGraphSchema,
    errorStatuses: [404],
    handler: ({ params, query }) => service.trace(params.id, query),
  });
}
