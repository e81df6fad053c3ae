import type { Request, Response, Router } from "express";
import { z } from "zod";
import { ValidationError, type FieldProblem } from "../errors";

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
  response: z.ZodType;
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

export class RouteTable {
  readonly routes: RouteSpec[] = [];

  add<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(spec: RouteSpec<P, Q, B>): void {
    this.routes.push(spec as unknown as RouteSpec);
  }

  mount(router: Router): void {
    for (const spec of this.routes) {
      router[spec.method](spec.path, async (req, res) => {
        const problems: FieldProblem[] = [];
        const params = parsePart("params", spec.params, req.params, problems);
        const query = parsePart("query", spec.query, req.query, problems);
        const body = parsePart("body", spec.body, req.body, problems);
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
