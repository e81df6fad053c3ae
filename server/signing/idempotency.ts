import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../shared/db/client";
import { idempotencyKeys } from "../../shared/db/schema";

/** What a request with an idempotency key may do. */
export type Claim =
  | { kind: "new" }
  | { kind: "replay"; status: number; body: unknown }
  | { kind: "in_progress" }
  | { kind: "mismatch" };

/** SHA-256 of what identifies a request: the same key must always carry the same request. */
export function requestHash(parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/**
 * Idempotency keys in the database, so that every API instance and a restarted one see them: the
 * first request with a key claims it (one INSERT decides between concurrent ones); a retry with the
 * same request replays the stored answer; while the first is running, a retry is told so.
 */
export function createIdempotencyStore(db: Database) {
  const where = (caller: string, key: string) => and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key));
  return {
    async claim(caller: string, key: string, hash: string): Promise<Claim> {
      const inserted = await db
        .insert(idempotencyKeys)
        .values({ caller, key, requestHash: hash, createdAt: new Date() })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
      if (inserted.length > 0) return { kind: "new" };
      const [row] = await db.select().from(idempotencyKeys).where(where(caller, key));
      if (!row) return this.claim(caller, key, hash); // abandoned meanwhile: claim it again
      if (row.requestHash !== hash) return { kind: "mismatch" };
      if (row.responseStatus === null) return { kind: "in_progress" };
      return { kind: "replay", status: row.responseStatus, body: row.response };
    },
    /** Stores the answer to replay. */
    async complete(caller: string, key: string, status: number, body: unknown): Promise<void> {
      await db
        .update(idempotencyKeys)
        .set({ responseStatus: status, response: sql`${JSON.stringify(body)}::jsonb`, completedAt: new Date() })
        .where(where(caller, key));
    },
    /** Frees the key after a failure that says nothing about the request (node down): a retry may run it. */
    async abandon(caller: string, key: string): Promise<void> {
      await db.delete(idempotencyKeys).where(where(caller, key));
    },
  };
}
export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
