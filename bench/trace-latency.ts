/**
 * Trace latency: GET /api/v1/batches/:id/trace?depth=10 under load, on PGlite and PostgreSQL.
 *
 *   npm run bench:trace [-- --width 700] [-- --duration 10] [-- --node hardhat]
 *
 * Builds a lineage graph on a real node with OpenZeppelin Multicall: `width` origin batches, then
 * stages of transformations (output j takes half of inputs j and j+1 of the stage before: fan-in and
 * fan-out of two) and, every third stage, partial shipments to the other member (a split each), who
 * receives them and carries on. 12 transformation and 3 split stages: >= 10,000 batches, 15 edges
 * deep. The graph is indexed, the API runs in a child process (createApp + listen on a free port)
 * and autocannon requests traces of a mix of batches (origins: forward; deepest outputs: backward;
 * middle stage: both ways) over 1, 10 and 50 connections, `duration` seconds each.
 * Target: p99 < 20 ms on PostgreSQL for a trace of depth 10.
 */
import os from "node:os";
import type { LocalNodeKind } from "../shared/chain/local-node";
import { describeLoad, getJson, loadPaths, onEachDatabase, type BenchApi } from "./api-server";
import {
  doc, encodeCall, flag, fmt, KGM, LTR, nextBatchId, REGION, seconds,
  startBenchChain, TxPump, type BenchChain, type BenchDatabase,
} from "./support";

export const APPLES = 6_970_000_000_017n;
export const JUICE = 6_970_000_000_024n;
const NO_CARRIER = "0x0000000000000000000000000000000000000000";
const QUANTITY = 1_000_000;
/** The graph, stage by stage after the origins: transformations, with a split every third stage. */
const STAGES = ["T", "T", "T", "S", "T", "T", "T", "S", "T", "T", "T", "S", "T", "T", "T"] as const;
const PER_TX = { commission: 200, transform: 100, ship: 100, receive: 200 } as const;
const TRACE_DEPTH = 10;

const chunk = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

interface Graph {
  /** Batch ids of every stage, origins first. */
  stages: number[][];
  batches: number;
  events: number;
  transactions: number;
  maxGas: number;
  seconds: number;
}

/** Sends the graph's transactions; only a receipt of shipments waits before the recipient acts. */
export async function buildGraph(chain: BenchChain, width: number): Promise<Graph> {
  const pump = new TxPump(chain.rpc, chain.deployment);
  const members = chain.members.slice(0, 2);
  const start = performance.now();
  const producedAt = Math.floor(Date.now() / 1000) - 86_400;
  let next = await nextBatchId(chain);
  const take = (count: number) => Array.from({ length: count }, () => next++);

  let level = take(width);
  const stages = [level];
  const commissions = level.map((id) => encodeCall("commission", [APPLES, `ORIGIN-${id}`, QUANTITY, KGM, REGION, producedAt, doc(`origin ${id}`)]));
  for (const calls of chunk(commissions, PER_TX.commission)) void pump.multicall(members[0], calls);

  let holder = 0;
  let quantity = QUANTITY;
  for (const stage of STAGES) {
    if (stage === "T") {
      // Output j consumes half of inputs j and j + 1: each batch feeds two outputs and is then used up.
      const inputs = level;
      level = take(width);
      const transforms = level.map((output, j) =>
        encodeCall("transform", [
          [inputs[j], inputs[(j + 1) % width]].map((batchId) => ({ batchId, quantity: quantity / 2 })),
          [{ gtin: JUICE, quantity: QUANTITY, unit: LTR, originRegion: REGION, lot: `T-${output}` }],
          doc(`transformation ${output}`),
        ]),
      );
      quantity = QUANTITY;
      for (const calls of chunk(transforms, PER_TX.transform)) void pump.multicall(members[holder], calls);
    } else {
      // Half of each batch is split off and shipped to the other member, who carries on with it.
      const recipient = 1 - holder;
      const parents = level;
      level = take(width);
      const ships = parents.map((id) => encodeCall("ship", [id, members[recipient], quantity / 2, NO_CARRIER, doc(`waybill ${id}`)]));
      const shipped = await Promise.all(chunk(ships, PER_TX.ship).map((calls) => pump.multicall(members[holder], calls)));
      await pump.wait(shipped.at(-1)!);
      const receives = level.map((id) => encodeCall("receiveShipment", [id]));
      for (const calls of chunk(receives, PER_TX.receive)) void pump.multicall(members[recipient], calls);
      holder = recipient;
      quantity /= 2;
    }
    stages.push(level);
  }
  const receipts = await pump.waitAll(pump.sent);
  const maxGas = Math.max(...receipts.map((r) => Number(r.gasUsed)));
  return {
    stages,
    batches: next - stages[0][0],
    events: receipts.reduce((n, r) => n + r.logs.length, 0),
    transactions: receipts.length,
    maxGas,
    seconds: seconds(start),
  };
}

const tracePath = (id: number) => `/api/v1/batches/${id}/trace?depth=${TRACE_DEPTH}`;

/** Evenly spread batches of the origins, a middle stage and the deepest stage. */
function sampleIds(graph: Graph, perKind: number): { kind: string; ids: number[] }[] {
  const pick = (ids: number[]) => Array.from({ length: perKind }, (_, i) => ids[Math.floor((i * ids.length) / perKind)]);
  const middle = Math.floor(graph.stages.length / 2);
  return [
    { kind: "origins (forward)", ids: pick(graph.stages[0]) },
    { kind: `stage ${middle} (both ways)`, ids: pick(graph.stages[middle]) },
    { kind: `stage ${graph.stages.length - 1} (backward)`, ids: pick(graph.stages.at(-1)!) },
  ];
}

/** Nodes and edges each kind of trace returns, checked once before the load. */
async function describeTraces(api: BenchApi, samples: { kind: string; ids: number[] }[]): Promise<string[]> {
  const lines: string[] = [];
  for (const { kind, ids } of samples) {
    const sizes: { nodes: number; edges: number }[] = [];
    for (const id of ids) {
      const body = await getJson<{ nodes: unknown[]; edges: unknown[] }>(api, tracePath(id));
      sizes.push({ nodes: body.nodes.length, edges: body.edges.length });
    }
    const range = (key: "nodes" | "edges") => {
      const values = sizes.map((s) => s[key]);
      return `${Math.min(...values)}-${Math.max(...values)} (avg ${fmt(values.reduce((a, b) => a + b, 0) / values.length)})`;
    };
    lines.push(`  ${kind.padEnd(26)} nodes ${range("nodes")}, edges ${range("edges")}`);
  }
  return lines;
}

async function measure(database: BenchDatabase, api: BenchApi, graph: Graph, duration: number): Promise<void> {
  const samples = sampleIds(graph, 30);
  console.log(`${database.label}: trace graph sizes at depth ${TRACE_DEPTH}`);
  for (const line of await describeTraces(api, samples)) console.log(line);
  // Interleaved, so that every connection sees every kind of trace.
  const paths = samples[0].ids.flatMap((_, i) => samples.map((s) => tracePath(s.ids[i])));
  await loadPaths(api, paths, 10, Math.min(3, duration)); // warm-up: JIT, caches, connection pool
  // One connection: a trace's own latency; 10 and 50: the same under concurrent load.
  for (const connections of [1, 10, 50]) {
    const r = await loadPaths(api, paths, connections, duration);
    console.log(describeLoad(connections, r, database.label === "PostgreSQL" ? 20 : undefined));
  }
}

async function main(): Promise<void> {
  const kind = (flag("node") ?? "anvil") as LocalNodeKind;
  const width = Number(flag("width") ?? 700);
  const duration = Number(flag("duration") ?? 10);
  const load = os.loadavg().map((l) => l.toFixed(1)).join(" ");
  console.log(`Trace latency: ${kind} node, ${width} origins, ${STAGES.length} stages; ${os.cpus().length} CPUs, load average ${load}`);

  const chain = await startBenchChain(kind, 2, [APPLES, JUICE]);
  try {
    const graph = await buildGraph(chain, width);
    console.log(
      `Built ${fmt(graph.batches)} batches, ${STAGES.length} edges deep (${fmt(graph.events)} events in ${graph.transactions} ` +
        `transactions, max ${fmt(graph.maxGas / 1e6, 1)}M gas/tx) in ${fmt(graph.seconds, 1)} s`,
    );
    await onEachDatabase(chain, (database, api) => measure(database, api, graph, duration));
  } finally {
    await chain.stop();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
