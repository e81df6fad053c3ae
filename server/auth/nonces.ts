import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull, lt } from "drizzle-orm";
import type { Database } from "../../shared/db/client";
import { authNonces } from "../../shared/db/schema";

/** 128 random bits as 22 base62 characters: EIP-4361 wants an alphanumeric nonce of >= 8 characters. */
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export function randomNonce(): string {
  let value = BigInt("0x" + randomBytes(16).toString("hex"));
  let text = "";
  for (let i = 0; i < 22; i++) {
    text += ALPHABET[Number(value % 62n)];
    value /= 62n;
  }
  return text;
}

export type NonceConsumption = "consumed" | "unknown" | "used" | "expired";

/**
 * Sign-in nonces in the database, so that every API instance over it knows them. A nonce is
 * consumed by one UPDATE ... WHERE used_at IS NULL: of two concurrent sign-ins with the same nonce,
 * PostgreSQL lets exactly one update the row.
 */
export function createNonceStore(db: Database, ttlSeconds: number) {
  return {
    ttlSeconds,
    async issue(now = new Date()): Promise<{ nonce: string; issuedAt: Date; expiresAt: Date }> {
      const nonce = randomNonce();
      const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
      // Keep the table small: nonces expired for an hour are of no use, not even to say "expired".
      await db.delete(authNonces).where(lt(authNonces.expiresAt, new Date(now.getTime() - 3_600_000)));
      await db.insert(authNonces).values({ nonce, issuedAt: now, expiresAt });
      return { nonce, issuedAt: now, expiresAt };
    },

    /** Marks the nonce used if it exists, is unused and unexpired; says which it was otherwise. */
    async consume(nonce: string, now = new Date()): Promise<NonceConsumption> {
      const [taken] = await db
        .update(authNonces)
        .set({ usedAt: now })
        .where(and(eq(authNonces.nonce, nonce), isNull(authNonces.usedAt), gt(authNonces.expiresAt, now)))
        .returning({ nonce: authNonces.nonce });
      if (taken) return "consumed";
      const [row] = await db.select().from(authNonces).where(eq(authNonces.nonce, nonce));
      if (!row) return "unknown";
      return row.usedAt ? "used" : "expired";
    },
  };
}
export type NonceStore = ReturnType<typeof createNonceStore>;
