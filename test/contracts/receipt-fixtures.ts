/// <reference types="mocha" />
import { setBalance } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ethers } from "hardhat";
import type { WarehouseReceipt } from "../../typechain-types";
import type { ILienRegistry } from "../../typechain-types/contracts/finance/LienRegistry";
import type { IWarehouseReceipt } from "../../typechain-types/contracts/warehouse/WarehouseReceipt";
import { APPLE_QUANTITY, appleBatchFixture, hashOf, loadFixture, shipAndReceive, time } from "./fixtures";

export type Issuance = IWarehouseReceipt.IssuanceStruct;

/** An ISO 4217 currency as the bytes3 the contracts take ("CNY" -> 0x434e59). */
export const currency = (code: string): string => ethers.hexlify(ethers.toUtf8Bytes(code));
export const CNY = currency("CNY");

export const DAY = 24n * 3600n;
export const STORAGE_TERM = 90n * DAY;
export const LOCATION = "Qingdao Port Cold Store, hall 3, bay 12";
export const INSURED_VALUE = 800_000n; // CNY minor units
export const POLICY = hashOf("PICC cargo policy 2024-QD-0042");
export const DEPOSIT_NOTE = hashOf("deposit note QD-WH-0001");

/** What a warehouse states when it issues a receipt; defaults describe the whole apple batch, insured, 90 days. */
export async function issuance(batchId: bigint, holder: HardhatEthersSigner, options: Partial<Issuance> = {}): Promise<Issuance> {
  return {
    batchId,
    quantity: APPLE_QUANTITY,
    holder: holder.address,
    expiresAt: BigInt(await time.latest()) + STORAGE_TERM,
    insuredValue: INSURED_VALUE,
    insuranceCurrency: CNY,
    policyHash: POLICY,
    documentHash: DEPOSIT_NOTE,
    location: LOCATION,
    ...options,
  };
}

/** Issues a receipt and returns its id and the batch it covers. */
export async function issueReceipt(
  receipts: WarehouseReceipt,
  warehouse: HardhatEthersSigner,
  details: Issuance,
): Promise<{ receiptId: bigint; batchId: bigint }> {
  const [receiptId, batchId] = await receipts.connect(warehouse).issue.staticCall(details);
  await receipts.connect(warehouse).issue(details);
  return { receiptId, batchId };
}

/** Apple batch 1 (1000 KGM) deposited: shipped whole by the orchard to the warehouse and received there. */
export async function applesInWarehouseFixture() {
  const f = await loadFixture(appleBatchFixture);
  await shipAndReceive(f.ledger, f.appleBatch, f.orchard, f.warehouse, APPLE_QUANTITY);
  return f;
}

/** Receipt 1 over the whole of apple batch 1, held by the orchard (the depositor), for 90 days. */
export async function appleReceiptFixture() {
  const f = await loadFixture(applesInWarehouseFixture);
  const details = await issuance(f.appleBatch, f.orchard);
  const { receiptId } = await issueReceipt(f.receipts, f.warehouse, details);
  return { ...f, receiptId, expiresAt: BigInt(details.expiresAt) };
}

export type LoanTerms = ILienRegistry.LoanTermsStruct;

type Consortium = Awaited<ReturnType<typeof applesInWarehouseFixture>>;

/** Loan terms for pledging `receiptId` of `borrower` to the bank: 500,000 CNY for 60 days, offer open 7 days. */
export async function loanTerms(
  f: Consortium,
  receiptId: bigint,
  borrower: HardhatEthersSigner,
  overrides: Partial<LoanTerms> = {},
): Promise<LoanTerms> {
  const now = BigInt(await time.latest());
  return {
    collateral: await f.receipts.getAddress(),
    collateralId: receiptId,
    borrower: borrower.address,
    financier: f.bank.address,
    principal: 500_000n,
    currency: CNY,
    maturity: now + 60n * DAY,
    rateBps: 450,
    marginCallLtvBps: 8000,
    offerExpiresAt: now + 7n * DAY,
    salt: hashOf(`loan over receipt ${receiptId}`),
    ...overrides,
  };
}

/** The borrower offers the receipt to the bank, which accepts at the insured value: the receipt is pledged. */
export async function pledge(f: Consortium, receiptId: bigint, borrower: HardhatEthersSigner): Promise<LoanTerms> {
  const terms = await loanTerms(f, receiptId, borrower);
  await f.liens.connect(borrower).offer(terms);
  await f.liens.connect(f.bank).accept(terms, INSURED_VALUE);
  return terms;
}

/** Receipt 1 pledged by the orchard to the bank through the real lien registry. */
export async function pledgedReceiptFixture() {
  const f = await loadFixture(appleReceiptFixture);
  const terms = await pledge(f, f.receiptId, f.orchard);
  return { ...f, terms };
}

/**
 * A signer sending from the lien registry's address, to call the receipts' ICollateral functions in
 * states the real registry never produces. Call it inside a test: impersonation is node state.
 */
export async function impersonateLienRegistry(f: Consortium): Promise<HardhatEthersSigner> {
  const address = await f.liens.getAddress();
  await setBalance(address, ethers.parseEther("1"));
  return ethers.getImpersonatedSigner(address);
}

/** A signer sending from the warehouse-receipt contract's address, to call the ledger's receipt locks directly. */
export async function impersonateReceipts(f: Consortium): Promise<HardhatEthersSigner> {
  const address = await f.receipts.getAddress();
  await setBalance(address, ethers.parseEther("1"));
  return ethers.getImpersonatedSigner(address);
}

/** The collateral key of goods batch `batchId`, as the receipts and the lien registry compute it. */
export async function goodsKey(f: Consortium, batchId: bigint): Promise<string> {
  return ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(["string", "address", "uint256"], ["tracefin.goods", await f.ledger.getAddress(), batchId]),
  );
}
