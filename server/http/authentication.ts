import type { RequestHandler } from "express";

/**
 * Who is calling. Today every caller is anonymous and every route is a public read; sign-in (SIWE,
 * API keys) and the access policy plug in here, in one place, without touching the routes.
 */
export type Caller = { kind: "anonymous" };

declare module "express-serve-static-core" {
  interface Locals {
    caller: Caller;
  }
}

export const authenticate: RequestHandler = (_req, res, next) => {
  res.locals.caller = { kind: "anonymous" };
  next();
};
