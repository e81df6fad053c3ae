import { z } from "zod";
import { addressSchema, cursorSchema, decodeCursor, limitSchema, pageSchema, toPage } from "../http/common-schemas";
import type { RouteTable } from "../http/route";
import type { MembersRepository } from "../members/members.repository";
import { partyLabeller } from "../members/parties";
import { partySchema } from "../batches/batches.schemas";
import type { AccessLog } from "./access-log";

const utcSeconds = z.coerce.number().int().min(0).max(253402300799);

const accessLogQuery = z.object({
  caller: addressSchema.optional().describe("Only reads by this member"),
  operation: z.string().regex(/^[A-Za-z]{1,100}$/, "must be an operationId, e.g. getReceipt").optional().describe("Only this operation (operationId)"),
  status: z.coerce.number().int().min(100).max(599).optional().describe("Only answers with this HTTP status, e.g. 403 for refusals"),
  since: utcSeconds.optional().describe("From this time on, UTC seconds"),
  until: utcSeconds.optional().describe("Up to this time, UTC seconds"),
  limit: limitSchema,
  cursor: cursorSchema,
});

const accessLogEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string().describe("When the request arrived, ISO 8601 UTC with milliseconds"),
    time: z.number().int().describe("The same, UTC seconds"),
    caller: partySchema.nullable().describe("Null for a request without a credential (refused)"),
    via: z.enum(["token", "api-key"]).nullable(),
    apiKeyId: z.string().nullable(),
    operation: z.string().describe("The operationId"),
    resource: z.string().describe("The request's path and query"),
    status: z.number().int().describe("The answer's HTTP status: 2xx read, 401/403 refused"),
  })
  .meta({ id: "AccessLogEntry" });

/** GET /api/v1/access-log: who read which private data when, newest first (regulators and auditors). */
export function accessLogRoutes(routes: RouteTable, log: AccessLog, members: MembersRepository): void {
  routes.add({
    method: "get",
    path: "/api/v1/access-log",
    operationId: "listAccessLog",
    tag: "Access",
    summary: "Every read of private data, allowed or refused: who, by which credential, what, when (newest first)",
    description:
      "Private data is what the access policy classifies as party or oversight data (receipts, loans, receivables, " +
      "documents, members' books, the exposure view): each request for it is logged once its answer is sent, with the " +
      "caller, its credential, the operation and resource, and the status (a 403 is an attempt that was refused).",
    query: accessLogQuery,
    response: pageSchema(accessLogEntrySchema, "AccessLogPage"),
    handler: async ({ query }) => {
      const before = decodeCursor<[number]>(query.cursor, ["number"]);
      const rows = await log.list({
        caller: query.caller,
        operation: query.operation,
        status: query.status,
        since: query.since === undefined ? undefined : new Date(query.since * 1000),
        until: query.until === undefined ? undefined : new Date(query.until * 1000 + 999),
        before: before?.[0],
        limit: query.limit,
      });
      const label = await partyLabeller(members, rows.map((row) => row.caller));
      return toPage(
        rows,
        query.limit,
        (row) => ({
          id: row.id,
          at: row.at.toISOString(),
          time: Math.floor(row.at.getTime() / 1000),
          caller: row.caller === null ? null : label(row.caller),
          via: row.via,
          apiKeyId: row.apiKeyId,
          operation: row.operation,
          resource: row.resource,
          status: row.status,
        }),
        (row) => [row.id],
      );
    },
  });
}
