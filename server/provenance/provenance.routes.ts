import type { RouteTable } from "../http/route";
import { batchParams } from "../batches/batches.schemas";
import { provenanceSummarySchema } from "./provenance.schemas";
import type { ProvenanceService } from "./provenance.service";

export function provenanceRoutes(routes: RouteTable, service: ProvenanceService): void {
  routes.add({
    method: "get",
    path: "/api/v1/public/batches/:id",
    operationId: "getProvenanceSummary",
    tag: "Public provenance",
    summary: "A batch's provenance for the public (a QR code on the pack): product, origin, certificates, custody by member name, recalls",
    description:
      "Public: no sign-in. It names members, never their addresses, and shows no quantities moved, prices or " +
      "documents, only whether a certificate is recorded. The lineage is followed back through splits and " +
      "transformations (up to 32 steps): a juice's origins are the orchards its apples came from, and a recall of " +
      "any input shows as a recall of the product.",
    params: batchParams,
    response: provenanceSummarySchema,
    errorStatuses: [404],
    handler: ({ params }) => service.summary(params.id),
  });
}
