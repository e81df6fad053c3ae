import type { RequestHandler } from "express";
import { eq } from "drizzle-orm";
import type { Database } from "../../shared/db/client";
import type { Deployment } from "../../shared/chain/deployments";
import { indexerCheckpoints } from "../../shared/db/schema";
import type { RouteTable } from "../http/route";
import { createAuthentication } from "../http/authentication";
import type { NodeClient } from "../transactions/node-client";
import { createApiKeyStore } from "./api-keys";
import { apiKeyRoutes } from "./api-keys.routes";
import { authRoutes } from "./auth.routes";
import { createConsortiumAdmin } from "./consortium-admin";
import { createMemberStandingReader, STANDING_CACHE_ENTRIES } from "./member-standing";
import { createIndexedCache } from "../http/indexed-cache";
import type { CheckpointWatch } from "../../shared/db/checkpoint-watch";
import { createNonceStore } from "./nonces";
import { rateLimit } from "./rate-limit";
import { resolveAuthSettings, type AuthOptions } from "./settings";
import { chainIdResolver, createSignInService } from "./sign-in";
import { createTokenService } from "./tokens";

export type { AuthOptions } from "./settings";

export interface AuthWiring {
  /** Sets res.locals.caller (see server/http/authentication.ts). */
  authenticate: RequestHandler;
  /** The per-IP limit of /api/v1/auth/*. */
  rateLimit: RequestHandler;
  addRoutes(routes: RouteTable): void;
}

/** Sign-in, tokens, API keys and the authenticate middleware, built from the app's options. */
export function createAuth(input: {
  db: Database;
  auth?: AuthOptions;
  node?: NodeClient;
  deployment?: Deployment;
  checkpointWatch?: CheckpointWatch;
  credentialWatch?: CheckpointWatch;
}): AuthWiring {
  const settings = resolveAuthSettings(input.auth);
  const { db } = input;
  const tokens = settings.jwtSecret
    ? createTokenService({ secret: settings.jwtSecret, issuer: settings.issuer, audience: settings.audience, ttlSeconds: settings.tokenTtlSeconds })
    : undefined;
  const apiKeys = createApiKeyStore(db, input.credentialWatch);
  const standing = createMemberStandingReader(db, createIndexedCache(db, STANDING_CACHE_ENTRIES, input.checkpointWatch));
  const admin = createConsortiumAdmin(input.node, input.deployment?.contracts.MemberRegistry);
  const nonces = createNonceStore(db, settings.nonceTtlSeconds);
  const chainId = chainIdResolver(settings.chainId ?? input.deployment?.chainId, async () => {
    const [checkpoint] = await db.select({ chainId: indexerCheckpoints.chainId }).from(indexerCheckpoints).where(eq(indexerCheckpoints.id, "main"));
    return checkpoint?.chainId;
  });
  const signIn = tokens
    ? createSignInService({ domain: settings.domain, chainId, nonces, tokens, standing, admin, node: input.node })
    : undefined;
  return {
    authenticate: createAuthentication({ tokens, apiKeys, standing, admin }),
    rateLimit: rateLimit(settings.rateLimit),
    addRoutes(routes) {
      authRoutes(routes, { signIn, nonces, domain: settings.domain, chainId });
      apiKeyRoutes(routes, { apiKeys, standing, enabled: tokens !== undefined });
    },
  };
}
