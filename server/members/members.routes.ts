import type { RouteTable } from "../http/route";
import { listMembersQuery, memberPageSchema, memberParams, memberSchema } from "./members.schemas";
import type { createMembersService } from "./members.service";

export function memberRoutes(routes: RouteTable, service: ReturnType<typeof createMembersService>): void {
  routes.add({
    method: "get",
    path: "/api/v1/members",
    operationId: "listMembers",
    tag: "Members",
    summary: "List consortium members, optionally by role or status",
    query: listMembersQuery,
    response: memberPageSchema,
    handler: ({ query }) => service.list(query),
  });
  routes.add({
    method: "get",
    path: "/api/v1/members/:address",
    operationId: "getMember",
    tag: "Members",
    summary: "One member organization",
    params: memberParams,
    response: memberSchema,
    errorStatuses: [404],
    handler: ({ params }) => service.get(params.address),
  });
}
