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
import { randomBytes } from "node:crypto";
import { contractInterfaces } from "../shared/chain/contracts";
import { roleBits } from "../shared/roles";
import { encodeCurrency } from "../shared/trade-codes";
import { runVerificationBench } from "./api-server";
import {
  doc, encodeCall, fmt, KGM, nextBatchId, REGION, TxPump, type BenchChain,
} from "./support";

const APPLES = 6_970_000_000_017n;
const NO_CARRIER = "0x0000000000000000000000000000000000000000";
const QUANTITY = 10_000;
const DAY = 86_400;
const P99_TARGET_MS = 25;

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
  await pump.multicallAll(producer, batchIds.map((id) => encodeCall("commission", [APPLES, `LOT-${id}`, QUANTITY, KGM, REGION, now - DAY, doc(`lot ${id}`)])), ledger);
  await pump.multicallAll(producer, batchIds.map((id) => encodeCall("ship", [id, warehouse, QUANTITY, NO_CARRIER, doc(`waybill ${id}`)])), ledger);
  await pump.multicallAll(warehouse, batchIds.map((id) => encodeCall("receiveShipment", [id])), ledger);

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
  await pump.multicallAll(warehouse, issues, WarehouseReceipt);
  const receiptIds = batchIds.map((_, i) => i + 1);
  const attests = receiptIds.filter((id) => id % 3 === 0).map((id) => receipts.encodeFunctionData("attest", [id, doc(`check ${id}`)]));
  await pump.multicallAll(warehouse, attests, WarehouseReceipt);

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
  await pump.multicallAll(producer, terms.map((t) => liens.encodeFunctionData("offer", [t])), LienRegistry);
  await pump.multicallAll(bank, terms.map((t) => liens.encodeFunctionData("accept", [t, 8_000_000])), LienRegistry);
  return receiptIds;
}

async function main(): Promise<void> {
  await runVerificationBench({
    title: "Verification latency",
    countFlag: "receipts",
    members: 3,
    gtins: [APPLES],
    p99TargetMs: P99_TARGET_MS,
    async build(chain, count) {
      const receiptIds = await buildReceipts(chain, count);
      return { paths: receiptIds.map((id) => `/api/v1/receipts/${id}/verification`), built: `${fmt(count)} receipts (${fmt(count / 2)} pledged)` };
    },
  });
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
