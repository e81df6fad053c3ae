/**
 * The API in a child process for load benchmarks, so that autocannon and the server do not share an
 * event loop: `startServer` runs this file in serve mode over a database and resolves with its URL.
 */
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import readline from "node:readline";
import autocannon from "autocannon";
import { openDatabase } from "../shared/db/client";
import { createLogger } from "../shared/logger";
import { createApp } from "../server/app";
import { createApiKeyStore } from "../server/auth/api-keys";
import { listen } from "../server/index";
import type { LocalNodeKind } from "../shared/chain/local-node";
import {
  flag, fmt, fullSync, openPglite, openPostgres, seconds, startBenchChain, type BenchChain, type BenchDatabase,
} from "./support";

/** Where the server finds its database. */
export type ServeSpec = BenchDatabase["location"];

/** Child process mode: serve the API over the database in `spec` and print the port. */
async function serve(spec: ServeSpec): Promise<void> {
  const database = await openDatabase(spec);
  const { app } = createApp({
    db: database.db,
    logger: createLogger("api", "warn"),
    checkpointWatch: await database.watchCheckpoint(),
    credentialWatch: await database.watchCredentials(),
  });
  const server = await listen(app, "127.0.0.1", 0);
  console.log(`LISTENING ${(server.address() as { port: number }).port}`);
  // Requests autocannon left in flight may still be running: leave without waiting for them.
  process.once("SIGTERM", () => process.exit(0));
}

export async function startServer(spec: ServeSpec): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...process.execArgv, __filename, "--serve", JSON.stringify(spec)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`API server exited with code ${code}`)));
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = /^LISTENING (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
    });
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

export function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
  });
}

/** The API under load and the credential every request carries (the bench bank's API key). */
export interface BenchApi {
  url: string;
  headers: Record<string, string>;
}

/**
 * For PGlite and then PostgreSQL (when reachable): indexes the chain into a fresh database, issues the
 * bench bank an API key, starts the API over it in a child process, runs `measure` against it, and
 * cleans everything up. Every request is authenticated as a real caller would be (key lookup, the
 * member's standing, the access policy), so the figures include what access control costs.
 */
export async function onEachDatabase(
  chain: BenchChain,
  measure: (database: BenchDatabase, api: BenchApi) => Promise<void>,
): Promise<void> {
  for (const open of [openPglite, openPostgres]) {
    const database = await open();
    if (!database) continue;
    try {
      const { events, seconds } = await fullSync(database.handle.db, chain);
      console.log(`${database.label}: indexed ${fmt(events)} events in ${fmt(seconds, 1)} s`);
      const { key } = await createApiKeyStore(database.handle.db).create({
        memberAddress: chain.reader, name: "bench", scope: "read", createdBy: chain.reader,
      });
      // PGlite is single-process: the server opens the folder once the indexer has let it go.
      if (database.handle.kind === "pglite") await database.handle.close();
      const { url, child } = await startServer(database.location);
      try {
        await measure(database, { url, headers: { "x-api-key": key } });
      } finally {
        await stopServer(child);
      }
    } finally {
      await database.dispose();
    }
  }
}

/** GETs `paths` in turn over `connections` for `duration` seconds. */
export function loadPaths(api: BenchApi, paths: string[], connections: number, duration: number) {
  let turn = 0;
  return autocannon({
    url: api.url,
    headers: api.headers,
    connections,
    duration,
    requests: [{ method: "GET", setupRequest: (request) => ({ ...request, path: paths[turn++ % paths.length] }) }],
  });
}

/** One GET as JSON, failing loudly on anything but a 200. */
export async function getJson<T>(api: BenchApi, path: string): Promise<T> {
  const response = await fetch(api.url + path, { headers: api.headers });
  if (response.status !== 200) throw new Error(`GET ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** One line of a load result, with the p99 target when there is one. */
export function describeLoad(connections: number, r: autocannon.Result, p99TargetMs?: number): string {
  const target = p99TargetMs === undefined ? "" : ` (target p99 < ${p99TargetMs} ms: ${r.latency.p99 < p99TargetMs ? "met" : "MISSED"})`;
  return (
    `  ${String(connections).padStart(2)} connection${connections === 1 ? " " : "s"}: ${fmt(r.requests.average)} req/s, ` +
    `latency p50 ${r.latency.p50} ms, p97.5 ${r.latency.p97_5} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms; ` +
    `${r.errors} errors, ${r.non2xx} non-2xx of ${fmt(r.requests.total)}${target}`
  );
}

/**
 * Loads one bank-verification endpoint: prints the first answer's verdict, warms up, then measures
 * 1, 10 and 50 connections asking for every path in turn; the p99 target applies on PostgreSQL.
 */
export async function measureVerifications(
  database: BenchDatabase,
  api: BenchApi,
  paths: string[],
  options: { duration: number; p99TargetMs: number },
): Promise<void> {
  const sample = await getJson<{ verdict: string; reasons: { code: string }[] }>(api, paths[0]);
  console.log(`${database.label}: ${paths[0]} is ${sample.verdict} (${sample.reasons.map((r) => r.code).join(", ") || "no reasons"})`);
  await loadPaths(api, paths, 10, Math.min(3, options.duration)); // warm-up: JIT, prepared statements, pool
  for (const connections of [1, 10, 50]) {
    const result = await loadPaths(api, paths, connections, options.duration);
    console.log(describeLoad(connections, result, database.label === "PostgreSQL" ? options.p99TargetMs : undefined));
  }
}

/**
 * A bank-verification benchmark from flags to figures: starts a chain with `members` members, lets
 * `build` put `count` assets on it and name the verification paths, then measures them on each database.
 */
export async function runVerificationBench(spec: {
  title: string;
  /** The flag giving how many assets to build, e.g. "receipts". */
  countFlag: string;
  members: number;
  gtins: bigint[];
  p99TargetMs: number;
  build(chain: BenchChain, count: number): Promise<{ paths: string[]; built: string }>;
}): Promise<void> {
  const kind = (flag("node") ?? "anvil") as LocalNodeKind;
  const count = Number(flag(spec.countFlag) ?? 2000);
  const duration = Number(flag("duration") ?? 10);
  const load = os.loadavg().map((l) => l.toFixed(1)).join(" ");
  console.log(`${spec.title}: ${kind} node, ${fmt(count)} ${spec.countFlag}; ${os.cpus().length} CPUs, load average ${load}`);
  const chain = await startBenchChain(kind, spec.members, spec.gtins);
  try {
    const start = performance.now();
    const { paths, built } = await spec.build(chain, count);
    console.log(`Built ${built} in ${fmt(seconds(start), 1)} s`);
    await onEachDatabase(chain, (database, api) => measureVerifications(database, api, paths, { duration, p99TargetMs: spec.p99TargetMs }));
  } finally {
    await chain.stop();
  }
}

if (require.main === module && process.argv[2] === "--serve") {
  serve(JSON.parse(process.argv[3])).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
