import http from "node:http";
import type { AddressInfo } from "node:net";

/** How a request the proxy decides to fail is failed. */
export type FailureKind =
  /** HTTP 503 with a text body, as a load balancer in front of a busy node answers. */
  | "http503"
  /** HTTP 429, as a rate-limiting provider answers. */
  | "http429"
  /** The connection is closed without any answer. */
  | "drop"
  /** HTTP 200 with JSON-RPC error -32603 (internal error). */
  | "rpcInternal"
  /** HTTP 200 with a body cut in the middle. */
  | "truncated";

export interface FaultPlan {
  /** Fail the first `failFirst` requests received after the plan is set. */
  failFirst?: number;
  /** Fail this fraction (0..1) of the other requests, drawn from a seeded generator. */
  failRate?: number;
  /** The ways to fail, picked in turn (default: all of them). */
  failures?: FailureKind[];
  /** Wait this long before answering, or a random time in [min, max]. */
  delayMs?: number | [number, number];
  /** Answer this fraction (0..1) of the requests only after `stallMs`: longer than a client's timeout. */
  stallRate?: number;
  stallMs?: number;
  /** Refuse eth_getLogs spanning more blocks than this, as geth-style or provider-style nodes do. */
  maxLogRange?: number;
  /** How a too-wide eth_getLogs is refused. */
  rangeError?: "results" | "blockRange" | "http503";
  /** Called with every JSON-RPC request after the node answered it and before the answer is relayed. */
  beforeReply?: (call: { method: string; params: unknown[] }) => Promise<void> | void;
  /** Seed of the generator behind failRate and delay ranges (default 1). */
  seed?: number;
}

export interface ProxyStats {
  requests: number;
  failed: number;
  stalled: number;
  refusedRanges: number;
  byMethod: Record<string, number>;
  /** Every eth_getLogs block range that reached the range check, in order. */
  logRanges: { from: number; to: number; refused: boolean }[];
}

export interface FlakyProxy {
  url: string;
  stats: ProxyStats;
  /** Replaces the fault plan, restarting failFirst counting, the generator and the stats. */
  setPlan(plan: FaultPlan): void;
  close(): Promise<void>;
}

/** mulberry32: a tiny seeded generator, so a failing run can be replayed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALL_FAILURES: FailureKind[] = ["http503", "http429", "drop", "rpcInternal", "truncated"];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A real HTTP JSON-RPC proxy in front of a node, which misbehaves on purpose: it fails requests in
 * the ways nodes and providers do, delays answers, and refuses wide eth_getLogs ranges.
 */
export async function startFlakyProxy(target: string, initialPlan: FaultPlan = {}): Promise<FlakyProxy> {
  let plan = initialPlan;
  let random = generator(plan.seed ?? 1);
  let requestsSincePlan = 0;
  let failureTurn = 0;
  const stats: ProxyStats = { requests: 0, failed: 0, stalled: 0, refusedRanges: 0, byMethod: {}, logRanges: [] };

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const call = JSON.parse(body) as { id: unknown; method: string; params?: unknown[] };
    const current = plan;
    stats.requests++;
    stats.byMethod[call.method] = (stats.byMethod[call.method] ?? 0) + 1;
    const index = requestsSincePlan++;

    const delay = current.delayMs;
    if (delay !== undefined) await sleep(typeof delay === "number" ? delay : delay[0] + random() * (delay[1] - delay[0]));
    if (random() < (current.stallRate ?? 0)) {
      stats.stalled++;
      await sleep(current.stallMs ?? 5_000);
    }

    if (index < (current.failFirst ?? 0) || random() < (current.failRate ?? 0)) {
      stats.failed++;
      const kinds = current.failures ?? ALL_FAILURES;
      const kind = kinds[failureTurn++ % kinds.length];
      switch (kind) {
        case "http503":
          res.writeHead(503, { "content-type": "text/plain" });
          return void res.end("Service Unavailable");
        case "http429":
          return json(res, 429, { jsonrpc: "2.0", id: call.id, error: { code: 429, message: "Too Many Requests" } });
        case "drop":
          return void req.socket.destroy();
        case "rpcInternal":
          return json(res, 200, { jsonrpc: "2.0", id: call.id, error: { code: -32603, message: "internal error" } });
        case "truncated":
          res.writeHead(200, { "content-type": "application/json" });
          return void res.end(`{"jsonrpc":"2.0","id":${JSON.stringify(call.id)},"result":[{"addr`);
      }
    }

    if (call.method === "eth_getLogs" && current.maxLogRange !== undefined) {
      const filter = (call.params?.[0] ?? {}) as { fromBlock?: string; toBlock?: string };
      const [from, to] = [Number(filter.fromBlock), Number(filter.toBlock)];
      const span = to - from + 1;
      stats.logRanges.push({ from, to, refused: span > current.maxLogRange });
      if (span > current.maxLogRange) {
        stats.refusedRanges++;
        switch (current.rangeError ?? "results") {
          case "results":
            return json(res, 200, {
              jsonrpc: "2.0",
              id: call.id,
              error: { code: -32005, message: "query returned more than 10000 results" },
            });
          case "blockRange":
            return json(res, 200, {
              jsonrpc: "2.0",
              id: call.id,
              error: { code: -32000, message: `block range too large: ${span} blocks, at most ${current.maxLogRange}` },
            });
          case "http503":
            res.writeHead(503, { "content-type": "text/plain" });
            return void res.end(`eth_getLogs block range is too wide (max ${current.maxLogRange})`);
        }
      }
    }

    const upstream = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
    const answer = await upstream.text();
    await current.beforeReply?.({ method: call.method, params: call.params ?? [] });
    res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
    res.end(answer);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      // The client may have given up (timeout) before the answer: nothing left to do then.
      if (!res.headersSent && !res.destroyed) json(res, 500, { error: error.message });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    setPlan(next) {
      plan = next;
      random = generator(next.seed ?? 1);
      requestsSincePlan = 0;
      failureTurn = 0;
      Object.assign(stats, { requests: 0, failed: 0, stalled: 0, refusedRanges: 0, byMethod: {}, logRanges: [] });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
