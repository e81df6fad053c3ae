import type { RouteTable } from "../http/route";
import { batchParams } from "../batches/batches.schemas";
import { EPCIS_MEDIA_TYPE, epcisDocumentSchema, epcisQuery } from "./epcis.schemas";
import type { EpcisService } from "./epcis.service";

export function epcisRoutes(routes: RouteTable, service: EpcisService): void {
  routes.add({
    method: "get",
    path: "/api/v1/batches/:id/epcis",
    operationId: "exportBatchEpcis",
    tag: "EPCIS",
    summary: "The batch's events as a GS1 EPCIS 2.0 JSON-LD document; lineage=true adds its upstream batches' events",
    description:
      "Trace events map to ObjectEvents (commissioning, picking, shipping, receiving, arriving/returned, inspecting, " +
      "sensor_reporting, holding; a retirement is an ObjectEvent DELETE, decommissioning) and one TransformationEvent per transformation. eventIDs are stable UUIDs derived " +
      "from the chain, transaction and log index; `tracefin:` extension fields give the ledger position and document hashes.",
    params: batchParams,
    query: epcisQuery,
    response: epcisDocumentSchema,
    contentType: EPCIS_MEDIA_TYPE,
    errorStatuses: [404, 503],
    handler: ({ params, query }) => service.exportBatch(params.id, query),
  });
}
