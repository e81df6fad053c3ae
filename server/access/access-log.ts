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

/** Rows per INSERT when requests arrive faster than one insert completes. */
const MAX_BATCH = 500;

/**
 * The access log's writer and reader. Entries are written after the answer is sent, by group
 * commit: one INSERT at a time, and whatever arrived meanwhile goes in the next one, so a busy API
 * writes in batches and an idle one at once. A read first waits for this instance's pending entries,
 * so a regulator sees its own and everyone's reads up to that moment.
 */
export function createAccessLog(db: Database, logger: Logger) {
  const pending: AccessLogEntry[] = [];
  let writing: Promise<void> | undefined;

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
      writing ??= drain();
    },

    /** Resolves when every entry recorded so far is written. */
    async flush(): Promise<void> {
      while (writing) await writing;
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
