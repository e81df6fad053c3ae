import { sql } from "drizzle-orm";
import type { Executor } from "./client";

/**
 * The indexer announces every move of its checkpoint (a committed range, a reorg rolling it back) on
 * a PostgreSQL notification channel of its schema; readers that cache answers per indexed state
 * listen to it instead of reading the checkpoint on every request. NOTIFY is transactional: the
 * announcement goes out when the range's transaction commits, never before, and never for a range
 * that rolled back.
 */
// Unquoted-identifier safe (PGlite does not quote channel names): schema names are lower-case identifiers too.
const CHANNEL_PREFIX = "tracefin_checkpoint_";

export function checkpointChannel(schemaName = "public"): string {
  return CHANNEL_PREFIX + schemaName;
}

/** Called inside the transaction that moves the checkpoint. */
export async function announceCheckpointMove(executor: Executor): Promise<void> {
  await executor.execute(sql`SELECT pg_notify(${CHANNEL_PREFIX} || current_schema(), '')`);
}

/**
 * The same mechanism for credentials: whoever revokes an API key announces it on a channel of its
 * own, in the revoking transaction, so that every API instance drops the keys it had verified
 * (server/auth/api-keys.ts caches them only while its watch is live).
 */
const CREDENTIALS_PREFIX = "tracefin_credentials_";

export function credentialsChannel(schemaName = "public"): string {
  return CREDENTIALS_PREFIX + schemaName;
}

/** Called inside the transaction that revokes a credential. */
export async function announceCredentialChange(executor: Executor): Promise<void> {
  await executor.execute(sql`SELECT pg_notify(${CREDENTIALS_PREFIX} || current_schema(), '')`);
}

/**
 * A subscription to a channel's announcements (checkpoint moves, credential changes). While `live`
 * is false, announcements may be missed.
 */
export interface CheckpointWatch {
  readonly live: boolean;
  /** The number of moves announced since the watch went live; a new count means a new state. */
  readonly moves: number;
  close(): Promise<void>;
}
