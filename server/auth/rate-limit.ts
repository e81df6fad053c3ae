import type { RequestHandler } from "express";
import { TooManyRequestsError } from "../errors";

export interface RateLimitSettings {
  /** Requests allowed per window and client IP; 0 disables the limit. */
  max: number;
  windowMs: number;
}

/**
 * A sliding-window limit per client IP, in this process's memory: each API instance counts on its
 * own, so N instances behind a balancer admit up to N times the limit. Over the limit the request
 * is answered 429 with Retry-After (seconds until the oldest counted request leaves the window).
 */
export function rateLimit(settings: RateLimitSettings): RequestHandler {
  const hits = new Map<string, number[]>();
  let lastSweep = Date.now();
  return (req, res, next) => {
    if (settings.max <= 0) return next();
    const now = Date.now();
    const since = now - settings.windowMs;
    if (now - lastSweep > settings.windowMs) {
      // Forget clients idle for a whole window, so the map stays as small as the active clients.
      for (const [client, times] of hits) if (times[times.length - 1] <= since) hits.delete(client);
      lastSweep = now;
    }
    const client = req.ip ?? req.socket.remoteAddress ?? "unknown";
    const times = (hits.get(client) ?? []).filter((t) => t > since);
    if (times.length >= settings.max) {
      hits.set(client, times);
      const retryAfter = Math.max(1, Math.ceil((times[0] + settings.windowMs - now) / 1000));
      res.setHeader("Retry-After", String(retryAfter));
      return next(new TooManyRequestsError(retryAfter));
    }
    times.push(now);
    hits.set(client, times);
    next();
  };
}
