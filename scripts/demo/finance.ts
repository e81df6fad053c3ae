import { hexlify, randomBytes, type ContractTransactionResponse, type JsonRpcApiProvider } from "ethers";
import type { connectContracts } from "../../shared/chain/contracts";
import { eventArgs } from "../../shared/chain/events";
import { sha256Hex } from "../../shared/hashing";
import { encodeCurrency } from "../../shared/trade-codes";
import type { ILienRegistry } from "../../typechain-types";

type Contracts = ReturnType<typeof connectContracts>;
export type LoanTerms = ILienRegistry.LoanTermsStruct;

const DAY = 86_400;
const CNY = encodeCurrency("CNY");
const doc = (text: string) => sha256Hex(text);
const wait = async (tx: Promise<ContractTransactionResponse>) => (await (await tx).wait())!;

async function chainTime(contracts: Contracts): Promise<number> {
  const block = await contracts.ledger.runner!.provider!.getBlock("latest");
  return block!.timestamp;
}

export interface FinanceParties {
  /** Signed-in contract handles of each party. */
  warehouse: Contracts;
  holder: Contracts;
  bank: Contracts;
  holderAddress: string;
  bankAddress: string;
}

/** A warehouse receipt for a batch the warehouse holds, issued to the depositor. */
export async function issueReceipt(
  warehouse: Contracts,
  batchId: number,
  quantity: number,
  holder: string,
  options: { location: string; insuredValue?: number; expiresInDays?: number },
): Promise<{ receiptId: number; batchId: number }> {
  const now = await chainTime(warehouse);
  const insured = options.insuredValue ?? 0;
  const receipt = await wait(
    warehouse.receipts.issue({
      batchId,
      quantity,
      holder,
      expiresAt: options.expiresInDays ? now + options.expiresInDays * DAY : 0,
      insuredValue: insured,
      insuranceCurrency: insured ? CNY : "0x000000",
      policyHash: insured ? doc(`cargo insurance policy for batch ${batchId}`) : "0x" + "00".repeat(32),
      documentHash: doc(`warehouse receipt for batch ${batchId}`),
      location: options.location,
    }),
  );
  const issued = eventArgs(receipt, warehouse.receipts, "ReceiptIssued");
  return { receiptId: Number(issued.receiptId), batchId: Number(issued.batchId) };
}

/** The holder offers the receipt to the bank and the bank accepts at `valuation`; returns the terms. */
export async function pledge(
  parties: FinanceParties,
  receiptId: number,
  loan: { principal: number; valuation: number; maturity: number; rateBps: number; marginCallLtvBps: number },
): Promise<{ terms: LoanTerms; loanId: string }> {
  const terms: LoanTerms = {
    collateral: await parties.holder.receipts.getAddress(),
    collateralId: receiptId,
    borrower: parties.holderAddress,
    financier: parties.bankAddress,
    principal: loan.principal,
    currency: CNY,
    maturity: loan.maturity,
    rateBps: loan.rateBps,
    marginCallLtvBps: loan.marginCallLtvBps,
    offerExpiresAt: Math.min(loan.maturity, (await chainTime(parties.holder)) + 7 * DAY),
    salt: hexlify(randomBytes(32)),
  };
  const offered = await wait(parties.holder.liens.offer(terms));
  const loanId = eventArgs(offered, parties.holder.liens, "PledgeOffered").loanId as string;
  await wait(parties.bank.liens.accept(terms, loan.valuation));
  return { terms, loanId };
}

/**
 * Lets the chain's clock pass `time`. The demo runs on an embedded automining node, whose blocks are
 * stamped at least one second apart: after a burst of transactions its clock runs ahead of the wall
 * clock, so waiting on the wall clock could take minutes. Mining empty blocks (`evm_mine`, Hardhat
 * and anvil) moves it forward a second at a time; a node without it gets the wall clock's pace.
 */
async function advancePast(contracts: Contracts, time: number): Promise<void> {
  const provider = contracts.ledger.runner!.provider as JsonRpcApiProvider;
  while ((await chainTime(contracts)) <= time) {
    try {
      await provider.send("evm_mine", []);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

export interface FinanceDemoResult {
  receipts: Record<"apples" | "applesReleased" | "discs" | "recalledApples", number>;
  loans: Record<"apples" | "discs", string>;
}

/**
 * The finance part of the Yantai story:
 * - apples in the cold store get a receipt; the cooperative pledges it to the bank, repays half, the
 *   bank releases half the goods (a new, free receipt the cooperative redeems), then the rest;
 * - brake discs in the bonded warehouse are pledged by the parts maker on a short loan that defaults;
 *   the bank enforces and sells the receipt to the auto maker;
 * - apples under a receipt are later recalled: the receipt is not eligible any more.
 */
export async function loadFinanceDemo(input: {
  coldStore: Contracts;
  bondedWarehouse: Contracts;
  orchard: Contracts;
  partsMaker: Contracts;
  bank: Contracts;
  regulator: Contracts;
  inspector: Contracts;
  addresses: { orchard: string; partsMaker: string; bank: string; autoMaker: string };
  batches: { applesInColdStore: number; discsInBondedWarehouse: number; applesToRecall: number };
}): Promise<FinanceDemoResult> {
  const { coldStore, bondedWarehouse, orchard, partsMaker, bank, regulator, addresses, batches } = input;
  const now = await chainTime(bank);

  // Apples: 12 t in cold room 3, insured for CNY 96,000.00, pledged for CNY 60,000.00 over 90 days.
  const apples = await issueReceipt(coldStore, batches.applesInColdStore, 12_000, addresses.orchard, {
    location: "Bohai Cold-Chain, Zhifu, cold room 3, bays 12-15",
    insuredValue: 9_600_000,
    expiresInDays: 180,
  });
  await wait(coldStore.receipts.attest(apples.receiptId, doc("weighbridge ticket and camera check, cold room 3")));
  const applesParties = { warehouse: coldStore, holder: orchard, bank, holderAddress: addresses.orchard, bankAddress: addresses.bank };
  const applesLoan = await pledge(applesParties, apples.receiptId, {
    principal: 6_000_000,
    valuation: 9_600_000,
    maturity: now + 90 * DAY,
    rateBps: 450,
    marginCallLtvBps: 8_000,
  });
  await wait(bank.liens.recordRegistration(applesLoan.terms, "ZDW-2026-370600-00012345"));
  // A price drop: the bank revalues the apples; 6,000,000 / 7,200,000 = 83% > 80% margin-call level.
  await wait(bank.liens.revalue(applesLoan.terms, 7_200_000));
  await wait(bank.liens.recordRepayment(applesLoan.terms, 3_000_000, doc("repayment 1, bank slip 2026-10-03")));
  const released = await wait(bank.liens.releasePart(applesLoan.terms, 6_000));
  const applesReleased = Number(eventArgs(released, bank.liens, "CollateralPartReleased").releasedId);
  await wait(orchard.receipts.requestRedemption(applesReleased));
  await wait(coldStore.receipts.confirmRedemption(applesReleased, doc("outbound delivery note CS-2026-1188")));
  await wait(bank.liens.recordRepayment(applesLoan.terms, 3_000_000, doc("repayment 2, bank slip 2026-11-02")));
  await wait(bank.liens.release(applesLoan.terms));

  // Brake discs: a short loan that is not repaid; the bank enforces and sells the receipt on.
  const discs = await issueReceipt(bondedWarehouse, batches.discsInBondedWarehouse, 1_600, addresses.partsMaker, {
    location: "Yantai Port bonded zone, warehouse 7, racks C1-C8",
    insuredValue: 48_000_000,
    expiresInDays: 365,
  });
  const discsParties = { warehouse: bondedWarehouse, holder: partsMaker, bank, holderAddress: addresses.partsMaker, bankAddress: addresses.bank };
  const maturity = (await chainTime(bank)) + 3;
  const discsLoan = await pledge(discsParties, discs.receiptId, {
    principal: 30_000_000,
    valuation: 48_000_000,
    maturity,
    rateBps: 600,
    marginCallLtvBps: 8_500,
  });
  await wait(bank.liens.recordRepayment(discsLoan.terms, 5_000_000, doc("partial repayment, bank slip 2026-11-20")));
  await advancePast(bank, maturity);
  await wait(bank.liens.enforce(discsLoan.terms, addresses.autoMaker));

  // Apples under a receipt, then a residue test fails and the regulator recalls the batch.
  const recalled = await issueReceipt(coldStore, batches.applesToRecall, 5_000, addresses.orchard, {
    location: "Bohai Cold-Chain, Zhifu, cold room 1",
    expiresInDays: 120,
  });
  await wait(input.inspector.ledger.recordInspection(recalled.batchId, false, doc("pesticide residue report applesE")));
  await wait(regulator.ledger.recall(recalled.batchId, doc("recall order YT-MSA-2026-044")));

  return {
    receipts: {
      apples: apples.receiptId,
      applesReleased,
      discs: discs.receiptId,
      recalledApples: recalled.receiptId,
    },
    loans: { apples: applesLoan.loanId, discs: discsLoan.loanId },
  };
}
