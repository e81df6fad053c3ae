/**
 * Indexer throughput: a full sync of >= 100,000 ledger events from a real node into PGlite and
 * PostgreSQL.
 *
 *   npm run bench:indexer [-- --events 100000] [-- --node hardhat]
 *
 * The chain is generated with OpenZeppelin Multicall, ~200 events per transaction (one transaction
 * per block), in a mix that resembles a supply chain: producer A commissions batches, records a
 * reading on each and ships part of each (BatchSplit + BatchShipped) to member B; B receives them,
 * transforms them four into one, and ships the outputs whole to member C with a reading each; C
 * receives them and records a reading. Then the indexer syncs from the deployment block with
 * confirmations 0, a 64-block reorg window and 5,000-block ranges, as in production.
 * Targets: >= 10,000 events/s on PostgreSQL, >= 8,000 on PGlite (reference: Ponder 0.16, ~4,300/s
 * on PostgreSQL and ~4,000/s on PGlite for 100k events against anvil with 200 events/transaction).
 * PostgreSQL is BENCH_DATABASE_URL, by default postgres://root@127.0.0.1:5432/test (a fresh schema,
 * dropped afterwards); it is skipped when unreachable.
 */
import os from "node:os";
import type { LocalNodeKind } from "../shared/chain/local-node";
import {
  countRows, doc, encodeCall, flag, fmt, fullSync, KGM, LTR, ledgerInterface, nextBatchId, openPglite, openPostgres, REGION,
  seconds, startBenchChain, TxPump, type BenchChain, type BenchDatabase, type Receipt,
} from "./support";

export const APPLES = 6_970_000_000_017n;
export const JUICE = 6_970_000_000_024n;
const NO_CARRIER = "0x0000000000000000000000000000000000000000";

/** Calls per multicall, chosen so every transaction emits 200 events. */
const PER_TX = { commission: 200, reading: 200, partialShip: 100, receive: 200, transform: 100 } as const;
/** Batches A commissions per round; everything else in a round follows from it. */
const ROUND_BATCHES = 400;
const TRANSFORM_INPUTS = 4;
/** Logs one round emits: 400 commissions, 400 readings, 400 x (split + ship), 400 receives,
 * 100 x (output commissioned + transformed), 100 x (ship + reading) by B, 100 x (receive + reading) by C. */
const ROUND_EVENTS = 2600;

/** trace_events rows each event yields (a transformation: one per input, its output's counts as commissioned). */
const TRACE_ROWS_PER_EVENT: Record<string, number> = {
  BatchCommissioned: 1,
  ReadingRecorded: 1,
  BatchSplit: 2,
  BatchShipped: 1,
  BatchReceived: 1,
  BatchesTransformed: TRANSFORM_INPUTS,
};
const TRACE_ROWS_BY_TOPIC = new Map(
  Object.entries(TRACE_ROWS_PER_EVENT).map(([name, rows]) => [ledgerInterface.getEvent(name)!.topicHash, rows]),
);

const chunk = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
const range = (first: number, count: number) => Array.from({ length: count }, (_, i) => first + i);

interface Generated {
  transactions: number;
  receipts: Receipt[];
  seconds: number;
}

/** Sends `rounds` rounds of the mix; only cross-member dependencies wait for a receipt. */
export async function generate(chain: BenchChain, rounds: number): Promise<Generated> {
  const [a, b, c] = chain.members;
  const pump = new TxPump(chain.rpc, chain.deployment);
  const producedAt = Math.floor(Date.now() / 1000) - 86_400;
  let next = await nextBatchId(chain);
  const start = performance.now();
  let pendingForC: { after: string; calls: string[] } | null = null;

  for (let round = 0; round < rounds; round++) {
    const origins = range(next, ROUND_BATCHES);
    const children = range(next + ROUND_BATCHES, ROUND_BATCHES);
    const outputs = range(next + 2 * ROUND_BATCHES, ROUND_BATCHES / TRANSFORM_INPUTS);
    next += origins.length + children.length + outputs.length;

    const commissions = origins.map((id) => encodeCall("commission", [APPLES, `LOT-${id}`, 10_000, KGM, REGION, producedAt, doc(`lot ${id}`)]));
    const readings = origins.map((id) => encodeCall("recordReading", [id, doc(`reading ${id}`)]));
    const ships = origins.map((id) => encodeCall("ship", [id, b, 1_000, NO_CARRIER, doc(`waybill ${id}`)]));
    for (const calls of chunk(commissions, PER_TX.commission)) void pump.multicall(a, calls);
    for (const calls of chunk(readings, PER_TX.reading)) void pump.multicall(a, calls);
    const shipped = await Promise.all(chunk(ships, PER_TX.partialShip).map((calls) => pump.multicall(a, calls)));

    // C's part of the previous round waited for B's shipment; by now it is surely mined.
    if (pendingForC) {
      await pump.wait(pendingForC.after);
      void pump.multicall(c, pendingForC.calls);
    }

    await pump.wait(shipped.at(-1)!);
    for (const calls of chunk(children.map((id) => encodeCall("receiveShipment", [id])), PER_TX.receive)) void pump.multicall(b, calls);
    const transforms = outputs.map((output, t) =>
      encodeCall("transform", [
        children.slice(t * TRANSFORM_INPUTS, (t + 1) * TRANSFORM_INPUTS).map((batchId) => ({ batchId, quantity: 1_000 })),
        [{ gtin: JUICE, quantity: 2_800, unit: LTR, originRegion: REGION, lot: `JUICE-${output}` }],
        doc(`pressing ${output}`),
      ]),
    );
    for (const calls of chunk(transforms, PER_TX.transform)) void pump.multicall(b, calls);
    const toC = outputs.flatMap((id) => [encodeCall("ship", [id, c, 2_800, NO_CARRIER, doc(`waybill ${id}`)]), encodeCall("recordReading", [id, doc(`seal ${id}`)])]);
    const shippedToC = await pump.multicall(b, toC);
    pendingForC = {
      after: shippedToC,
      calls: outputs.flatMap((id) => [encodeCall("receiveShipment", [id]), encodeCall("recordReading", [id, doc(`arrival ${id}`)])]),
    };
  }
  if (pendingForC) {
    await pump.wait(pendingForC.after);
    void pump.multicall(c, pendingForC.calls);
  }
  const receipts = await pump.waitAll(pump.sent);
  return { transactions: pump.sent.length, receipts, seconds: seconds(start) };
}

async function main(): Promise<void> {
  const kind = (flag("node") ?? "anvil") as LocalNodeKind;
  if (kind !== "anvil" && kind !== "hardhat") throw new Error(`--node must be anvil or hardhat, not ${kind}`);
  const wanted = Number(flag("events") ?? 100_000);
  const rounds = Math.max(1, Math.ceil(wanted / ROUND_EVENTS));

  console.log(
    `Indexer throughput: ${kind} node, ${rounds} rounds of ${ROUND_EVENTS} events (>= ${fmt(wanted)} events); ` +
      `${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`,
  );
  const chain = await startBenchChain(kind, 3, [APPLES, JUICE]);
  try {
    const firstBlock = (await chain.rpc.blockNumber()) + 1;
    const generated = await generate(chain, rounds);
    const logs = generated.receipts.reduce((n, r) => n + r.logs.length, 0);
    const traceRows = generated.receipts.reduce(
      (n, r) => n + r.logs.reduce((m, log) => m + (TRACE_ROWS_BY_TOPIC.get(log.topics[0]) ?? 0), 0),
      0,
    );
    const maxGas = Math.max(...generated.receipts.map((r) => Number(r.gasUsed)));
    const head = await chain.rpc.blockNumber();
    // Setup events (admissions, products, ownership) are indexed too.
    const setupLogs = (await chain.rpc.logs(Object.values(chain.deployment.contracts), chain.deployment.startBlock, firstBlock - 1)).length;
    console.log(
      `Generated ${fmt(logs)} ledger events in ${generated.transactions} transactions (${fmt(logs / generated.transactions)} events/tx, ` +
        `max ${fmt(maxGas / 1e6, 1)}M gas/tx) over blocks ${firstBlock}-${head}: ${fmt(generated.seconds, 1)} s ` +
        `(${fmt(logs / generated.seconds)} events/s); ${setupLogs} setup events before them`,
    );
    if (logs !== rounds * ROUND_EVENTS) throw new Error(`expected ${rounds * ROUND_EVENTS} ledger events, the receipts hold ${logs}`);

    const expected = { events: logs + setupLogs, traceRows, batches: (await nextBatchId(chain)) - 1 };
    const targets = { "PGlite (on disk)": 8_000, PostgreSQL: 10_000 } as Record<string, number>;
    const references = { "PGlite (on disk)": 4_000, PostgreSQL: 4_300 } as Record<string, number>;
    for (const open of [openPglite, openPostgres]) {
      const database: BenchDatabase | null = await open();
      if (!database) continue;
      try {
        const { events, seconds: took } = await fullSync(database.handle.db, chain);
        const rate = events / took;
        const target = targets[database.label];
        console.log(
          `${database.label.padEnd(17)} full sync: ${fmt(events)} events in ${fmt(took, 2)} s = ${fmt(rate)} events/s ` +
            `(target >= ${fmt(target)}: ${rate >= target ? "met" : "MISSED"}; Ponder 0.16 ~${fmt(references[database.label])}/s)`,
        );
        await checkSanity(database, expected, events);
      } finally {
        await database.dispose();
      }
    }
  } finally {
    await chain.stop();
  }
}

/** The read model must hold exactly what the chain emitted. */
async function checkSanity(database: BenchDatabase, expected: { events: number; traceRows: number; batches: number }, indexed: number) {
  const db = database.handle.db;
  const found = { events: indexed, traceRows: await countRows(db, "trace_events"), batches: await countRows(db, "batches") };
  const ok = found.events === expected.events && found.traceRows === expected.traceRows && found.batches === expected.batches;
  console.log(
    `${"".padEnd(17)} sanity ${ok ? "ok" : "FAILED"}: events ${fmt(found.events)}/${fmt(expected.events)}, ` +
      `trace_events ${fmt(found.traceRows)}/${fmt(expected.traceRows)}, batches ${fmt(found.batches)}/${fmt(expected.batches)}`,
  );
  if (!ok) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
