import type { ContractTransactionResponse, JsonRpcApiProvider, Signer } from "ethers";
import type { connectContracts } from "../../shared/chain/contracts";
import { eventArgs } from "../../shared/chain/events";
import { REGISTRATION_TYPES, registrationDomain } from "../../shared/chain/receivable-registration";
import { sha256Hex } from "../../shared/hashing";
import { encodeCurrency } from "../../shared/trade-codes";
import type { ILienRegistry } from "../../typechain-types";
import type { IReceivables } from "../../typechain-types/contracts/receivables/Receivables";

type Contracts = ReturnType<typeof connectContracts>;
type Registration = IReceivables.RegistrationStruct;

const DAY = 86_400;
const CNY = encodeCurrency("CNY");
const doc = (text: string) => sha256Hex(text);
const wait = async (tx: Promise<ContractTransactionResponse>) => (await (await tx).wait())!;

/**
 * The story's amounts, CNY minor units (fen). Exported so that tests can assert on them by name.
 * The supply-chain receivable's holders add up to its face value: brake maker 550,000.00, steel mill
 * 420,000.00 (300,000.00 of it in the pledged lot), foundry 50,000.00, refractory 80,000.00, bank
 * 100,000.00 bought from the foundry.
 */
export const RECEIVABLE_AMOUNTS = {
  supplyChain: 120_000_000,
  toSteelMill: 50_000_000,
  toFoundry: 15_000_000,
  steelMillToRefractory: 8_000_000,
  sold: 10_000_000,
  salePrice: 9_880_000,
  lot: 30_000_000,
  loanPrincipal: 24_000_000,
  overdue: 11_760_000,
  overduePartialPayment: 4_000_000,
  outstanding: 86_000_000,
  outstandingToSteelMill: 20_000_000,
  outstandingSold: 6_000_000,
  outstandingSalePrice: 5_940_000,
  outstandingLot: 20_000_000,
  outstandingLoanPrincipal: 15_000_000,
  disputed: 27_000_000,
} as const;

async function chainTime(contracts: Contracts): Promise<number> {
  const block = await contracts.receivables.runner!.provider!.getBlock("latest");
  return block!.timestamp;
}

/**
 * Moves the chain's clock to `time` in one step (`evm_increaseTime` + `evm_mine`, Hardhat and anvil):
 * days cannot be mined a second at a time as finance.ts does for its seconds-long loan. The clock
 * stays that far ahead of the wall clock afterwards, and the API judges ages, expiry and due dates by
 * the ledger's time: the finance story's receipts (attested or issued just before; 30 days is the
 * default attestation age limit) must still look fresh, so the story only advances it by days.
 */
async function advanceTo(contracts: Contracts, time: number): Promise<void> {
  const provider = contracts.receivables.runner!.provider as JsonRpcApiProvider;
  const delta = time - (await chainTime(contracts));
  if (delta <= 0) return;
  await provider.send("evm_increaseTime", [delta]);
  await provider.send("evm_mine", []);
}

/** The creditor registers a receivable already confirmed, with the debtor's EIP-712 signature (one transaction). */
async function registerConfirmed(creditor: Contracts, debtor: Contracts, registration: Registration): Promise<number> {
  const { chainId } = await creditor.receivables.runner!.provider!.getNetwork();
  const domain = registrationDomain(chainId, await creditor.receivables.getAddress());
  const signature = await (debtor.receivables.runner as Signer).signTypedData(domain, REGISTRATION_TYPES, registration);
  const receipt = await wait(creditor.receivables.registerConfirmed(registration, signature));
  return Number(eventArgs(receipt, creditor.receivables, "ReceivableRegistered").receivableId);
}

/** The creditor registers, then the debtor confirms in a transaction of its own (the two-step path). */
async function registerThenConfirm(creditor: Contracts, debtor: Contracts, registration: Registration): Promise<number> {
  const { debtor: debtorAddress, faceValue, currency, dueDate, graceSeconds, invoiceHash, documentHash } = registration;
  const receipt = await wait(
    creditor.receivables.register(debtorAddress, faceValue, currency, dueDate, graceSeconds, invoiceHash, documentHash),
  );
  const receivableId = Number(eventArgs(receipt, creditor.receivables, "ReceivableRegistered").receivableId);
  await wait(debtor.receivables.confirm(receivableId));
  return receivableId;
}

/** A registration in CNY whose invoice, supporting document and salt are hashes of descriptive text. */
function registrationOf(terms: {
  creditor: string;
  debtor: string;
  faceValue: number;
  dueDate: number;
  graceDays: number;
  invoice: string;
  document: string;
}): Registration {
  return {
    creditor: terms.creditor,
    debtor: terms.debtor,
    faceValue: terms.faceValue,
    currency: CNY,
    dueDate: terms.dueDate,
    graceSeconds: terms.graceDays * DAY,
    invoiceHash: doc(terms.invoice),
    documentHash: doc(terms.document),
    salt: doc(`registration salt ${terms.invoice}`),
  };
}

/** A holder passes part of its free amount to a supplier (ERC-1155 transfer; a link of the transfer tree). */
async function pay(from: Contracts, fromAddress: string, to: string, receivableId: number, amount: number): Promise<void> {
  await wait(from.receivables.safeTransferFrom(fromAddress, to, receivableId, amount, "0x"));
}

/** The holder offers part of its amount to the bank at a discount and the bank buys it; returns the sale id. */
async function discount(seller: Contracts, bank: Contracts, bankAddress: string, receivableId: number, amount: number, price: number) {
  const offered = await wait(seller.receivables.offerSale(receivableId, bankAddress, amount, price));
  const saleId = Number(eventArgs(offered, seller.receivables, "SaleOffered").saleId);
  await wait(bank.receivables.acceptSale(saleId));
  return saleId;
}

/**
 * The holder earmarks `amount` into a lot and pledges the lot to the bank through the lien registry
 * (offer, then the bank accepts at the lot's face amount): the lot is the collateral, not the receivable.
 */
async function pledgeLot(
  holder: Contracts,
  bank: Contracts,
  parties: { holder: string; bank: string },
  receivableId: number,
  loan: { amount: number; principal: number; maturity: number; rateBps: number; marginCallLtvBps: number },
): Promise<{ lotId: number; loanId: string; terms: ILienRegistry.LoanTermsStruct }> {
  const earmarked = await wait(holder.receivables.earmark(receivableId, loan.amount));
  const lotId = Number(eventArgs(earmarked, holder.receivables, "LotEarmarked").lotId);
  const terms: ILienRegistry.LoanTermsStruct = {
    collateral: await holder.receivables.getAddress(),
    collateralId: lotId,
    borrower: parties.holder,
    financier: parties.bank,
    principal: loan.principal,
    currency: CNY,
    maturity: loan.maturity,
    rateBps: loan.rateBps,
    marginCallLtvBps: loan.marginCallLtvBps,
    offerExpiresAt: (await chainTime(holder)) + 7 * DAY,
    salt: doc(`receivable lot ${lotId} pledge`),
  };
  const offered = await wait(holder.liens.offer(terms));
  const loanId = eventArgs(offered, holder.liens, "PledgeOffered").loanId as string;
  await wait(bank.liens.accept(terms, loan.amount));
  return { lotId, loanId, terms };
}

export interface ReceivablesDemoResult {
  /** Auto maker -> brake maker: passed down two tiers, partly sold and pledged, paid in full on its due date and settled. */
  supplyChain: number;
  /** Juice plant -> orchard: partly paid, past its due date and grace. */
  overdue: number;
  /** Auto maker -> brake maker, the next delivery: confirmed, not yet due, partly financed; the steel mill's part is free (eligible). */
  outstanding: number;
  /** Exporter -> juice plant: disputed by the exporter (not eligible). */
  disputed: number;
  /** The steel mill's pledged lot of the supply-chain receivable, and its loan (repaid and released after settlement). */
  lotId: number;
  loanId: string;
  /** The foundry's part of the supply-chain receivable discounted to the bank. */
  saleId: number;
  /** Every holder of the supply-chain receivable when it was settled. */
  supplyChainHolders: string[];
  /** The brake maker's part of the next delivery's receivable sold to the bank, and its lot pledged to the bank (active loan). */
  outstandingFinance: { saleId: number; lotId: number; loanId: string };
}

/**
 * The receivables part of the Yantai story (auto supply chain, amounts in CNY fen):
 * - Yantai Auto Works confirms a CNY 1,200,000.00 payable to its brake maker in one signed
 *   transaction (the invoice is on 90-day terms and registered late, so it is due in 4 days); the
 *   brake maker pays the steel mill and its foundry with parts of it, the steel mill pays its
 *   refractory supplier on (a two-level transfer tree); the foundry discounts 100,000.00 at the bank;
 *   the steel mill pledges a 300,000.00 lot for a 240,000.00 loan;
 * - the juice plant confirms what it owes the orchard, due in 1 day with 2 days' grace, pays a part;
 * - the auto maker confirms the next delivery's payable, due in 90 days (stays outstanding); the
 *   brake maker discounts 60,000.00 of it at the bank and pledges a 200,000.00 lot (the loan stays active);
 *   the exporter confirms the juice plant's invoice and then disputes it;
 * - the clock moves to the supply-chain receivable's due date: the auto maker pays in full, every
 *   holder is settled, the bank collects the loan from the pledged lot's share and releases it, the
 *   steel mill dissolves the lot. The juice plant's receivable is now overdue.
 * The chain's clock ends 4 days ahead of the wall clock (see advanceTo).
 */
export async function loadReceivablesDemo(input: {
  autoMaker: Contracts;
  partsMaker: Contracts;
  steelMill: Contracts;
  foundry: Contracts;
  orchard: Contracts;
  juicePlant: Contracts;
  exporter: Contracts;
  bank: Contracts;
  addresses: Record<"autoMaker" | "partsMaker" | "steelMill" | "foundry" | "refractory" | "orchard" | "juicePlant" | "exporter" | "bank", string>;
}): Promise<ReceivablesDemoResult> {
  const { autoMaker, partsMaker, steelMill, foundry, orchard, juicePlant, exporter, bank, addresses } = input;
  const A = RECEIVABLE_AMOUNTS;
  const now = await chainTime(bank);

  // The auto maker confirms its payable for September's brake assemblies: one signed transaction.
  const supplyChainDue = now + 4 * DAY;
  const supplyChain = await registerConfirmed(
    partsMaker,
    autoMaker,
    registrationOf({
      creditor: addresses.partsMaker,
      debtor: addresses.autoMaker,
      faceValue: A.supplyChain,
      dueDate: supplyChainDue,
      graceDays: 10,
      invoice: "VAT special invoice 3706-2026-00081234, Fushan Brake Systems to Yantai Auto Works, 1,200 front brake assemblies YAW-BA-2026-11, 90 days",
      document: "Framework supply agreement YAW-FBS-2026-07 and goods receipt note YAW-GRN-2026-0914",
    }),
  );

  // Down the chain: the brake maker pays the steel mill for coil and its foundry for castings;
  // the steel mill pays its refractory supplier on with part of what it received.
  await pay(partsMaker, addresses.partsMaker, addresses.steelMill, supplyChain, A.toSteelMill);
  await pay(partsMaker, addresses.partsMaker, addresses.foundry, supplyChain, A.toFoundry);
  await pay(steelMill, addresses.steelMill, addresses.refractory, supplyChain, A.steelMillToRefractory);

  // The foundry needs cash now: it sells 100,000.00 of its part to the bank for 98,800.00.
  const saleId = await discount(foundry, bank, addresses.bank, supplyChain, A.sold, A.salePrice);

  // The steel mill borrows against 300,000.00 of its part: 80% of the lot, due after the receivable.
  const steelMillLoan = await pledgeLot(steelMill, bank, { holder: addresses.steelMill, bank: addresses.bank }, supplyChain, {
    amount: A.lot,
    principal: A.loanPrincipal,
    maturity: supplyChainDue + 30 * DAY,
    rateBps: 420,
    marginCallLtvBps: 9_000,
  });

  // The juice plant's debt to the orchard for pressing apples: registered and confirmed in two steps,
  // due soon, partly paid; the same clock advance leaves it overdue.
  const overdue = await registerThenConfirm(
    orchard,
    juicePlant,
    registrationOf({
      creditor: addresses.orchard,
      debtor: addresses.juicePlant,
      faceValue: A.overdue,
      dueDate: now + DAY,
      graceDays: 2,
      invoice: "VAT invoice 3706-2026-00190417, Qixia Red Fuji Orchard Cooperative to Yantai Golden Apple Juice, 28 t Fuji apples for pressing",
      document: "Purchase contract GAJ-QX-2026-09 and weighbridge tickets QX-2026-FUJI-A1/B1",
    }),
  );
  await wait(juicePlant.receivables.recordPayment(overdue, A.overduePartialPayment, doc("CNAPS transfer 2026-09-30 GAJ instalment 1")));
  await wait(orchard.receivables.settleHolders(overdue, [addresses.orchard]));

  // The next delivery: due in 90 days, the brake maker passes some to the steel mill. Eligible for financing.
  const outstanding = await registerConfirmed(
    partsMaker,
    autoMaker,
    registrationOf({
      creditor: addresses.partsMaker,
      debtor: addresses.autoMaker,
      faceValue: A.outstanding,
      dueDate: now + 90 * DAY,
      graceDays: 15,
      invoice: "VAT special invoice 3706-2026-00093310, Fushan Brake Systems to Yantai Auto Works, 860 front brake assemblies, 90 days",
      document: "Framework supply agreement YAW-FBS-2026-07 and goods receipt note YAW-GRN-2026-1102",
    }),
  );
  await pay(partsMaker, addresses.partsMaker, addresses.steelMill, outstanding, A.outstandingToSteelMill);
  // The brake maker finances part of it now: it discounts 60,000.00 at the bank and pledges a 200,000.00
  // lot for a 150,000.00 loan; both stay open, so the regulator sees the bank's exposure on receivables.
  const outstandingSaleId = await discount(partsMaker, bank, addresses.bank, outstanding, A.outstandingSold, A.outstandingSalePrice);
  const brakeMakerLoan = await pledgeLot(partsMaker, bank, { holder: addresses.partsMaker, bank: addresses.bank }, outstanding, {
    amount: A.outstandingLot,
    principal: A.outstandingLoanPrincipal,
    maturity: now + 100 * DAY,
    rateBps: 450,
    marginCallLtvBps: 9_000,
  });

  // The exporter confirms the juice plant's invoice, then finds the Brix below contract and disputes it.
  const disputed = await registerConfirmed(
    juicePlant,
    exporter,
    registrationOf({
      creditor: addresses.juicePlant,
      debtor: addresses.exporter,
      faceValue: A.disputed,
      dueDate: now + 60 * DAY,
      graceDays: 10,
      invoice: "VAT special invoice 3706-2026-00204455, Yantai Golden Apple Juice to Yantai Port International Trading, 3,000 L concentrate GAJ-2026-0917",
      document: "Export sales contract YPIT-GAJ-2026-031 and delivery note GAJ-DN-2026-0921",
    }),
  );
  await wait(exporter.receivables.dispute(disputed, doc("Brix test 68.2 against 70 contracted, lab report YT-CIQ-2026-5531")));

  // The supply-chain receivable falls due: the auto maker pays in full and every holder is settled,
  // the pledged lot included (its settlement names the pledged amount for the bank to collect on).
  await advanceTo(bank, supplyChainDue);
  await wait(autoMaker.receivables.recordPayment(supplyChain, A.supplyChain, doc("CNAPS transfer YAW-PAY-2026-1213, invoice 3706-2026-00081234")));
  const supplyChainHolders = [addresses.partsMaker, addresses.steelMill, addresses.foundry, addresses.refractory, addresses.bank];
  await wait(autoMaker.receivables.settleHolders(supplyChain, supplyChainHolders));
  // The bank collects the loan out of the lot's share, ends the lien, and the steel mill dissolves the lot.
  await wait(bank.liens.recordRepayment(steelMillLoan.terms, A.loanPrincipal, doc("collected from settlement of lot, YCB slip 2026-12-13")));
  await wait(bank.liens.release(steelMillLoan.terms));
  await wait(steelMill.receivables.releaseLot(steelMillLoan.lotId));

  return {
    supplyChain,
    overdue,
    outstanding,
    disputed,
    lotId: steelMillLoan.lotId,
    loanId: steelMillLoan.loanId,
    saleId,
    supplyChainHolders,
    outstandingFinance: { saleId: outstandingSaleId, lotId: brakeMakerLoan.lotId, loanId: brakeMakerLoan.loanId },
  };
}
