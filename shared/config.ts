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
});

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
  };
}
