import { eq } from "drizzle-orm";
import type { Database } from "../../shared/db/client";
import { indexerCheckpoints } from "../../shared/db/schema";
import { CHECKPOINT_ID } from "../../indexer/persist";

/**
 * Answers read from the index change only when the indexer commits a range, and every commit moves
 * the checkpoint. A cache keyed by the checkpoint's block hash therefore never serves an answer the
 * database would not give: a new range, or a reorg rolling the checkpoint back, is a new hash and
 * every entry made under the old one is ignored. One cheap checkpoint read per request replaces the
 * expensive query on a hit.
 */
export interface IndexedCache<K, V> {
  get(key: K, load: () => Promise<V>): Promise<V>;
}

/** Bounded: the oldest entries go first (a Map keeps insertion order). */
export function createIndexedCache<K, V>(db: Database, maxEntries: number): IndexedCache<K, V> {
  const entries = new Map<K, { version: string; value: V }>();
  const checkpointStatement = db
    .select({ blockHash: indexerCheckpoints.blockHash })
    .from(indexerCheckpoints)
    .where(eq(indexerCheckpoints.id, CHECKPOINT_ID))
    .prepare("indexed_cache_checkpoint");

  return {
    async get(key, load) {
      const [checkpoint] = await checkpointStatement.execute();
      // Before the first range there is nothing worth caching.
      if (!checkpoint) return load();
      const version = checkpoint.blockHash;
      const cached = entries.get(key);
      if (cached?.version === version) return cached.value;
      const value = await load();
      entries.delete(key);
      entries.set(key, { version, value });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as K);
      return value;
    },
  };
}
