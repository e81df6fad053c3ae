import { and, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import type { Database } from "../../shared/db/client";
import { accessLog } from "../../shared/db/schema";
import type { Logger } from "../../shared/logger";

export type AccessLogEntry = Omit<typeof accessLog.$inferInsert, "id">;
export type AccessLogRow = typeof accessLog.$inferSelect;

export interface AccessLogFilter {
  caller?: string;
  operation?: string;
  status?: number;
  since?: Date;
  until?: Date;
  /** Entries older than this id (the previous page's last). */
  before?: number;
  limit: number;
}

/** Rows per INSERT at most. */
const MAX_BATCH = 500;
/** How long an entry waits for others to share its INSERT (and its commit). */
export const ACCESS_LOG_BATCH_MS = 50;

/**
 * The access log's writer and reader. Entries are written after the answer is sent, in batches: the
 * first entry waits ACCESS_LOG_BATCH_MS for others, then one INSERT takes them all (whatever arrives
 * meanwhile goes in the next one). A busy API thus commits a few times a second instead of once per
 * read, which matters most on PGlite, where every commit queues behind the reads on one connection.
 * A read of the log first writes this instance's pending entries, so a regulator sees every read up
 * to that moment; `flush` before the database closes.
 */
export function createAccessLog(db: Database, logger: Logger) {
  const pending: AccessLogEntry[] = [];
  /** Set from the first pending entry until its batch (and any that followed) is written. */
  let writing: Promise<void> | undefined;
  /** Ends the current batch's wait at once. */
  let wake: () => void = () => {};

  async function drain(): Promise<void> {
    while (pending.length > 0) {
      const batch = pending.splice(0, MAX_BATCH);
      try {
        await db.insert(accessLog).values(batch);
      } catch (error) {
        // An entry must not be lost quietly: the error log carries every entry that failed.
        logger.error("access log entries could not be written", { error: String(error), entries: batch });
      }
    }
    writing = undefined;
  }

  const log = {
    record(entry: AccessLogEntry): void {
      pending.push(entry);
      if (writing) return;
      writing = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ACCESS_LOG_BATCH_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }).then(drain);
    },

    /** Resolves when every entry recorded so far is written. */
    async flush(): Promise<void> {
      while (writing) {
        wake();
        await writing;
      }
    },

    async list(filter: AccessLogFilter): Promise<AccessLogRow[]> {
      await log.flush();
      const conditions: SQL[] = [];
      if (filter.caller) conditions.push(eq(accessLog.caller, filter.caller));
      if (filter.operation) conditions.push(eq(accessLog.operation, filter.operation));
      if (filter.status !== undefined) conditions.push(eq(accessLog.status, filter.status));
      if (filter.since) conditions.push(gte(accessLog.at, filter.since));
      if (filter.until) conditions.push(lte(accessLog.at, filter.until));
      if (filter.before !== undefined) conditions.push(lt(accessLog.id, filter.before));
      return db
        .select()
        .from(accessLog)
        .where(and(...conditions))
        .orderBy(desc(accessLog.id))
        .limit(filter.limit + 1);
    },
  };
  return log;
}

export type AccessLog = ReturnType<typeof createAccessLog>;
