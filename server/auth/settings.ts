import { randomBytes } from "node:crypto";
import type { AppConfig } from "../../shared/config";
import type { RateLimitSettings } from "./rate-limit";

/** How the API signs members in. Every field has a default; see README "Sign-in". */
export interface AuthOptions {
  /** HS256 key of the tokens (>= 32 bytes). Undefined: the auth routes answer 503 and no token is accepted. */
  jwtSecret: Uint8Array | undefined;
  tokenTtlSeconds?: number;
  audience?: string;
  issuer?: string;
  /** The EIP-4361 domain (host[:port]) that sign-in messages must name. */
  domain?: string;
  /** The chain id messages must name; default the deployment's, else the indexed chain's. */
  chainId?: number;
  nonceTtlSeconds?: number;
  /** Per client IP on /api/v1/auth/*, per API instance. */
  rateLimit?: RateLimitSettings;
}

export interface AuthSettings {
  jwtSecret: Uint8Array | undefined;
  tokenTtlSeconds: number;
  audience: string;
  issuer: string;
  domain: string;
  chainId?: number;
  nonceTtlSeconds: number;
  rateLimit: RateLimitSettings;
}

export const AUTH_DEFAULTS = {
  tokenTtlSeconds: 900,
  audience: "tracefin-api",
  issuer: "tracefin",
  domain: "localhost",
  nonceTtlSeconds: 300,
  rateLimit: { max: 30, windowMs: 60_000 },
};

/**
 * The settings the app runs with. An app built without any `auth` option (an embedded or test app)
 * gets a random in-memory key: sign-in works on that one instance and its tokens die with it.
 * Deployments pass the configuration (authOptionsFromConfig), where a missing secret disables sign-in.
 */
export function resolveAuthSettings(options: AuthOptions | undefined): AuthSettings {
  return {
    jwtSecret: options ? options.jwtSecret : new Uint8Array(randomBytes(32)),
    tokenTtlSeconds: options?.tokenTtlSeconds ?? AUTH_DEFAULTS.tokenTtlSeconds,
    audience: options?.audience ?? AUTH_DEFAULTS.audience,
    issuer: options?.issuer ?? AUTH_DEFAULTS.issuer,
    domain: options?.domain ?? AUTH_DEFAULTS.domain,
    chainId: options?.chainId,
    nonceTtlSeconds: options?.nonceTtlSeconds ?? AUTH_DEFAULTS.nonceTtlSeconds,
    rateLimit: options?.rateLimit ?? AUTH_DEFAULTS.rateLimit,
  };
}

/** The AUTH_* environment settings as app options; `jwtSecret` overrides AUTH_JWT_SECRET (npm start's generated one). */
export function authOptionsFromConfig(config: AppConfig, jwtSecret = config.AUTH_JWT_SECRET): AuthOptions {
  return {
    jwtSecret,
    tokenTtlSeconds: config.AUTH_TOKEN_TTL_SECONDS,
    audience: config.AUTH_AUDIENCE,
    issuer: config.AUTH_ISSUER,
    domain: config.authDomain,
    nonceTtlSeconds: config.AUTH_NONCE_TTL_SECONDS,
    rateLimit: { max: config.AUTH_SIGN_IN_RATE_LIMIT, windowMs: 60_000 },
  };
}
