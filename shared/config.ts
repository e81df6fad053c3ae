import path from "node:path";
import { z } from "zod";

/**
 * Every setting TraceFin reads from the environment, parsed and validated once at start-up.
 * Defaults run the whole system embedded: a local chain, PGlite under ./data, the API on 127.0.0.1.
 */
const integer = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

const envSchema = z.object({
  DATA_DIR: z.string().default("data"),
  /** postgres://user@host:port/db switches from the embedded PGlite to a PostgreSQL server. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").optional(),
  /** An external JSON-RPC node; when unset, `npm start` runs an embedded Hardhat node. */
  RPC_URL: z.string().url().optional(),
  /** Private key that deploys the contracts on an external chain (never committed). */
  DEPLOYER_KEY: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex key").optional(),
  DEPLOYMENTS_FILE: z.string().optional(),
  CHAIN_PORT: integer(8545, 1),
  API_HOST: z.string().default("127.0.0.1"),
  API_PORT: integer(3000, 0),
  /** Blocks behind the head the indexer waits before it reads a block. */
  CONFIRMATIONS: integer(0),
  /** How deep a reorganization the indexer can undo; older blocks are treated as final. */
  REORG_WINDOW: integer(64, 1),
  POLL_INTERVAL_MS: integer(1000, 10),
  /** Upper bound of the block range of one eth_getLogs; shrunk automatically when the node refuses. */
  MAX_BLOCK_RANGE: integer(5000, 1),
  RPC_TIMEOUT_MS: integer(15_000, 100),
  /** Readiness fails when the indexer is further than this many blocks behind the head. */
  READY_MAX_LAG_BLOCKS: integer(20),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /**
   * Key of the HS256 tokens the API issues after sign-in: at least 32 bytes, as hex (0x optional) or
   * base64. Without it the sign-in routes answer 503 and no token is accepted. `npm start` generates
   * one into DATA_DIR/secrets.json when unset; several API instances must share the same value.
   */
  AUTH_JWT_SECRET: z
    .string()
    .transform((value, ctx) => {
      const key = decodeSecret(value);
      if (!key) ctx.addIssue({ code: "custom", message: "must be at least 32 bytes, as hex or base64" });
      return key ?? new Uint8Array();
    })
    .optional(),
  AUTH_TOKEN_TTL_SECONDS: integer(900, 30),
  AUTH_AUDIENCE: z.string().min(1).default("tracefin-api"),
  AUTH_ISSUER: z.string().min(1).default("tracefin"),
  /** The EIP-4361 domain (host[:port]) sign-in messages must name; default API_HOST:API_PORT. */
  AUTH_DOMAIN: z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, "must be host or host:port").optional(),
  AUTH_NONCE_TTL_SECONDS: integer(300, 10),
  /** Requests per minute one client IP may make to /api/v1/auth/* on one API instance; 0 disables. */
  AUTH_SIGN_IN_RATE_LIMIT: integer(30),
  /**
   * Passphrase of the keystore of members the server signs for (managed signing), at least 16
   * characters. Without it POST /api/v1/writes answers 503. `npm start` generates one into
   * DATA_DIR/secrets.json when unset. Keep it out of the repository and apart from the keystore.
   */
  MANAGED_KEYS_PASSPHRASE: z.string().min(16, "must be at least 16 characters").optional(),
  /** Folder of the encrypted managed keys; default DATA_DIR/keystore. */
  MANAGED_KEYS_DIR: z.string().optional(),
  /** Folder of the local document store (content-addressed); default DATA_DIR/documents. */
  DOCUMENTS_DIR: z.string().optional(),
  /** Largest document the API accepts, in bytes (default 10 MB). */
  DOCUMENT_MAX_BYTES: integer(10 * 1024 * 1024, 1),
});

/** A secret given as hex (0x optional) or base64 / base64url; undefined when shorter than 32 bytes. */
export function decodeSecret(value: string): Uint8Array | undefined {
  const trimmed = value.trim();
  const hex = trimmed.replace(/^0x/i, "");
  let bytes: Buffer;
  if (/^([0-9a-fA-F]{2})+$/.test(hex)) bytes = Buffer.from(hex, "hex");
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) bytes = Buffer.from(trimmed.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  else return undefined;
  return bytes.length >= 32 ? new Uint8Array(bytes) : undefined;
}

export type AppConfig = ReturnType<typeof parseConfig>;

export function parseConfig(env: NodeJS.ProcessEnv = process.env) {
  // An empty variable (`DATABASE_URL= npm start`) means "unset", as shells and .env files intend.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${problems.join("\n")}`);
  }
  const settings = parsed.data;
  return {
    ...settings,
    pgliteDir: path.join(settings.DATA_DIR, "pglite"),
    deploymentsFile: settings.DEPLOYMENTS_FILE ?? path.join(settings.DATA_DIR, "deployments.json"),
    secretsFile: path.join(settings.DATA_DIR, "secrets.json"),
    managedKeysDir: settings.MANAGED_KEYS_DIR ?? path.join(settings.DATA_DIR, "keystore"),
    /** API keys of the demo members, written by `npm start` when it loads the demo. */
    demoCredentialsFile: path.join(settings.DATA_DIR, "demo-credentials.json"),
    documentsDir: settings.DOCUMENTS_DIR ?? path.join(settings.DATA_DIR, "documents"),
    authDomain: settings.AUTH_DOMAIN ?? `${settings.API_HOST}:${settings.API_PORT}`,
  };
}
