/**
 * Gas of warehouse receipts and pledges, for bench/gas.ts: a cold store issues receipts over goods it
 * holds, holders trade and split them, pledge them to a bank, and the bank runs the loan to its end.
 * Every measured call runs in steady state: the receipt counter and the holders' token balances are
 * made non-zero by warm-up issues first, as in the ERC-721 baseline rows.
 */
import { ethers, network } from "hardhat";
import type { ILienRegistry } from "../typechain-types/contracts/finance/LienRegistry";
import type { LedgerContracts } from "../shared/chain/contracts";
import { LOAN_TERMS_TYPES, loanTermsDomain } from "../shared/chain/loan-terms";
import { gasOf, type Row } from "./gas-support";

const Role = { ENTERPRISE: 1, WAREHOUSE: 2, FINANCIER: 8 } as const;
const GRAPES = 6901234567922n; // GTIN-13, check digit 2
const KGM = ethers.zeroPadBytes(ethers.toUtf8Bytes("KGM"), 3);
const CNY = ethers.hexlify(ethers.toUtf8Bytes("CNY"));
const DAY = 86_400;
const LOCATION = "Qingdao Port Cold Store, hall 3, bay 12"; // 39 characters

const fmt = (n: bigint): string => Number(n).toLocaleString("en-US");

export async function financeRows({ registry, ledger, receipts, liens }: LedgerContracts): Promise<Row[]> {
  const signers = await ethers.getSigners();
  const [producer, warehouse, bank, holder, trader, newcomer] = signers.slice(9, 15);
  const rows: Row[] = [];
  const doc = (text: string): string => ethers.id(text);
  const now = async (): Promise<number> => (await ethers.provider.getBlock("latest"))!.timestamp;

  const members: [typeof producer, number, string][] = [
    [producer, Role.ENTERPRISE, "Penglai Vineyard Co Ltd"],
    [warehouse, Role.WAREHOUSE, "Qingdao Port Cold Store Co Ltd"],
    [bank, Role.FINANCIER, "Bank of Qingdao Trade Finance"],
    [holder, Role.ENTERPRISE, "Yantai Fruit Trading Co Ltd"],
    [trader, Role.ENTERPRISE, "Shandong Produce Export Co Ltd"],
    [newcomer, Role.ENTERPRISE, "Weifang Juice Co Ltd"],
  ];
  for (const [account, roles, name] of members) {
    await (await registry.admit(account.address, roles, doc(`USCC ${name}`), name, "", doc(name))).wait();
  }
  await (await ledger.connect(producer).registerProduct(GRAPES, "080610", "Table grapes", "")).wait();

  /** A batch of grapes commissioned by the producer and deposited (shipped and received) at the warehouse. */
  const deposit = async (lot: string, quantity: bigint): Promise<bigint> => {
    await (await ledger.connect(producer).commission(GRAPES, lot, quantity, KGM, 370600, await now(), doc(lot))).wait();
    const batchId = await ledger.batchCount();
    await (await ledger.connect(producer).ship(batchId, warehouse.address, quantity, ethers.ZeroAddress, doc(`waybill ${lot}`))).wait();
    await (await ledger.connect(warehouse).receiveShipment(batchId)).wait();
    return batchId;
  };
  const issuance = async (batchId: bigint, to: string, quantity: bigint) => ({
    batchId,
    quantity,
    holder: to,
    expiresAt: (await now()) + 365 * DAY,
    insuredValue: 90_000_000n,
    insuranceCurrency: CNY,
    policyHash: doc(`policy ${batchId}`),
    documentHash: doc(`deposit note ${batchId}`),
    location: LOCATION,
  });
  /** Issues a receipt and returns its id with the gas used. */
  const issue = async (batchId: bigint, to: string, quantity: bigint) => {
    const details = await issuance(batchId, to, quantity);
    const [receiptId] = await receipts.connect(warehouse).issue.staticCall(details);
    return { receiptId, gas: await gasOf(receipts.connect(warehouse).issue(details)) };
  };

  // ---- receipts ------------------------------------------------------------------------------
  // Warm-up: receipt counter 0 -> 1, and the holder's and the trader's first tokens.
  const pledged = await issue(await deposit("GR-WARMUP-1", 10_000n), holder.address, 10_000n);
  const traded = await issue(await deposit("GR-WARMUP-2", 1_000n), trader.address, 1_000n);

  const signable = await issue(await deposit("GR-WARMUP-3", 3_000n), holder.address, 3_000n);
  const whole = await issue(await deposit("GR-2025-0920-A", 5_000n), holder.address, 5_000n);
  rows.push({
    operation: "receipt issue (whole batch)",
    gas: whole.gas,
    target: 120_000,
    note: "custody checked and batch locked in the ledger; 39-char location",
  });
  const partBatch = await deposit("GR-2025-0920-B", 5_000n);
  rows.push({
    operation: "receipt issue (part of a batch)",
    gas: (await issue(partBatch, holder.address, 2_000n)).gas,
    note: "the ledger splits a child batch off (3 new slots)",
  });
  rows.push({
    operation: "receipt issue (first-time holder)",
    gas: (await issue(await deposit("GR-2025-0920-C", 800n), newcomer.address, 800n)).gas,
    note: "holder's balance 0 -> 1",
  });
  rows.push({
    operation: "receipt transfer",
    gas: await gasOf(receipts.connect(holder).transferFrom(holder.address, trader.address, whole.receiptId)),
    target: 60_000,
    note: "both parties hold receipts; membership of both checked",
  });
  rows.push({
    operation: "receipt split into two",
    gas: await gasOf(receipts.connect(trader).split(whole.receiptId, [2_000n])),
    note: "a new child batch (ledger) and a new receipt",
  });

  // ---- pledge: offer, accept, manage, release ------------------------------------------------
  const termsOf = async (receiptId: bigint, salt: string, maturityDays: number): Promise<ILienRegistry.LoanTermsStruct> => ({
    collateral: await receipts.getAddress(),
    collateralId: receiptId,
    borrower: holder.address,
    financier: bank.address,
    principal: 60_000_000n,
    currency: CNY,
    maturity: (await now()) + maturityDays * DAY,
    rateBps: 450,
    marginCallLtvBps: 8_000,
    offerExpiresAt: (await now()) + 7 * DAY,
    salt: doc(salt),
  });
  const terms = await termsOf(pledged.receiptId, "loan 1", 180);
  const offerGas = await gasOf(liens.connect(holder).offer(terms));
  const acceptGas = await gasOf(liens.connect(bank).accept(terms, 100_000_000n));
  rows.push({ operation: "pledge offer", gas: offerGas, note: "all terms in PledgeOffered; one new slot" });
  rows.push({ operation: "pledge accept", gas: acceptGas, note: "lien on the goods (new slot), receipt locked" });
  rows.push({
    operation: "pledge offer + accept",
    gas: offerGas + acceptGas,
    target: 150_000,
    note: `${fmt(offerGas)} + ${fmt(acceptGas)}`,
  });
  // One transaction: the borrower signs the terms (EIP-712), the financier submits them.
  const signedTerms = await termsOf(signable.receiptId, "loan signed", 180);
  const { chainId } = await ethers.provider.getNetwork();
  const signature = await holder.signTypedData(loanTermsDomain(chainId, await liens.getAddress()), LOAN_TERMS_TYPES, signedTerms);
  rows.push({
    operation: "pledge in one tx (acceptSigned)",
    gas: await gasOf(liens.connect(bank).acceptSigned(signedTerms, 100_000_000n, signature)),
    target: 150_000,
    note: "borrower's EIP-712 signature instead of its offer transaction",
  });
  rows.push({
    operation: "recordRepayment",
    gas: await gasOf(liens.connect(bank).recordRepayment(terms, 20_000_000n, doc("payment 1"))),
    note: "outstanding in the loan's one slot",
  });
  rows.push({
    operation: "releasePart",
    gas: await gasOf(liens.connect(bank).releasePart(terms, 3_000n)),
    note: "the receipt is split; the part released is free",
  });
  rows.push({
    operation: "revalue (with margin call)",
    gas: await gasOf(liens.connect(bank).revalue(terms, 45_000_000n)),
    note: "CollateralValued and MarginCall",
  });
  rows.push({
    operation: "release",
    gas: await gasOf(liens.connect(bank).release(terms)),
    target: 50_000,
    note: "lien slot cleared (refund), receipt unlocked",
  });

  // ---- default: enforcement to a buyer that already holds receipts ----------------------------
  const defaulted = await termsOf(pledged.receiptId, "loan 2", 30);
  await (await liens.connect(holder).offer(defaulted)).wait();
  await (await liens.connect(bank).accept(defaulted, 100_000_000n)).wait();
  await network.provider.send("evm_increaseTime", [31 * DAY]);
  rows.push({
    operation: "enforce",
    gas: await gasOf(liens.connect(bank).enforce(defaulted, trader.address)),
    note: "lien cleared, title to a buyer holding receipts",
  });

  // ---- redemption: the goods leave the warehouse ----------------------------------------------
  const requestGas = await gasOf(receipts.connect(trader).requestRedemption(traded.receiptId));
  const confirmGas = await gasOf(receipts.connect(warehouse).confirmRedemption(traded.receiptId, doc("release note")));
  rows.push({
    operation: "redeem (request + confirm)",
    gas: requestGas + confirmGas,
    note: `${fmt(requestGas)} + ${fmt(confirmGas)}; receipt burned, custody to the holder`,
  });
  return rows;
}
