import type { Request, Response } from "express";
import { ForbiddenError } from "../errors";
import type { Caller } from "../http/authentication";
import type { AccessLog } from "./access-log";
import type { PartyResolver } from "./parties";
import { ACCESS_POLICY } from "./policy";
import { describeRefusal, type AccessInput, type AccessRule } from "./rules";

/** What the access control needs to know of an operation. */
export interface GuardedOperation {
  operationId: string;
  method: string;
  path: string;
  credential?: "token" | "any";
}

/** The rule of an operation; an operation the policy does not classify is a programming error. */
export function accessRuleOf(operationId: string): AccessRule {
  const rule = ACCESS_POLICY[operationId];
  if (!rule) throw new Error(`Operation ${operationId} has no access rule: classify it in server/access/policy.ts`);
  return rule;
}

/** Reads of these tiers are private data: each one, allowed or refused, goes to the access log. */
const LOGGED_TIERS = new Set<AccessRule["tier"]>(["party", "oversight"]);

/**
 * Enforces ACCESS_POLICY for the RouteTable. `guard` is called once per operation when routes are
 * mounted (its rule, label and whether it is logged are settled then) and answers the per-request
 * steps: `admit` before the request is parsed (a credential is needed, the right kind and scope),
 * `authorize` once the path and query are valid (the rule's own test, e.g. being party to the
 * asset), and `watch`, which logs the request when it finishes if it read private data.
 */
export function createAccessControl(deps: { parties: PartyResolver; log?: AccessLog }) {
  return {
    guard(operation: GuardedOperation) {
      const rule = accessRuleOf(operation.operationId);
      const label = `${operation.method.toUpperCase()} ${operation.path}`;
      const log = operation.method === "get" && LOGGED_TIERS.has(rule.tier) ? deps.log : undefined;

      return {
        admit(caller: Caller): void {
          if (rule.tier === "public" && !operation.credential) return;
          if (caller.kind === "anonymous") throw describeRefusal(label, rule, caller);
          if (operation.credential === "token" && caller.via !== "token") {
            throw new ForbiddenError(`${label} needs a session token (sign in): an API key cannot do this`, { reason: "TOKEN_REQUIRED" });
          }
          if (rule.writes && caller.scope !== "read-write") {
            throw new ForbiddenError(`API key ${caller.apiKeyId} is read-only: ${label} needs a read-write credential`, {
              reason: "READ_ONLY_CREDENTIAL",
            });
          }
        },

        async authorize(caller: Caller, input: AccessInput): Promise<void> {
          if (caller.kind === "anonymous" || !rule.allows) return;
          if (!(await rule.allows(caller, input, deps.parties))) throw describeRefusal(label, rule, caller);
        },

        watch(req: Request, res: Response): void {
          if (!log) return;
          const at = new Date();
          res.on("finish", () => {
            const caller: Caller = res.locals.caller ?? { kind: "anonymous" };
            log.record({
              at,
              caller: caller.kind === "anonymous" ? null : caller.address,
              via: caller.kind === "anonymous" ? null : caller.via,
              apiKeyId: caller.kind === "anonymous" ? null : (caller.apiKeyId ?? null),
              operation: operation.operationId,
              resource: req.originalUrl.slice(0, 2000),
              status: res.statusCode,
            });
          });
        },
      };
    },
  };
}

export type AccessControl = ReturnType<typeof createAccessControl>;
