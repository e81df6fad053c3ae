import type { RequestHandler } from "express";
import { roleNames, type RoleName } from "../../shared/roles";
import { MemberNotActiveError, UnauthorizedError } from "../errors";
import type { ApiKeyStore } from "../auth/api-keys";
import type { ConsortiumAdmin } from "../auth/consortium-admin";
import type { MemberStandingReader } from "../auth/member-standing";
import type { TokenService } from "../auth/tokens";

/**
 * Who is calling, decided once per request here; the access policy reads `res.locals.caller`.
 * - anonymous: no credential was presented;
 * - member: an active member of the indexed MemberRegistry, by session token or API key;
 * - admin: the MemberRegistry's owner (the consortium admin), which is not itself a member.
 * Roles and status are read from the indexed `members` table on every request.
 */
export type Caller = { kind: "anonymous" } | AuthenticatedCaller;

export interface AuthenticatedCaller {
  kind: "member" | "admin";
  /** Lower-case 0x address. */
  address: string;
  name: string;
  roles: RoleName[];
  roleBits: number;
  via: "token" | "api-key";
  /** Session tokens are read-write; an API key has the scope it was issued with. */
  scope: "read" | "read-write";
  /** The public id of the API key used, when via is "api-key". */
  apiKeyId?: string;
}

declare module "express-serve-static-core" {
  interface Locals {
    caller: Caller;
  }
}

export interface AuthenticationDependencies {
  /** Undefined when no token key is configured: then every bearer token is refused. */
  tokens?: TokenService;
  apiKeys: ApiKeyStore;
  standing: MemberStandingReader;
  admin: ConsortiumAdmin;
}

const BEARER = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)\s*$/i;

/**
 * `Authorization: Bearer <jwt>` or `X-API-Key: <key>`. No credential: anonymous. A credential that
 * does not verify is a 401 with a reason, never a silent anonymous; a genuine credential of a member
 * that is now suspended or revoked is a 403 MEMBER_NOT_ACTIVE.
 */
export function createAuthentication(deps: AuthenticationDependencies): RequestHandler {
  return async (req, res, next) => {
    const authorization = req.get("authorization");
    const apiKey = req.get("x-api-key");
    if (authorization === undefined && apiKey === undefined) {
      res.locals.caller = { kind: "anonymous" };
      return next();
    }
    if (authorization !== undefined && apiKey !== undefined) {
      throw new UnauthorizedError("AMBIGUOUS_CREDENTIALS", "present either Authorization or X-API-Key, not both");
    }
    let address: string;
    let via: AuthenticatedCaller["via"];
    let scope: AuthenticatedCaller["scope"] = "read-write";
    let apiKeyId: string | undefined;
    if (authorization !== undefined) {
      const match = BEARER.exec(authorization);
      if (!match) throw new UnauthorizedError("TOKEN_MALFORMED", 'must be "Bearer <token>" with a JWT', "header.authorization");
      if (!deps.tokens) {
        throw new UnauthorizedError("TOKENS_DISABLED", "sign-in is not configured on this API (AUTH_JWT_SECRET): no token is accepted", "header.authorization");
      }
      ({ address } = await deps.tokens.verify(match[1]));
      via = "token";
    } else {
      const found = await deps.apiKeys.find(apiKey!.trim());
      if (found === "malformed") throw new UnauthorizedError("API_KEY_MALFORMED", 'is not an API key ("tfk_<id>.<secret>")', "header.x-api-key");
      if (!found) throw new UnauthorizedError("API_KEY_UNKNOWN", "no such API key, or a wrong secret", "header.x-api-key");
      if (found.revokedAt) throw new UnauthorizedError("API_KEY_REVOKED", `API key ${found.id} was revoked at ${found.revokedAt.toISOString()}`, "header.x-api-key");
      await deps.apiKeys.touch(found.id);
      address = found.memberAddress;
      via = "api-key";
      scope = found.scope;
      apiKeyId = found.id;
    }

    const member = await deps.standing(address);
    if (member) {
      if (member.status !== "active") throw new MemberNotActiveError(address, member.status);
      const roleBits = member.roles;
      res.locals.caller = { kind: "member", address, name: member.name, roles: roleNames(roleBits), roleBits, via, scope, ...(apiKeyId ? { apiKeyId } : {}) };
      return next();
    }
    if (await deps.admin.is(address)) {
      res.locals.caller = { kind: "admin", address, name: "Consortium admin", roles: [], roleBits: 0, via, scope, ...(apiKeyId ? { apiKeyId } : {}) };
      return next();
    }
    throw new MemberNotActiveError(address, "not a member");
  };
}
