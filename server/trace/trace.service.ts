import type { BatchesService } from "../batches/batches.service";
import type { BatchesRepository } from "../batches/batches.repository";
import type { Reached, TraceRepository } from "./trace.repository";
import type { TraceGraph, TraceQuery } from "./trace.schemas";

type Relation = "root" | "upstream" | "downstream";

export function createTraceService(trace: TraceRepository, batchesRepository: BatchesRepository, batches: BatchesService) {
  return {
    /**
     * The lineage graph around a batch: upstream to every input and its origin, downstream to every
     * derived batch and its current custodian. One level deeper than asked is read only to tell the
     * client whether the graph was truncated.
     */
    async trace(batchId: number, query: TraceQuery): Promise<TraceGraph> {
      await batches.requireBatch(batchId);
      const walks: [Relation, Reached[]][] = [];
      if (query.direction !== "forward") walks.push(["upstream", await trace.reachable(batchId, "backward", query.depth + 1)]);
      if (query.direction !== "backward") walks.push(["downstream", await trace.reachable(batchId, "forward", query.depth + 1)]);

      let truncated = false;
      const placed = new Map<number, { relation: Relation; distance: number }>();
      const sides: number[][] = [];
      for (const [relation, reached] of walks) {
        const within = reached.filter((r) => r.distance <= query.depth);
        truncated ||= within.length < reached.length;
        sides.push(within.map((r) => r.batchId));
        for (const r of within) {
          if (!placed.has(r.batchId)) placed.set(r.batchId, { relation: r.distance === 0 ? "root" : relation, distance: r.distance });
        }
      }

      const edgeKey = (e: { from: number; to: number; txHash: string }) => `${e.from}>${e.to}@${e.txHash}`;
      const edges = new Map((await Promise.all(sides.map((ids) => trace.edgesAmong(ids)))).flat().map((e) => [edgeKey(e), e]));
      const rows = await batchesRepository.findMany([...placed.keys()]);
      const views = await batches.views(rows);
      const nodes = views
        .map((batch) => ({ batch, ...placed.get(batch.id)! }))
        .sort((a, b) => a.distance - b.distance || a.batch.id - b.batch.id);
      return { root: batchId, direction: query.direction, depth: query.depth, truncated, nodes, edges: [...edges.values()] };
    },
  };
}
export type TraceService = ReturnType<typeof createTraceService>;
