import { eq } from "drizzle-orm";
import type { Database } from "../../shared/db/client";
import { members } from "../../shared/db/schema";
import type { IndexedCache } from "../http/indexed-cache";

export interface MemberStanding {
  address: string;
  name: string;
  roles: number;
  status: "active" | "suspended" | "revoked";
}

/** Members whose standing is kept between requests (each entry is a few dozen bytes). */
export const STANDING_CACHE_ENTRIES = 10_000;

/**
 * A member's roles and status as indexed from the MemberRegistry, for every authenticated request.
 * They change only when the indexer commits a MemberRegistry event, so they are cached per indexed
 * state (server/http/indexed-cache.ts): a suspension takes effect with the range that indexes it,
 * and a request in between costs no query (with the checkpoint watch) or one checkpoint read.
 */
export function createMemberStandingReader(db: Database, cache: IndexedCache<string, MemberStanding | undefined>) {
  return async (address: string): Promise<MemberStanding | undefined> => {
    const key = address.toLowerCase();
    return cache.get(key, async () => {
      const [row] = await db
        .select({ address: members.address, name: members.name, roles: members.roles, status: members.status })
        .from(members)
        .where(eq(members.address, key));
      return row;
    });
  };
}
export type MemberStandingReader = ReturnType<typeof createMemberStandingReader>;
