import { NotFoundError } from "../errors";
import { toBatchView } from "../batches/batches.service";
import { labeller } from "../members/parties";
import type { Side, TraceRepository } from "./trace.repository";
import type { TraceGraph, TraceQuery } from "./trace.schemas";

type Relation = "root" | "upstream" | "downstream";

const RELATION: Record<Side, Relation> = { backward: "upstream", forward: "downstream" };

export function createTraceService(trace: TraceRepository) {
  return {
    /**
     * The lineage graph around a batch: upstream to every input and its origin, downstream to every
     * derived batch and its current custodian. One level deeper than asked is read only to tell the
     * client whether the graph was truncated.
     */
    async trace(batchId: number, query: TraceQuery): Promise<TraceGraph> {
      const sides: Side[] = [];
      if (query.direction !== "forward") sides.push("backward");
      if (query.direction !== "backward") sides.push("forward");
      const graph = await trace.graph(batchId, sides, query.depth);
      if (!graph.batches.some((row) => row.batch.id === batchId)) throw new NotFoundError("Batch", batchId);

      let truncated = false;
      const placed = new Map<number, { relation: Relation; distance: number }>();
      for (const side of sides) {
        const reached = graph.reached.filter((r) => r.side === side);
        const within = reached.filter((r) => r.distance <= query.depth);
        truncated ||= within.length < reached.length;
        for (const r of within) {
          if (!placed.has(r.batchId)) placed.set(r.batchId, { relation: r.distance === 0 ? "root" : RELATION[side], distance: r.distance });
        }
      }

      // An edge seen from both sides is listed once, where the first side lists it.
      const edges = new Map(graph.edges.map(({ side: _, ...edge }) => [`${edge.from}>${edge.to}@${edge.txHash}`, edge]));
      const label = labeller(graph.names);
      const nodes = graph.batches
        .map((row) => ({ batch: toBatchView(row, label), ...placed.get(row.batch.id)! }))
        .sort((a, b) => a.distance - b.distance || a.batch.id - b.batch.id);
      return { root: batchId, direction: query.direction, depth: query.depth, truncated, nodes, edges: [...edges.values()] };
    },
  };
}
export type TraceService = ReturnType<typeof createTraceService>;
