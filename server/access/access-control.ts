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
 * Enforces ACCESS_POLICY for every operation of the RouteTable, in two steps:
 * `admit` before the request is parsed (a credential is needed, the right kind and scope), and
 * `authorize` once the path and query are valid (the rule's own test, e.g. being party to the asset).
 */
export function createAccessControl(deps: { parties: PartyResolver; log?: AccessLog }) {
  const label = (operation: GuardedOperation) => `${operation.method.toUpperCase()} ${operation.path}`;

  return {
    admit(operation: GuardedOperation, caller: Caller): void {
      const rule = accessRuleOf(operation.operationId);
      if (rule.tier === "public" && !operation.credential) return;
      if (caller.kind === "anonymous") throw describeRefusal(label(operation), rule, caller);
      if (operation.credential === "token" && caller.via !== "token") {
        throw new ForbiddenError(`${label(operation)} needs a session token (sign in): an API key cannot do this`, { reason: "TOKEN_REQUIRED" });
      }
      if (rule.writes && caller.scope !== "read-write") {
        throw new ForbiddenError(`API key ${caller.apiKeyId} is read-only: ${label(operation)} needs a read-write credential`, {
          reason: "READ_ONLY_CREDENTIAL",
        });
      }
    },

    async authorize(operation: GuardedOperation, caller: Caller, input: AccessInput): Promise<void> {
      const rule = accessRuleOf(operation.operationId);
      if (caller.kind === "anonymous" || !rule.allows) return;
      if (!(await rule.allows(caller, input, deps.parties))) throw describeRefusal(label(operation), rule, caller);
    },

    /** Writes the request to the access log when it finishes, if it read private data. */
    watch(operation: GuardedOperation, req: Request, res: Response): void {
      const log = deps.log;
      if (!log || operation.method !== "get" || !LOGGED_TIERS.has(accessRuleOf(operation.operationId).tier)) return;
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
}

export type AccessControl = ReturnType<typeof createAccessControl>;
