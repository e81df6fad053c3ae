import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import type { Database } from "../../shared/db/client";
import { apiKeys } from "../../shared/db/schema";
import { announceCredentialChange, type CheckpointWatch } from "../../shared/db/checkpoint-watch";

export type ApiKeyScope = "read" | "read-write";
export type ApiKeyRow = typeof apiKeys.$inferSelect;

/**
 * An API key reads `tfk_<id>.<secret>`: `id` (12 hex characters) is public, names the key in lists
 * and finds its row; `secret` is 256 random bits (base64url). Only SHA-256(secret) is stored: a
 * secret of 256 random bits cannot be guessed from its hash, so a slow password hash (bcrypt,
 * scrypt) would add latency to every request and no security.
 */
const KEY_FORMAT = /^tfk_([0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;
/** lastUsedAt is written at most once a minute per key (per instance, and guarded in SQL across instances). */
const TOUCH_INTERVAL_MS = 60_000;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export function parseApiKey(key: string): { id: string; secret: string } | undefined {
  const match = KEY_FORMAT.exec(key);
  return match ? { id: match[1], secret: match[2] } : undefined;
}

/** Verified keys an instance keeps (a few hundred bytes each). */
export const VERIFIED_KEY_CACHE_ENTRIES = 10_000;

/**
 * `credentials`: the watch of revocations (DatabaseHandle.watchCredentials). While it is live, a key
 * verified once is not looked up again until a revocation is announced, on any instance; without it
 * (or while it reconnects) every request reads the key's row.
 */
export function createApiKeyStore(db: Database, credentials?: CheckpointWatch) {
  const lastTouched = new Map<string, number>();
  /** SHA-256 of a presented key -> the row it verified to, under the watch's count at the time. */
  const verified = new Map<string, { announcements: number; row: ApiKeyRow }>();
  return {
    async create(input: { memberAddress: string; name: string; scope: ApiKeyScope; createdBy: string }) {
      const id = randomBytes(6).toString("hex");
      const secret = randomBytes(32).toString("base64url");
      const [row] = await db
        .insert(apiKeys)
        .values({
          id,
          memberAddress: input.memberAddress.toLowerCase(),
          name: input.name,
          scope: input.scope,
          secretHash: sha256(secret),
          createdAt: new Date(),
          createdBy: input.createdBy.toLowerCase(),
        })
        .returning();
      return { row, key: `tfk_${id}.${secret}` };
    },

    list(memberAddress: string): Promise<ApiKeyRow[]> {
      return db.select().from(apiKeys).where(eq(apiKeys.memberAddress, memberAddress.toLowerCase())).orderBy(desc(apiKeys.createdAt), apiKeys.id);
    },

    /** Revokes the member's key `id` (idempotent: an already revoked key keeps its first revocation). */
    async revoke(memberAddress: string, id: string, by: string): Promise<ApiKeyRow | undefined> {
      const owned = and(eq(apiKeys.id, id), eq(apiKeys.memberAddress, memberAddress.toLowerCase()));
      await db.transaction(async (tx) => {
        await tx.update(apiKeys).set({ revokedAt: new Date(), revokedBy: by.toLowerCase() }).where(and(owned, isNull(apiKeys.revokedAt)));
        // Every instance drops the keys it verified when this commits; this one at once.
        await announceCredentialChange(tx);
      });
      verified.clear();
      const [row] = await db.select().from(apiKeys).where(owned);
      return row;
    },

    /** The key's row if `key` is well-formed and its secret matches; "malformed" or undefined otherwise. */
    async find(key: string): Promise<ApiKeyRow | "malformed" | undefined> {
      const parsed = parseApiKey(key);
      if (!parsed) return "malformed";
      const cacheKey = sha256(key);
      const announcements = credentials?.live ? credentials.moves : undefined;
      const hit = verified.get(cacheKey);
      if (hit && hit.announcements === announcements) return hit.row;
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, parsed.id));
      if (!row) return undefined;
      const matches = timingSafeEqual(Buffer.from(row.secretHash, "hex"), Buffer.from(sha256(parsed.secret), "hex"));
      if (!matches) return undefined;
      // Kept under the count read before the lookup: a revocation announced meanwhile makes it a miss.
      if (announcements !== undefined) {
        verified.delete(cacheKey);
        verified.set(cacheKey, { announcements, row });
        if (verified.size > VERIFIED_KEY_CACHE_ENTRIES) verified.delete(verified.keys().next().value as string);
      }
      return row;
    },

    /** Records a use of the key, at most once a minute: a conditional UPDATE, skipped when this instance wrote lately. */
    async touch(id: string, now = new Date()): Promise<void> {
      const last = lastTouched.get(id);
      if (last !== undefined && now.getTime() - last < TOUCH_INTERVAL_MS) return;
      lastTouched.set(id, now.getTime());
      if (lastTouched.size > 10_000) lastTouched.clear();
      await db
        .update(apiKeys)
        .set({ lastUsedAt: now })
        .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - TOUCH_INTERVAL_MS)))));
    },
  };
}
export type ApiKeyStore = ReturnType<typeof createApiKeyStore>;
