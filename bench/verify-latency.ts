/**
 * Bank verification latency: GET /api/v1/receipts/:id/verification under load, on PGlite and PostgreSQL.
 *
 *   npm run bench:verify [-- --receipts 2000] [-- --duration 10] [-- --node hardhat]
 *
 * On a real node, a producer commissions `receipts` batches and ships each to a warehouse, which
 * receives them and issues a warehouse receipt on each (half of them insured, a third attested);
 * the producer pledges half of the receipts to a bank, which accepts. The chain is indexed, the API
 * runs in a child process, and autocannon asks for the verification of every receipt in turn over
 * 1, 10 and 50 connections, `duration` seconds each.
 * Target: p99 < 25 ms on PostgreSQL with 50 concurrent clients, and no errors.
 */
import os from "node:os";
import { randomBytes } from "node:crypto";
import type { LocalNodeKind } from "../shared/chain/local-node";
import { contractInterfaces } from "../shared/chain/contracts";
import { roleBits } from "../shared/roles";
import { encodeCurrency } from "../shared/trade-codes";
import { describeLoad, loadPaths, onEachDatabase } from "./api-server";
import {
  doc, encodeCall, flag, fmt, KGM, nextBatchId, REGION, seconds, startBenchChain,
  TxPump, type BenchChain, type BenchDatabase,
} from "./support";

const APPLES = 6_970_000_000_017n;
const NO_CARRIER = "0x0000000000000000000000000000000000000000";
const QUANTITY = 10_000;
const DAY = 86_400;
const PER_TX = 100;
const P99_TARGET_MS = 25;

const chunk = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Sends `calls` to `contract` in multicalls of PER_TX as `from`; resolves when all are mined. */
async function multicallAll(pump: TxPump, from: string, to: string, calls: string[]): Promise<void> {
  const hashes = await Promise.all(chunk(calls, PER_TX).map((batch) => pump.multicall(from, batch, to)));
  await pump.waitAll(hashes);
}

/** Builds the receipts; returns their ids. */
async function buildReceipts(chain: BenchChain, count: number): Promise<number[]> {
  const pump = new TxPump(chain.rpc, chain.deployment);
  const { MemberRegistry, WarehouseReceipt, LienRegistry } = chain.deployment.contracts;
  const [producer, warehouse, bank] = chain.members;
  const registry = contractInterfaces.MemberRegistry;
  await pump.waitAll([
    await pump.send(chain.deployment.deployer, registry.encodeFunctionData("setRoles", [warehouse, roleBits(["WAREHOUSE"])]), MemberRegistry),
    await pump.send(chain.deployment.deployer, registry.encodeFunctionData("setRoles", [bank, roleBits(["FINANCIER"])]), MemberRegistry),
  ]);

  const now = Math.floor(Date.now() / 1000);
  const first = await nextBatchId(chain);
  const batchIds = Array.from({ length: count }, (_, i) => first + i);
  const ledger = chain.deployment.contracts.ProvenanceLedger;
  await multicallAll(pump, producer, ledger, batchIds.map((id) => encodeCall("commission", [APPLES, `LOT-${id}`, QUANTITY, KGM, REGION, now - DAY, doc(`lot ${id}`)])));
  await multicallAll(pump, producer, ledger, batchIds.map((id) => encodeCall("ship", [id, warehouse, QUANTITY, NO_CARRIER, doc(`waybill ${id}`)])));
  await multicallAll(pump, warehouse, ledger, batchIds.map((id) => encodeCall("receiveShipment", [id])));

  const receipts = contractInterfaces.WarehouseReceipt;
  const cny = encodeCurrency("CNY");
  const zero = "0x" + "00".repeat(32);
  const issues = batchIds.map((batchId, i) =>
    receipts.encodeFunctionData("issue", [
      {
        batchId,
        quantity: QUANTITY,
        holder: producer,
        expiresAt: now + 365 * DAY,
        insuredValue: i % 2 === 0 ? 8_000_000 : 0,
        insuranceCurrency: i % 2 === 0 ? cny : "0x000000",
        policyHash: i % 2 === 0 ? doc(`policy ${batchId}`) : zero,
        documentHash: doc(`receipt ${batchId}`),
        location: `Cold room ${(i % 12) + 1}, bay ${i}`,
      },
    ]),
  );
  await multicallAll(pump, warehouse, WarehouseReceipt, issues);
  const receiptIds = batchIds.map((_, i) => i + 1);
  const attests = receiptIds.filter((id) => id % 3 === 0).map((id) => receipts.encodeFunctionData("attest", [id, doc(`check ${id}`)]));
  await multicallAll(pump, warehouse, WarehouseReceipt, attests);

  const liens = contractInterfaces.LienRegistry;
  const terms = receiptIds
    .filter((id) => id % 2 === 1)
    .map((id) => ({
      collateral: WarehouseReceipt,
      collateralId: id,
      borrower: producer,
      financier: bank,
      principal: 5_000_000,
      currency: cny,
      maturity: now + 90 * DAY,
      rateBps: 450,
      marginCallLtvBps: 8_000,
      offerExpiresAt: now + 7 * DAY,
      salt: "0x" + randomBytes(32).toString("hex"),
    }));
  await multicallAll(pump, producer, LienRegistry, terms.map((t) => liens.encodeFunctionData("offer", [t])));
  await multicallAll(pump, bank, LienRegistry, terms.map((t) => liens.encodeFunctionData("accept", [t, 8_000_000])));
  return receiptIds;
}

async function measure(database: BenchDatabase, url: string, receiptIds: number[], duration: number): Promise<void> {
  const paths = receiptIds.map((id) => `/api/v1/receipts/${id}/verification`);
  const sample = (await (await fetch(url + paths[0])).json()) as { verdict: string; reasons: { code: string }[] };
  console.log(`${database.label}: receipt ${receiptIds[0]} is ${sample.verdict} (${sample.reasons.map((r) => r.code).join(", ") || "no reasons"})`);
  await loadPaths(url, paths, 10, Math.min(3, duration)); // warm-up: JIT, prepared statements, pool
  for (const connections of [1, 10, 50]) {
    const result = await loadPaths(url, paths, connections, duration);
    console.log(describeLoad(connections, result, database.label === "PostgreSQL" ? P99_TARGET_MS : undefined));
  }
}

async function main(): Promise<void> {
  const kind = (flag("node") ?? "anvil") as LocalNodeKind;
  const count = Number(flag("receipts") ?? 2000);
  const duration = Number(flag("duration") ?? 10);
  const load = os.loadavg().map((l) => l.toFixed(1)).join(" ");
  console.log(`Verification latency: ${kind} node, ${fmt(count)} receipts; ${os.cpus().length} CPUs, load average ${load}`);
  const chain = await startBenchChain(kind, 3, [APPLES]);
  try {
    const start = performance.now();
    const receiptIds = await buildReceipts(chain, count);
    console.log(`Built ${fmt(count)} receipts (${fmt(count / 2)} pledged) in ${fmt(seconds(start), 1)} s`);
    await onEachDatabase(chain, (database, url) => measure(database, url, receiptIds, duration));
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
