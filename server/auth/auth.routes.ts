import type { RouteTable } from "../http/route";
import { NotReadyError } from "../errors";
import type { Caller } from "../http/authentication";
import { callerSchema, nonceSchema, signInBody, signInResultSchema } from "./auth.schemas";
import type { NonceStore } from "./nonces";
import type { SignInService } from "./sign-in";

export const AUTH_TAG = "Sign-in and API keys";

export interface AuthRouteDependencies {
  /** Undefined when no token key is configured: nonce and sign-in answer 503. */
  signIn?: SignInService;
  nonces: NonceStore;
  domain: string;
  chainId(): Promise<number>;
}

const notConfigured = () => new NotReadyError("Sign-in is not configured on this API: set AUTH_JWT_SECRET");

export function callerView(caller: Caller) {
  if (caller.kind === "anonymous") return { kind: "anonymous" as const };
  const { roleBits: _bits, ...view } = caller;
  return view;
}

export function authRoutes(routes: RouteTable, deps: AuthRouteDependencies): void {
  routes.add({
    method: "get",
    path: "/api/v1/auth/nonce",
    operationId: "getSignInNonce",
    tag: AUTH_TAG,
    summary: "A fresh single-use nonce for an EIP-4361 sign-in message, and what the message must state",
    response: nonceSchema,
    errorStatuses: [429, 503],
    handler: async () => {
      if (!deps.signIn) throw notConfigured();
      const chainId = await deps.chainId();
      const { nonce, issuedAt, expiresAt } = await deps.nonces.issue();
      return {
        nonce,
        issuedAt: issuedAt.toISOString(),
        expiresAt: expiresAt.toISOString(),
        domain: deps.domain,
        uri: `https://${deps.domain}`,
        chainId,
        version: "1" as const,
      };
    },
  });
  routes.add({
    method: "post",
    path: "/api/v1/auth/sign-in",
    operationId: "signIn",
    tag: AUTH_TAG,
    summary: "Sign in with Ethereum: exchange a signed EIP-4361 message for a session token",
    description:
      "Checks the message's domain, URI, version, chain id, nonce (issued here, unexpired, unused: consumed by this call), " +
      "issued-at / expiration-time / not-before and signature, and that the address is an active member (or the consortium admin). " +
      "Every refusal is a 401 whose `details.reason` says why and `details.field` names body.message or body.signature.",
    body: signInBody,
    response: signInResultSchema,
    errorStatuses: [401, 429, 503],
    handler: async ({ body }) => {
      if (!deps.signIn) throw notConfigured();
      return deps.signIn.signIn(body.message, body.signature);
    },
  });
  routes.add({
    method: "get",
    path: "/api/v1/auth/me",
    operationId: "getCaller",
    tag: AUTH_TAG,
    summary: "Who the API takes the caller to be: anonymous, or a member (roles, credential, scope)",
    response: callerSchema,
    errorStatuses: [401, 403, 429],
    handler: async ({ res }) => callerView(res.locals.caller),
  });
}
