import { z } from "zod";
import { eq, sql } from "drizzle-orm";
import type { Database } from "../../shared/db/client";
import { indexerCheckpoints } from "../../shared/db/schema";
import type { RpcClient } from "../../shared/chain/rpc";
import type { RouteTable } from "../http/route";
import { NotReadyError } from "../errors";

const healthSchema = z.object({ status: z.literal("ok") }).meta({ id: "Health" });
const readinessSchema = z
  .object({
    status: z.enum(["ready"]),
    indexedBlock: z.number().int(),
    chainHead: z.number().int(),
    lagBlocks: z.number().int().describe("Blocks between the confirmed head and the indexer's checkpoint"),
    indexerUpdatedAt: z.string(),
  })
  .meta({ id: "Readiness" });

export interface ReadinessOptions {
  db: Database;
  rpc?: RpcClient;
  confirmations: number;
  maxLagBlocks: number;
}

/** Liveness says the process and database answer; readiness says the indexer has caught up. */
export function healthRoutes(routes: RouteTable, options: ReadinessOptions): void {
  routes.add({
    method: "get",
    path: "/healthz",
    operationId: "health",
    tag: "Operations",
    summary: "Liveness: the API and its database answer",
    response: healthSchema,
    handler: async () => {
      await options.db.execute(sql`SELECT 1`);
      return { status: "ok" as const };
    },
  });
  routes.add({
    method: "get",
    path: "/readyz",
    operationId: "readiness",
    tag: "Operations",
    summary: "Readiness: the indexer is within the allowed lag of the chain head",
    response: readinessSchema,
    errorStatuses: [503],
    handler: async () => {
      const [checkpoint] = await options.db.select().from(indexerCheckpoints).where(eq(indexerCheckpoints.id, "main"));
      if (!checkpoint) throw new NotReadyError("The indexer has not started yet");
      let chainHead = checkpoint.headBlock;
      if (options.rpc) {
        try {
          chainHead = await options.rpc.blockNumber();
        } catch (error) {
          throw new NotReadyError("The chain node does not answer", { reason: (error as Error).message });
        }
      }
      const lagBlocks = Math.max(0, chainHead - options.confirmations - checkpoint.blockNumber);
      const facts = {
        indexedBlock: checkpoint.blockNumber,
        chainHead,
        lagBlocks,
        indexerUpdatedAt: checkpoint.updatedAt.toISOString(),
      };
      if (lagBlocks > options.maxLagBlocks) {
        throw new NotReadyError(`The indexer is ${lagBlocks} blocks behind (allowed: ${options.maxLagBlocks})`, facts);
      }
      return { status: "ready" as const, ...facts };
    },
  });
}
