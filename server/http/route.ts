import express, { type Request, type RequestHandler, type Response, type Router } from "express";
import { z } from "zod";
import { ValidationError, type FieldProblem } from "../errors";
import { accessRuleOf, type AccessControl } from "../access/access-control";

type AnyObject = z.ZodObject<z.ZodRawShape>;

/**
 * One API operation: its zod schemas validate the request and, the same objects, describe it in the
 * OpenAPI document. Handlers receive parsed input and return the response body.
 */
export interface RouteSpec<P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject, B extends z.ZodType = z.ZodType> {
  method: "get" | "post";
  /** Express-style path, e.g. /api/v1/batches/:id */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * The request body is not JSON but raw bytes: the handler's `body` is a Buffer (empty when none was
   * sent), read in any media type up to `maxBytes` (beyond: 413); `body` still validates it and
   * `mediaTypes` are what the OpenAPI document lists. The JSON parser leaves such requests alone.
   */
  rawBody?: { mediaTypes: string[]; maxBytes: number };
  response: z.ZodType;
  /** The success response is bytes in one of these media types, sent by the handler itself. */
  binaryResponse?: { mediaTypes: string[]; headers?: Record<string, string> };
  /** Media type of the success response; JSON unless stated. */
  contentType?: string;
  /**
   * The credential the operation needs whatever the access policy says: "token" (a session token),
   * "any" (a token or an API key). Unset: none needed (the policy may still ask for one).
   */
  credential?: "token" | "any";
  /** Other success statuses answering the same body, e.g. 202 while a transaction is pending. */
  alsoSucceeds?: { status: number; description: string }[];
  /** Error statuses the operation can answer besides 400 and 500. */
  errorStatuses?: number[];
  handler(input: { params: z.infer<P>; query: z.infer<Q>; body: z.infer<B>; req: Request; res: Response }): Promise<unknown>;
}

function problemsOf(location: string, error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: [location, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
}

function parsePart<T extends z.ZodType>(location: string, schema: T | undefined, value: unknown, problems: FieldProblem[]) {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  problems.push(...problemsOf(location, result.error));
  return undefined;
}

/** Matches a request path against an Express-style path with :parameters, as the router does. */
function pathPattern(path: string): RegExp {
  const escaped = path.replace(/[.+*?^$()[\]{}|\\]/g, "\\$&").replace(/:(\w+)/g, "[^/]+");
  return new RegExp(`^${escaped}/?$`, "i");
}

/**
 * The API's operations. Every operation is classified in the access policy (server/access/policy.ts):
 * `add` refuses one that is not, and `mount` enforces the policy before any handler runs.
 */
export class RouteTable {
  readonly routes: RouteSpec[] = [];
  private rawBodyPatterns?: { method: string; pattern: RegExp }[];

  constructor(private readonly access: AccessControl) {}

  /** Whether the request is for an operation with a raw body, which the JSON parser must not read. */
  takesRawBody(req: Request): boolean {
    this.rawBodyPatterns ??= this.routes
      .filter((spec) => spec.rawBody)
      .map((spec) => ({ method: spec.method.toUpperCase(), pattern: pathPattern(spec.path) }));
    return this.rawBodyPatterns.some(({ method, pattern }) => method === req.method && pattern.test(req.path));
  }

  add<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(spec: RouteSpec<P, Q, B>): void {
    accessRuleOf(spec.operationId);
    this.routes.push(spec as unknown as RouteSpec);
  }

  mount(router: Router): void {
    for (const spec of this.routes) {
      // Who may call is decided before the body is read (a raw body can be large): first the
      // credential, then, once the path and query are valid, the policy's rule on them.
      const access = this.access.guard(spec);
      const guard: RequestHandler = async (req, res, next) => {
        const caller = res.locals.caller;
        access.watch(req, res);
        access.admit(caller);
        const problems: FieldProblem[] = [];
        const params = parsePart("params", spec.params, req.params, problems);
        const query = parsePart("query", spec.query, req.query, problems);
        if (problems.length > 0) throw new ValidationError(problems);
        await access.authorize(caller, { params: params ?? {}, query: query ?? {} });
        res.locals.input = { params, query };
        next();
      };
      const handlers: RequestHandler[] = [guard];
      if (spec.rawBody) handlers.push(express.raw({ type: () => true, limit: spec.rawBody.maxBytes }));
      router[spec.method](spec.path, ...handlers, async (req, res) => {
        const { params, query } = res.locals.input;
        const problems: FieldProblem[] = [];
        const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const body = parsePart("body", spec.body, spec.rawBody ? rawBody : req.body, problems);
        if (problems.length > 0) throw new ValidationError(problems);
        const result = await spec.handler({ params, query, body, req, res } as never);
        if (res.headersSent) return;
        if (spec.contentType && spec.contentType !== "application/json") {
          res.type(spec.contentType).send(JSON.stringify(result));
        } else {
          res.json(result);
        }
      });
    }
  }
}

declare module "express-serve-static-core" {
  interface Locals {
    /** The request's validated path and query parameters, parsed once by the access guard. */
    input: { params: unknown; query: unknown };
  }
}
