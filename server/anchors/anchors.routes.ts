import type { RouteTable } from "../http/route";
import { anchorPageSchema, anchorParams, anchorSchema, listAnchorsQuery, proofVerdictSchema, verifyProofBody } from "./anchors.schemas";
import type { AnchorsService } from "./anchors.service";

export function anchorRoutes(routes: RouteTable, service: AnchorsService): void {
  routes.add({
    method: "get",
    path: "/api/v1/anchors",
    operationId: "listAnchors",
    tag: "Anchors",
    summary: "Anchored Merkle roots, oldest first",
    query: listAnchorsQuery,
    response: anchorPageSchema,
    handler: ({ query }) => service.list(query),
  });
  routes.add({
    method: "get",
    path: "/api/v1/anchors/:root",
    operationId: "getAnchor",
    tag: "Anchors",
    summary: "One anchored Merkle root: who anchored it, when, over how many events",
    params: anchorParams,
    response: anchorSchema,
    errorStatuses: [404],
    handler: ({ params }) => service.get(params.root),
  });
  routes.add({
    method: "post",
    path: "/api/v1/anchors/verify",
    operationId: "verifyAnchorProof",
    tag: "Anchors",
    summary: "Verify that an off-chain event is included under an anchored root",
    body: verifyProofBody,
    response: proofVerdictSchema,
    handler: ({ body }) => service.verify(body),
  });
}
