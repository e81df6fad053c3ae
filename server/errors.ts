/**
 * Domain errors thrown by services. They know nothing of HTTP; the error handler maps each `code`
 * to a status once, so every route answers `{ error: { code, message, details } }` the same way.
 */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface FieldProblem {
  /** Where the problem is: "query.limit", "params.id", "body.proof[2]". */
  field: string;
  message: string;
}

export class ValidationError extends ApiError {
  constructor(readonly problems: FieldProblem[]) {
    super("VALIDATION_FAILED", problems.map((p) => `${p.field}: ${p.message}`).join("; "), problems);
  }
}

export class NotFoundError extends ApiError {
  constructor(resource: string, id: string | number) {
    super("NOT_FOUND", `${resource} ${id} does not exist`, { resource, id: String(id) });
  }
}

export class ConflictError extends ApiError {
  constructor(message: string, details?: unknown) {
    super("CONFLICT", message, details);
  }
}

export class NotReadyError extends ApiError {
  constructor(message: string, details?: unknown) {
    super("NOT_READY", message, details);
  }
}

export const STATUS_BY_CODE: Record<string, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  /** A contract refused the operation (simulated or mined); details name the custom error. */
  CONTRACT_REVERT: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_READY: 503,
  INTERNAL: 500,
};
