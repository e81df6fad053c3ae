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

/**
 * A credential or sign-in message was presented and is not acceptable. `reason` says why in a
 * machine-readable way (e.g. NONCE_USED, TOKEN_EXPIRED); `field` names the offending input.
 */
export class UnauthorizedError extends ApiError {
  constructor(reason: string, message: string, field?: string) {
    super("UNAUTHORIZED", field ? `${field}: ${message}` : message, { reason, ...(field ? { field } : {}) });
  }
}

/** The caller is known but may not do this. */
export class ForbiddenError extends ApiError {
  constructor(message: string, details?: unknown) {
    super("FORBIDDEN", message, details);
  }
}

/** The credential is genuine, but the member is suspended or revoked on chain (or no longer a member). */
export class MemberNotActiveError extends ApiError {
  constructor(address: string, status: string) {
    super("MEMBER_NOT_ACTIVE", `Member ${address} is ${status}: its credentials give no access`, { address, status });
  }
}

export class TooManyRequestsError extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super("TOO_MANY_REQUESTS", `Too many requests: retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}

export const STATUS_BY_CODE: Record<string, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  MEMBER_NOT_ACTIVE: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  /** A contract refused the operation (simulated or mined); details name the custom error. */
  CONTRACT_REVERT: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  NOT_READY: 503,
  INTERNAL: 500,
  /** A stored document's bytes no longer hash to its address: the store was tampered with or damaged. */
  DOCUMENT_CORRUPTED: 500,
};
