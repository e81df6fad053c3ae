import { eq } from "drizzle-orm";
import type { Database } from "../../shared/db/client";
import { indexerCheckpoints } from "../../shared/db/schema";
import { CHECKPOINT_ID } from "../../indexer/persist";
import { createTraceRepository } from "../trace/trace.repository";

/** What the EPCIS export reads besides batches: the indexed chain's id and the lineage graph. */
export function createEpcisRepository(db: Database) {
  const trace = createTraceRepository(db);
  return {
    /** Chain id of the deployment this database is a projection of; undefined before the first sync. */
    async chainId(): Promise<number | undefined> {
      const [row] = await db
        .select({ chainId: indexerCheckpoints.chainId })
        .from(indexerCheckpoints)
        .where(eq(indexerCheckpoints.id, CHECKPOINT_ID));
      return row?.chainId;
    },
    /** `batchId` and every batch upstream of it (inputs, split parents) within `depth` lineage edges. */
    async upstreamOf(batchId: number, depth: number): Promise<number[]> {
      const reached = await trace.reachable(batchId, "backward", depth);
      return reached.map((r) => r.batchId).sort((a, b) => a - b);
    },
  };
}
export type EpcisRepository = ReturnType<typeof createEpcisRepository>;
