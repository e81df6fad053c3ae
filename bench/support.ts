/**
 * What the indexer and trace benchmarks share: a real node with the contracts deployed, a fast
 * transaction pump for multicalls, and the two databases the read model runs on.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { Client } from "pg";
import { JsonRpcProvider, type ParamType } from "ethers";
import { deployContracts } from "../shared/chain/deploy";
import type { Deployment } from "../shared/chain/deployments";
import { contractInterfaces } from "../shared/chain/contracts";
import { startLocalNode, type LocalNode, type LocalNodeKind } from "../shared/chain/local-node";
import { RpcClient } from "../shared/chain/rpc";
import { openDatabase, queryRows, type Database, type DatabaseHandle } from "../shared/db/client";
import { sha256Hex } from "../shared/hashing";
import { createLogger } from "../shared/logger";
import { roleBits, type RoleName } from "../shared/roles";
import { encodeUnit } from "../shared/trade-codes";
import { createIndexer } from "../indexer/sync";
import { freePort } from "../shared/ports";

export { freePort };

export const PG_URL = process.env.BENCH_DATABASE_URL ?? "postgres://root@127.0.0.1:5432/test";
export const ledgerInterface = contractInterfaces.ProvenanceLedger;
export const KGM = encodeUnit("KGM");
export const LTR = encodeUnit("LTR");
export const REGION = 370686;
export const doc = (text: string) => sha256Hex(text);
const BLOCK_GAS_LIMIT = 30_000_000;

/**
 * ABI encoding of a ledger call, written here because ethers' AbiCoder takes about 0.25 ms per call
 * and as much per multicall: most of the time generating 100,000 events took. The first call of
 * each function is checked against ethers.
 */
export function encodeCall(name: string, args: readonly unknown[]): string {
  let encode = callEncoders.get(name);
  if (!encode) {
    const fragment = ledgerInterface.getFunction(name);
    if (!fragment) throw new Error(`ProvenanceLedger has no function ${name}`);
    const selector = fragment.selector;
    encode = (values) => selector + encodeTuple(fragment.inputs, values);
    const expected = ledgerInterface.encodeFunctionData(fragment, [...args]);
    if (encode(args) !== expected) throw new Error(`encodeCall(${name}) differs from ethers`);
    callEncoders.set(name, encode);
  }
  return encode(args);
}

const callEncoders = new Map<string, (values: readonly unknown[]) => string>();
const word = (value: bigint | number) => BigInt.asUintN(256, BigInt(value)).toString(16).padStart(64, "0");
const padRight = (hex: string) => hex.padEnd(Math.ceil(hex.length / 64) * 64, "0");

function isDynamic(type: ParamType): boolean {
  if (type.type === "string" || type.type === "bytes") return true;
  if (type.baseType === "array") return type.arrayLength === -1 || isDynamic(type.arrayChildren!);
  if (type.baseType === "tuple") return type.components!.some(isDynamic);
  return false;
}

/** Head-and-tail encoding of a tuple's values (an array, or an object keyed by component name). */
function encodeTuple(types: readonly ParamType[], values: unknown): string {
  const items = Array.isArray(values) ? values : types.map((type) => (values as Record<string, unknown>)[type.name]);
  const encoded = types.map((type, i) => encodeValue(type, items[i]));
  let offset = types.reduce((size, type, i) => size + (isDynamic(type) ? 32 : encoded[i].length / 2), 0);
  let heads = "";
  let tails = "";
  types.forEach((type, i) => {
    if (!isDynamic(type)) return void (heads += encoded[i]);
    heads += word(offset);
    tails += encoded[i];
    offset += encoded[i].length / 2;
  });
  return heads + tails;
}

function encodeValue(type: ParamType, value: unknown): string {
  if (type.baseType === "tuple") return encodeTuple(type.components!, value);
  if (type.baseType === "array") {
    const items = value as unknown[];
    const tuple = encodeTuple(items.map(() => type.arrayChildren!), items);
    return type.arrayLength === -1 ? word(items.length) + tuple : tuple;
  }
  if (type.type === "string" || type.type === "bytes") {
    const hex = type.type === "string" ? Buffer.from(value as string, "utf8").toString("hex") : (value as string).slice(2);
    return word(hex.length / 2) + padRight(hex);
  }
  if (type.type === "address") return (value as string).slice(2).toLowerCase().padStart(64, "0");
  if (type.type === "bool") return word(value ? 1 : 0);
  if (type.type.startsWith("bytes")) return padRight((value as string).slice(2).toLowerCase());
  return word(value as bigint | number);
}

/** `--name value` flags of the command line. */
export function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}


export const seconds = (fromMs: number) => (performance.now() - fromMs) / 1000;
export const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

export interface BenchChain {
  node: LocalNode;
  rpc: RpcClient;
  provider: JsonRpcProvider;
  deployment: Deployment;
  /** Unlocked accounts 1..n, admitted as ENTERPRISE members. */
  members: string[];
  /** Account n+1, admitted as a FINANCIER: the bank whose API key the load benchmarks read with. */
  reader: string;
  stop(): Promise<void>;
}

/**
 * Starts a node, deploys with account 0, admits `memberCount` unlocked accounts (1, 2, ...) as
 * ENTERPRISE members and registers the given products as the first of them.
 */
export async function startBenchChain(kind: LocalNodeKind, memberCount: number, gtins: bigint[]): Promise<BenchChain> {
  // Blocks of 30M gas, as the one-transaction-per-block pacing of TxPump assumes (Hardhat's default).
  const extraArgs = kind === "anvil" ? ["--gas-limit", String(BLOCK_GAS_LIMIT)] : [];
  const node = await startLocalNode({ kind, port: await freePort(), extraArgs });
  const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, pollingInterval: 20, cacheTimeout: -1 });
  const admin = await provider.getSigner(0);
  const deployment = await deployContracts(admin);
  const rpc = new RpcClient(node.url, 120_000);
  const pump = new TxPump(rpc, deployment);
  const members: string[] = [];
  for (let i = 1; i <= memberCount; i++) members.push((await provider.getSigner(i)).address.toLowerCase());
  const reader = (await provider.getSigner(memberCount + 1)).address.toLowerCase();
  const registry = contractInterfaces.MemberRegistry;
  const admit = (account: string, role: RoleName, i: number, name: string) =>
    registry.encodeFunctionData("admit", [account, roleBits([role]), doc(`USCC ${i}`), name, `https://bench.example/members/${i}`, doc(`profile ${i}`)]);
  const admits = [...members.map((account, i) => admit(account, "ENTERPRISE", i, `Bench member ${i}`)), admit(reader, "FINANCIER", memberCount, "Bench bank")];
  await pump.waitAll(await Promise.all(admits.map((data) => pump.send(admin.address, data, deployment.contracts.MemberRegistry))));
  const products = gtins.map((gtin, i) => encodeCall("registerProduct", [gtin, "080810", `Bench product ${i}`, ""]));
  await pump.waitAll([await pump.multicall(members[0], products)]);
  return {
    node,
    rpc,
    provider,
    deployment,
    members,
    reader,
    async stop() {
      provider.destroy();
      await node.stop();
    },
  };
}

/** Receipt fields the benchmarks read. */
export interface Receipt {
  status: string;
  gasUsed: string;
  blockNumber: string;
  logs: { topics: string[] }[];
}

/**
 * Sends transactions from unlocked accounts with nonces counted here and a fixed gas limit, so no
 * send waits for an estimate or for the previous transaction's receipt: anvil mines them in nonce
 * order. Callers wait for receipts only where another account depends on the result.
 */
export class TxPump {
  private readonly nonces = new Map<string, number>();
  readonly sent: string[] = [];

  /**
   * @param gas declared per transaction: the EIP-7825 cap (2^24), which Hardhat enforces. Above half
   * a 30M block, it keeps one transaction per block even when the node could pack several, as on a
   * chain whose blocks our multicalls fill.
   */
  constructor(
    private readonly rpc: RpcClient,
    private readonly deployment: Deployment,
    private readonly gas = 16_777_216,
  ) {}

  private queue: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;

  /** Queues a transaction; sends leave in call order, so callers need not await one before the next. */
  send(from: string, data: string, to = this.deployment.contracts.ProvenanceLedger): Promise<string> {
    const sent = this.queue.then(() => this.sendNow(from, data, to));
    // A failed send surfaces in the next wait: callers do not await every send.
    this.queue = sent.catch((error) => void (this.failure ??= error));
    return sent;
  }

  private async sendNow(from: string, data: string, to: string): Promise<string> {
    // Later transactions depend on earlier ones (and nonces on their order): stop at the first failure.
    if (this.failure) throw this.failure;
    let nonce = this.nonces.get(from);
    if (nonce === undefined) nonce = Number(await this.rpc.call<string>("eth_getTransactionCount", [from, "pending"]));
    this.nonces.set(from, nonce + 1);
    const hash = await this.rpc.call<string>("eth_sendTransaction", [
      { from, to, data, gas: toHex(this.gas), nonce: toHex(nonce) },
    ]);
    this.sent.push(hash);
    return hash;
  }

  /** One ledger transaction running `calls` as `from` (OpenZeppelin Multicall). */
  multicall(from: string, calls: string[], to = this.deployment.contracts.ProvenanceLedger): Promise<string> {
    // Every TraceFin contract inherits OpenZeppelin's Multicall: the same encoding serves them all.
    return this.send(from, encodeCall("multicall", [calls]), to);
  }

  /** Sends `calls` to `to` as `from` in multicalls of `perTx` calls; resolves when all are mined. */
  async multicallAll(from: string, calls: string[], to: string, perTx = 100): Promise<Receipt[]> {
    const batches = Array.from({ length: Math.ceil(calls.length / perTx) }, (_, i) => calls.slice(i * perTx, (i + 1) * perTx));
    return this.waitAll(await Promise.all(batches.map((batch) => this.multicall(from, batch, to))));
  }

  async wait(hash: string): Promise<Receipt> {
    for (;;) {
      if (this.failure) throw this.failure;
      const receipt = await this.rpc.call<Receipt | null>("eth_getTransactionReceipt", [hash]);
      if (receipt) {
        if (receipt.status !== "0x1") throw new Error(`transaction ${hash} reverted`);
        return receipt;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Receipts of `hashes`, once every queued transaction has been sent (pass `sent` for all of them). */
  async waitAll(hashes: string[]): Promise<Receipt[]> {
    await this.queue;
    const receipts: Receipt[] = [];
    for (let i = 0; i < hashes.length; i += 32) receipts.push(...(await Promise.all(hashes.slice(i, i + 32).map((h) => this.wait(h)))));
    return receipts;
  }
}

const toHex = (n: number) => "0x" + n.toString(16);

/** The id the ledger's next batch will get. */
export async function nextBatchId(chain: BenchChain): Promise<number> {
  const count = await chain.rpc.call<string>("eth_call", [
    { to: chain.deployment.contracts.ProvenanceLedger, data: ledgerInterface.encodeFunctionData("batchCount") },
    "latest",
  ]);
  return Number(count) + 1;
}

export interface BenchDatabase {
  label: string;
  handle: DatabaseHandle;
  /** What openDatabase needs to open the same database again (e.g. from another process). */
  location: { pgliteDir: string } | { url: string; schemaName: string };
  /** Closes the database and deletes what the benchmark created (the PGlite folder, the schema). */
  dispose(): Promise<void>;
}

/** PGlite persisted in a fresh temporary folder. */
export async function openPglite(): Promise<BenchDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tracefin-bench-"));
  const opened = await openDatabase({ pgliteDir: dir });
  let closed: Promise<void> | undefined;
  // Closing twice is harmless: a benchmark closes it early to hand the folder to another process.
  const handle = { ...opened, close: () => (closed ??= opened.close()) };
  return {
    label: "PGlite (on disk)",
    handle,
    location: { pgliteDir: dir },
    async dispose() {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** PostgreSQL in a schema of its own, or null (with the reason printed) when the server is unreachable. */
export async function openPostgres(): Promise<BenchDatabase | null> {
  const probe = new Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await probe.connect();
    await probe.query("SELECT 1");
  } catch (error) {
    console.log(`PostgreSQL at ${PG_URL} is unreachable (${(error as Error).message}): skipped.`);
    return null;
  } finally {
    await probe.end().catch(() => {});
  }
  const schemaName = `bench_${process.pid}_${Date.now().toString(36)}`;
  const handle = await openDatabase({ url: PG_URL, schemaName });
  return {
    label: "PostgreSQL",
    handle,
    location: { url: PG_URL, schemaName },
    async dispose() {
      await handle.db.execute(sql.raw(`DROP SCHEMA "${schemaName}" CASCADE`));
      await handle.close();
    },
  };
}

/** A full sync from the deployment block; resolves with the indexer's figures and the wall time. */
export async function fullSync(db: Database, chain: BenchChain): Promise<{ events: number; seconds: number }> {
  const indexer = createIndexer({
    db,
    rpc: new RpcClient(chain.node.url, 120_000),
    deployment: chain.deployment,
    logger: createLogger("indexer", (process.env.BENCH_LOG_LEVEL as never) ?? "warn"),
    confirmations: 0,
    reorgWindow: 64,
    maxBlockRange: 5000,
    pollIntervalMs: 50,
  });
  const start = performance.now();
  await indexer.syncToHead();
  return { events: indexer.status().eventsIndexed, seconds: seconds(start) };
}

export async function countRows(db: Database, table: string): Promise<number> {
  const [row] = await queryRows<{ n: string | number }>(db, sql.raw(`SELECT count(*) AS n FROM ${table}`));
  return Number(row.n);
}
