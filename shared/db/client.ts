import path from "node:path";
import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { Client, Pool } from "pg";
import * as schema from "./schema";
import { checkpointChannel, credentialsChannel, type CheckpointWatch } from "./checkpoint-watch";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  kind: "pglite" | "postgres";
  /** Subscribes to the indexer's checkpoint moves (see checkpoint-watch.ts). */
  watchCheckpoint(): Promise<CheckpointWatch>;
  /** Subscribes to credential changes (API key revocations; see checkpoint-watch.ts). */
  watchCredentials(): Promise<CheckpointWatch>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL; when absent the embedded PGlite is used. */
  url?: string;
  /** PGlite data folder; when absent PGlite runs in memory. */
  pgliteDir?: string;
  /** PostgreSQL schema to use instead of `public` (tests isolate themselves this way). */
  schemaName?: string;
  poolSize?: number;
}

const MIGRATIONS_FOLDER = path.resolve(__dirname, "../../drizzle");

/** Opens PGlite or PostgreSQL and applies the committed Drizzle migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const migrationsSchema = options.schemaName ?? "drizzle";
  if (options.url) {
    const pool = new Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      options: options.schemaName ? `-c search_path=${options.schemaName}` : undefined,
    });
    if (options.schemaName) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${options.schemaName}"`);
    const db = drizzlePg(pool, { schema });
    await migratePg(db, { migrationsFolder: MIGRATIONS_FOLDER, migrationsSchema });
    return {
      db: db as unknown as Database,
      kind: "postgres",
      watchCheckpoint: () => watchPostgres(options.url!, checkpointChannel(options.schemaName)),
      watchCredentials: () => watchPostgres(options.url!, credentialsChannel(options.schemaName)),
      close: () => pool.end(),
    };
  }
  if (options.pgliteDir) fs.mkdirSync(options.pgliteDir, { recursive: true });
  const client = options.pgliteDir ? new PGlite(options.pgliteDir) : new PGlite();
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER, migrationsSchema });
  return {
    db: db as unknown as Database,
    kind: "pglite",
    watchCheckpoint: () => watchPglite(client, checkpointChannel()),
    watchCredentials: () => watchPglite(client, credentialsChannel()),
    close: () => client.close(),
  };
}

/** PGlite runs in this process: its notifications cannot be lost, so the watch stays live. */
async function watchPglite(client: PGlite, channel: string): Promise<CheckpointWatch> {
  const watch = { live: true, moves: 0, close: async () => {} };
  const unsubscribe = await client.listen(channel, () => void watch.moves++);
  watch.close = async () => {
    watch.live = false;
    await unsubscribe();
  };
  return watch;
}

/**
 * A PostgreSQL connection of its own that LISTENs (a pooled one would be handed to queries). If it
 * breaks, the watch is not live until a new connection listens again, a second later and on.
 */
async function watchPostgres(url: string, channel: string): Promise<CheckpointWatch> {
  let closed = false;
  let client: Client | undefined;
  const watch = {
    live: false,
    moves: 0,
    async close() {
      closed = true;
      watch.live = false;
      await client?.end().catch(() => {});
    },
  };
  const reconnectSoon = () => {
    if (!closed) setTimeout(() => void connect().catch(reconnectSoon), 1_000).unref();
  };
  const connect = async () => {
    const next = new Client({ connectionString: url });
    next.on("notification", (message) => {
      if (message.channel === channel) watch.moves++;
    });
    next.on("error", () => {
      void next.end().catch(() => {});
      if (client !== next) return;
      client = undefined;
      watch.live = false;
      reconnectSoon();
    });
    await next.connect();
    await next.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
    client = next;
    // Moves announced while no connection listened are unknown: count one so nothing cached before survives.
    watch.moves++;
    watch.live = !closed;
  };
  await connect();
  return watch;
}

/** Rows of a raw SQL query, whichever driver runs it (both answer `{ rows }`). */
export async function queryRows<T>(executor: Executor, query: Parameters<Database["execute"]>[0]): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** The database the configuration names: PostgreSQL when DATABASE_URL is set, else PGlite on disk. */
export function openConfiguredDatabase(config: { DATABASE_URL?: string; pgliteDir: string }): Promise<DatabaseHandle> {
  return openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL } : { pgliteDir: config.pgliteDir });
}
