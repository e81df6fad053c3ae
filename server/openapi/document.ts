import { z } from "zod";
import { accessRuleOf } from "../access/access-control";
import type { RouteSpec } from "../http/route";

const errorBody = z
  .object({
    error: z.object({
      code: z.string().describe("Machine-readable error code, e.g. VALIDATION_FAILED, NOT_FOUND"),
      message: z.string().describe("Human-readable message naming the offending field"),
      details: z.unknown().describe("Structured context: for VALIDATION_FAILED a list of { field, message }"),
    }),
  })
  .meta({ id: "Error" });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid input; `details` lists each problem with its field",
  401: "A credential or sign-in message was presented and refused; `details.reason` says why, `details.field` names it",
  403: "The caller may not do this, or its member is suspended or revoked (MEMBER_NOT_ACTIVE)",
  404: "No such resource",
  409: "Conflict with the current state",
  413: "The request body is too large",
  415: "The request body's media type, charset or encoding is not supported",
  429: "Too many requests from this client: retry after the Retry-After header's seconds",
  500: "Unexpected server error",
  503: "Not ready",
};

const COMPONENT_PREFIX = "#/components/schemas/";

/** How callers authenticate: see server/http/authentication.ts. */
const SECURITY_SCHEMES = {
  bearerAuth: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "Session token from POST /api/v1/auth/sign-in (Sign-In with Ethereum), HS256, short-lived",
  },
  apiKeyAuth: {
    type: "apiKey",
    in: "header",
    name: "X-API-Key",
    description: "A member's API key (tfk_<id>.<secret>) for server-to-server callers, scoped read or read-write",
  },
};
/**
 * The credentials an operation accepts, from the access policy and RouteSpec.credential: `{}` (no
 * credential) only for public operations; a credential presented must always be valid.
 */
const SECURITY = {
  optional: [{}, { bearerAuth: [] }, { apiKeyAuth: [] }],
  any: [{ bearerAuth: [] }, { apiKeyAuth: [] }],
  token: [{ bearerAuth: [] }],
};

function securityOf(route: RouteSpec) {
  if (route.credential) return SECURITY[route.credential];
  return accessRuleOf(route.operationId).tier === "public" ? SECURITY.optional : SECURITY.any;
}

/** The policy's rule in words, appended to the description (and machine-readable as x-access). */
function accessOf(route: RouteSpec) {
  const { tier, who, writes } = accessRuleOf(route.operationId);
  return { tier, who, ...(writes ? { writes: true } : {}) };
}

/**
 * JSON Schema (2020-12, as OpenAPI 3.1 uses) of a zod schema: a $ref when the schema is a registered
 * component, inline otherwise (parameters and small bodies).
 */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const id = z.globalRegistry.get(schema)?.id;
  if (id) return { $ref: COMPONENT_PREFIX + id };
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

function componentSchemas(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    io: "output",
    unrepresentable: "any",
    uri: (id) => COMPONENT_PREFIX + id,
  }) as { schemas: Record<string, Record<string, unknown>> };
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema]),
  );
}

function parameters(location: "path" | "query", schema: z.ZodObject<z.ZodRawShape> | undefined) {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, field]) => {
    const fieldSchema = field as z.ZodType;
    const description = z.globalRegistry.get(fieldSchema)?.description ?? fieldSchema.description;
    return {
      name,
      in: location,
      required: location === "path" || !fieldSchema.safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema: jsonSchema(fieldSchema, "input"),
    };
  });
}

/** A JSON body by its schema; raw bytes (RouteSpec.rawBody) as media types without a schema, as OpenAPI 3.1 describes binary content. */
function requestContent(body: z.ZodType, rawMediaTypes: string[] | undefined) {
  if (rawMediaTypes) return Object.fromEntries(rawMediaTypes.map((mediaType) => [mediaType, {}]));
  return { "application/json": { schema: jsonSchema(body, "input") } };
}

function successContent(route: RouteSpec) {
  if (route.binaryResponse) {
    const { mediaTypes, headers } = route.binaryResponse;
    return {
      content: Object.fromEntries(mediaTypes.map((mediaType) => [mediaType, {}])),
      ...(headers
        ? { headers: Object.fromEntries(Object.entries(headers).map(([name, description]) => [name, { description, schema: { type: "string" } }])) }
        : {}),
    };
  }
  return { content: { [route.contentType ?? "application/json"]: { schema: jsonSchema(route.response, "output") } } };
}

/** Builds the OpenAPI 3.1 document from the same route specs and zod schemas that serve requests. */
export function buildOpenApiDocument(routes: RouteSpec[], info: { version: string; serverUrl?: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const openApiPath = route.path.replace(/:(\w+)/g, "{$1}");
    // Any operation with a body can also meet the JSON body parser's limits.
    const statuses = [400, ...(route.body ? [413, 415] : []), ...(route.errorStatuses ?? []), 500];
    paths[openApiPath] ??= {};
    paths[openApiPath][route.method] = {
      operationId: route.operationId,
      tags: [route.tag],
      summary: route.summary,
      description: [route.description, `**Access** (${accessOf(route).tier}): ${accessOf(route).who}.`].filter(Boolean).join("\n\n"),
      "x-access": accessOf(route),
      parameters: [...parameters("path", route.params), ...parameters("query", route.query)],
      security: securityOf(route),
      ...(route.body
        ? { requestBody: { required: true, content: requestContent(route.body, route.rawBody?.mediaTypes) } }
        : {}),
      responses: {
        ...Object.fromEntries(
          [{ status: 200, description: "Success" }, ...(route.alsoSucceeds ?? [])].map(({ status, description }) => [
            status,
            { description, ...successContent(route) },
          ]),
        ),
        ...Object.fromEntries(
          statuses.map((status) => [
            status,
            {
              description: ERROR_DESCRIPTIONS[status] ?? "Error",
              content: { "application/json": { schema: { $ref: COMPONENT_PREFIX + "Error" } } },
            },
          ]),
        ),
      },
    };
  }
  void errorBody; // registered in the global registry by .meta(); referenced above
  return {
    openapi: "3.1.0",
    info: {
      title: "TraceFin API",
      version: info.version,
      description:
        "Read API of the TraceFin ledger: members, products, batches, their timelines, provenance traces, " +
        "EPCIS 2.0 export and anchor proofs. Data is a projection of the chain built by the indexer. " +
        "Members sign in with Ethereum (EIP-4361) for a session token, or use API keys.",
    },
    servers: info.serverUrl ? [{ url: info.serverUrl }] : [],
    paths,
    components: { schemas: componentSchemas(), securitySchemes: SECURITY_SCHEMES },
  };
}
