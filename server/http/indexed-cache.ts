import { eq } from "drizzle-orm";
import type { Database } from "../../shared/db/client";
import type { CheckpointWatch } from "../../shared/db/checkpoint-watch";
import { indexerCheckpoints } from "../../shared/db/schema";
import { CHECKPOINT_ID } from "../../indexer/persist";

/**
 * Answers read from the index change only when the indexer moves its checkpoint (a committed range,
 * a reorg's rollback), so they can be cached per checkpoint state:
 * - with a live `CheckpointWatch` (the indexer announces each move by NOTIFY), an entry is good
 *   until the next announced move, and a hit costs no query at all;
 * - without one (or while it reconnects), each request reads the checkpoint's block hash, one
 *   primary-key lookup, and entries made under another hash are ignored.
 * Either way a cached answer is never older than the index, give or take the notification's trip.
 */
export interface IndexedCache<K, V> {
  get(key: K, load: () => Promise<V>): Promise<V>;
}

/** Bounded: the oldest entries go first (a Map keeps insertion order). */
export function createIndexedCache<K, V>(db: Database, maxEntries: number, watch?: CheckpointWatch): IndexedCache<K, V> {
  const entries = new Map<K, { version: string; value: V }>();
  const checkpointStatement = db
    .select({ blockHash: indexerCheckpoints.blockHash })
    .from(indexerCheckpoints)
    .where(eq(indexerCheckpoints.id, CHECKPOINT_ID))
    .prepare("indexed_cache_checkpoint");

  /** The current state's version, or undefined before the first range (nothing worth caching). */
  async function currentVersion(): Promise<string | undefined> {
    if (watch?.live) return `move ${watch.moves}`;
    const [checkpoint] = await checkpointStatement.execute();
    return checkpoint ? `block ${checkpoint.blockHash}` : undefined;
  }

  return {
    async get(key, load) {
      const version = await currentVersion();
      if (version === undefined) return load();
      const cached = entries.get(key);
      if (cached?.version === version) return cached.value;
      // Stored under the version read before loading: a move during the load makes it a miss later.
      const value = await load();
      entries.delete(key);
      entries.set(key, { version, value });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as K);
      return value;
    },
  };
}
