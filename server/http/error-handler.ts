import type { ErrorRequestHandler, RequestHandler } from "express";
import { ApiError, STATUS_BY_CODE, ValidationError } from "../errors";
import type { Logger } from "../../shared/logger";

export function sendError(res: Parameters<RequestHandler>[1], status: number, error: ApiError): void {
  res.status(status).json({ error: { code: error.code, message: error.message, details: error.details ?? null } });
}

/** Unknown paths answer the same JSON error shape as everything else. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, 404, new ApiError("NOT_FOUND", `No route for ${req.method} ${req.path}`, { path: req.path }));
};

/** Maps domain errors to statuses; anything unexpected is logged and answered as a bare 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (error instanceof ApiError) return sendError(res, STATUS_BY_CODE[error.code] ?? 400, error);
    // body-parser marks its own client errors with a status (malformed JSON, body too large).
    const status = (error as { status?: number }).status;
    if (status === 400 && (error as { type?: string }).type === "entity.parse.failed") {
      return sendError(res, 400, new ApiError("MALFORMED_JSON", "The request body is not valid JSON"));
    }
    if (status === 413) return sendError(res, 413, new ApiError("PAYLOAD_TOO_LARGE", "The request body is too large"));
    // An unsupported charset or Content-Encoding of the body.
    if (status === 415) {
      return sendError(res, 415, new ApiError("UNSUPPORTED_MEDIA_TYPE", `The request body cannot be read: ${(error as Error).message}`));
    }
    // The router could not percent-decode a path parameter.
    if (status === 400 && error instanceof URIError) {
      return sendError(res, 400, new ValidationError([{ field: "path", message: "is not valid percent-encoding" }]));
    }
    logger.error("Unhandled error", { method: req.method, path: req.path, error: (error as Error).stack ?? String(error) });
    sendError(res, 500, new ApiError("INTERNAL", "Internal server error"));
  };
}
