import type { Response } from "express";
import type { RouteTable } from "../http/route";
import { NotFoundError, NotReadyError } from "../errors";
import type { AuthenticatedCaller } from "../http/authentication";
import { apiKeyListSchema, apiKeyParams, apiKeySchema, createApiKeyBody, issuedApiKeySchema, memberKeysParams } from "./auth.schemas";
import { AUTH_TAG } from "./auth.routes";
import type { ApiKeyRow, ApiKeyStore } from "./api-keys";
import type { MemberStandingReader } from "./member-standing";

export interface ApiKeyRouteDependencies {
  apiKeys: ApiKeyStore;
  standing: MemberStandingReader;
  /** False when sign-in is not configured: nobody can hold a token, so the routes answer 503. */
  enabled: boolean;
}

export function apiKeyView(row: ApiKeyRow) {
  return {
    id: row.id,
    member: row.memberAddress,
    name: row.name,
    scope: row.scope,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/**
 * A member's keys are managed by the member itself or by the consortium admin, signed in with a
 * session token: an API key cannot mint or revoke keys, so a leaked key cannot entrench itself.
 */
export function apiKeyRoutes(routes: RouteTable, deps: ApiKeyRouteDependencies): void {
  /** The access policy admitted the caller (the member itself or the admin, by session token). */
  async function keyManager(res: Response, member: string): Promise<AuthenticatedCaller> {
    if (!deps.enabled) throw new NotReadyError("Sign-in is not configured on this API: set AUTH_JWT_SECRET");
    if (!(await deps.standing(member))) throw new NotFoundError("Member", member);
    return res.locals.caller as AuthenticatedCaller;
  }

  const errorStatuses = [401, 403, 404, 503];
  routes.add({
    method: "post",
    path: "/api/v1/members/:member/api-keys",
    operationId: "createApiKey",
    credential: "token",
    tag: AUTH_TAG,
    summary: "Issue an API key to a member (by the member or the consortium admin); the secret is shown only in this answer",
    params: memberKeysParams,
    body: createApiKeyBody,
    response: issuedApiKeySchema,
    errorStatuses,
    handler: async ({ params, body, res }) => {
      const caller = await keyManager(res, params.member);
      const { row, key } = await deps.apiKeys.create({ memberAddress: params.member, name: body.name, scope: body.scope, createdBy: caller.address });
      return { ...apiKeyView(row), key };
    },
  });
  routes.add({
    method: "get",
    path: "/api/v1/members/:member/api-keys",
    operationId: "listApiKeys",
    credential: "token",
    tag: AUTH_TAG,
    summary: "A member's API keys, newest first (never their secrets)",
    params: memberKeysParams,
    response: apiKeyListSchema,
    errorStatuses,
    handler: async ({ params, res }) => {
      await keyManager(res, params.member);
      return { items: (await deps.apiKeys.list(params.member)).map(apiKeyView) };
    },
  });
  routes.add({
    method: "post",
    path: "/api/v1/members/:member/api-keys/:id/revoke",
    operationId: "revokeApiKey",
    credential: "token",
    tag: AUTH_TAG,
    summary: "Revoke a member's API key: it is refused (401) from then on",
    params: apiKeyParams,
    response: apiKeySchema,
    errorStatuses,
    handler: async ({ params, res }) => {
      const caller = await keyManager(res, params.member);
      const row = await deps.apiKeys.revoke(params.member, params.id, caller.address);
      if (!row) throw new NotFoundError("API key", params.id);
      return apiKeyView(row);
    },
  });
}
