/**
 * Bank verification latency for receivables: GET /api/v1/receivables/:id/verification?holder=... under
 * load, on PGlite and PostgreSQL.
 *
 *   npm run bench:verify-receivables [-- --receivables 2000] [-- --duration 10] [-- --node hardhat]
 *
 * On a real node, a tier-1 supplier registers `receivables` receivables against two large buyers
 * (three quarters against the first, so its payment record spans 1,500 payables), each buyer confirms
 * its own; the supplier pays a tier-2 supplier with a third of each; the tier-2 supplier offers a part
 * of every second one to a bank and earmarks a lot of every fourth, which it pledges; the buyers pay a
 * fifth of the receivables in full and the holders are settled. The chain is indexed, the API runs in
 * a child process, and autocannon asks for the verification of the tier-2 supplier's part of every
 * receivable in turn over 1, 10 and 50 connections, `duration` seconds each.
 * Target: p99 < 25 ms on PostgreSQL with 50 concurrent clients (as for receipts), and no errors.
 */
import { randomBytes } from "node:crypto";
import { contractInterfaces } from "../shared/chain/contracts";
import { roleBits } from "../shared/roles";
import { encodeCurrency } from "../shared/trade-codes";
import { runVerificationBench } from "./api-server";
import { doc, fmt, TxPump, type BenchChain } from "./support";

const DAY = 86_400;
const FACE_VALUE = 12_000_000;
const P99_TARGET_MS = 25;

/** Builds the receivables; returns their ids and the holder whose part the banks check. */
async function buildReceivables(chain: BenchChain, count: number): Promise<{ ids: number[]; holder: string }> {
  const pump = new TxPump(chain.rpc, chain.deployment);
  const { MemberRegistry, Receivables, LienRegistry } = chain.deployment.contracts;
  const [supplier, bigBuyer, otherBuyer, tier2, bank] = chain.members;
  const registry = contractInterfaces.MemberRegistry;
  await pump.waitAll([
    await pump.send(chain.deployment.deployer, registry.encodeFunctionData("setRoles", [bank, roleBits(["FINANCIER"])]), MemberRegistry),
  ]);

  const receivables = contractInterfaces.Receivables;
  const cny = encodeCurrency("CNY");
  const now = Math.floor(Date.now() / 1000);
  const ids = Array.from({ length: count }, (_, i) => i + 1);
  const debtorOf = (id: number) => (id % 4 === 0 ? otherBuyer : bigBuyer);
  const registrations = ids.map((id) =>
    receivables.encodeFunctionData("register", [
      debtorOf(id), FACE_VALUE, cny, now + (30 + (id % 150)) * DAY, 10 * DAY, doc(`VAT invoice ${id}`), doc(`delivery note ${id}`),
    ]),
  );
  await pump.multicallAll(supplier, registrations, Receivables);
  for (const buyer of [bigBuyer, otherBuyer]) {
    const own = ids.filter((id) => debtorOf(id) === buyer);
    await pump.multicallAll(buyer, own.map((id) => receivables.encodeFunctionData("confirm", [id])), Receivables);
  }
  const part = FACE_VALUE / 3;
  await pump.multicallAll(
    supplier,
    ids.map((id) => receivables.encodeFunctionData("safeTransferFrom", [supplier, tier2, id, part, "0x"])),
    Receivables,
  );
  const offered = ids.filter((id) => id % 2 === 0);
  await pump.multicallAll(tier2, offered.map((id) => receivables.encodeFunctionData("offerSale", [id, bank, part / 4, part / 4 - 10_000])), Receivables);

  // Lots are numbered in the order they are earmarked.
  const pledgedIds = ids.filter((id) => id % 4 === 1);
  await pump.multicallAll(tier2, pledgedIds.map((id) => receivables.encodeFunctionData("earmark", [id, part / 2])), Receivables);
  const liens = contractInterfaces.LienRegistry;
  const terms = pledgedIds.map((_, i) => ({
    collateral: Receivables,
    collateralId: i + 1,
    borrower: tier2,
    financier: bank,
    principal: part / 4,
    currency: cny,
    maturity: now + 200 * DAY,
    rateBps: 450,
    marginCallLtvBps: 9_000,
    offerExpiresAt: now + 7 * DAY,
    salt: "0x" + randomBytes(32).toString("hex"),
  }));
  await pump.multicallAll(tier2, terms.map((t) => liens.encodeFunctionData("offer", [t])), LienRegistry);
  await pump.multicallAll(bank, terms.map((t) => liens.encodeFunctionData("accept", [t, part / 2])), LienRegistry);

  // A payment record: a fifth of the receivables (none of them pledged) paid in full and settled.
  const paid = ids.filter((id) => id % 5 === 0 && id % 4 !== 1);
  for (const buyer of [bigBuyer, otherBuyer]) {
    const own = paid.filter((id) => debtorOf(id) === buyer);
    await pump.multicallAll(buyer, own.map((id) => receivables.encodeFunctionData("recordPayment", [id, FACE_VALUE, doc(`payment ${id}`)])), Receivables);
  }
  await pump.multicallAll(
    supplier,
    paid.map((id) => receivables.encodeFunctionData("settleHolders", [id, [supplier, tier2]])),
    Receivables,
    50,
  );
  return { ids: ids.filter((id) => !paid.includes(id)), holder: tier2 };
}

async function main(): Promise<void> {
  await runVerificationBench({
    title: "Receivable verification latency",
    countFlag: "receivables",
    members: 5,
    gtins: [],
    p99TargetMs: P99_TARGET_MS,
    async build(chain, count) {
      const { ids, holder } = await buildReceivables(chain, count);
      return {
        paths: ids.map((id) => `/api/v1/receivables/${id}/verification?holder=${holder}`),
        built: `${fmt(count)} receivables (${fmt(count - ids.length)} paid and settled)`,
      };
    },
  });
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
