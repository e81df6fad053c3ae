import { z } from "zod";
import { uintString } from "../http/common-schemas";
import { batchSchema } from "../batches/batches.schemas";

export const traceQuery = z.object({
  direction: z
    .enum(["backward", "forward", "both"])
    .default("both")
    .describe("backward: inputs back to their origin; forward: every derived batch (recall scope); both"),
  depth: z.coerce.number().int().min(1).max(50).default(10).describe("Maximum number of lineage edges from the batch (1-50)"),
});
export type TraceQuery = z.infer<typeof traceQuery>;

export const traceNodeSchema = z
  .object({
    batch: batchSchema,
    relation: z.enum(["root", "upstream", "downstream"]),
    distance: z.number().int().describe("Edges between this batch and the traced one"),
  })
  .meta({ id: "TraceNode" });

export const traceEdgeSchema = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    kind: z.enum(["split", "transformation"]),
    quantity: uintString.describe("Quantity of `from` that went into `to`, in the unit of `from`"),
    transformationId: z.number().int().nullable(),
    txHash: z.string(),
  })
  .meta({ id: "TraceEdge" });

export const traceGraphSchema = z
  .object({
    root: z.number().int(),
    direction: z.enum(["backward", "forward", "both"]),
    depth: z.number().int(),
    truncated: z.boolean().describe("True when the lineage continues beyond `depth`"),
    nodes: z.array(traceNodeSchema),
    edges: z.array(traceEdgeSchema),
  })
  .meta({ id: "TraceGraph" });
export type TraceGraph = z.infer<typeof traceGraphSchema>;
