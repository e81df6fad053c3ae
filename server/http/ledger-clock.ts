import { eq } from "drizzle-orm";
import type { Database } from "../../shared/db/client";
import { indexerCheckpoints } from "../../shared/db/schema";
import { CHECKPOINT_ID } from "../../indexer/persist";

/**
 * The time at which the API judges what depends on time (overdue, due soon, expired, stale): the
 * later of the server's clock and the timestamp of the latest indexed block. On a live network the
 * two agree within a block; on a test chain whose clock was moved forward (evm_increaseTime), the
 * block time is ahead, and the API then says what the contracts themselves say (`isOverdue`).
 */
export function ledgerTime(indexedBlockTime: number | null | undefined, wallClockMs = Date.now()): number {
  return Math.max(Math.floor(wallClockMs / 1000), indexedBlockTime ?? 0);
}

export type LedgerClock = () => Promise<number>;

/** Reads the latest indexed block's time per call: one primary-key lookup. */
export function createLedgerClock(db: Database): LedgerClock {
  const statement = db
    .select({ blockTime: indexerCheckpoints.blockTime })
    .from(indexerCheckpoints)
    .where(eq(indexerCheckpoints.id, CHECKPOINT_ID))
    .prepare("ledger_clock");
  return async () => {
    const [checkpoint] = await statement.execute();
    return ledgerTime(checkpoint?.blockTime);
  };
}
