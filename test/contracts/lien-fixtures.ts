/// <reference types="mocha" />
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { LienRegistry } from "../../typechain-types";
import type { ILienRegistry } from "../../typechain-types/contracts/finance/LienRegistry";
import { LOAN_TERMS_TYPES, loanTermsDomain } from "../../shared/chain/loan-terms";
import { creditCodeHash, hashOf, loadFixture, metadataHash, metadataURI, Role, time } from "./fixtures";
import { appleReceiptFixture, CNY, DAY } from "./receipt-fixtures";

export type LoanTerms = ILienRegistry.LoanTermsStruct;

/** ILienRegistry.LoanStatus */
export const LoanStatus = { None: 0n, Offered: 1n, Withdrawn: 2n, Active: 3n, Released: 4n, Enforced: 5n } as const;

/** 600,000.00 CNY against goods valued at 1,000,000.00 CNY: a loan-to-value ratio of 60 %. */
export const PRINCIPAL = 60_000_000n;
export const VALUATION = 100_000_000n;
export const LTV_BPS = 6_000n;
export const MARGIN_CALL_BPS = 8_000n;
export const RATE_BPS = 450n;
/** Within the receipt's 90-day storage term: an expired receipt cannot be seized. */
export const LOAN_TERM = 60n * DAY;
export const OFFER_WINDOW = 7n * DAY;

export const REPAYMENT_REF = hashOf("SWIFT MT103 ref BQD-2025-0001");
export const REGISTRATION_NUMBER = "06843197000582263381";

/** The EIP-712 domain and type of loan terms, as a bank's back office or a wallet sees them. */
export async function loanTypedData(liens: LienRegistry) {
  const domain = loanTermsDomain((await ethers.provider.getNetwork()).chainId, await liens.getAddress());
  return { domain, types: LOAN_TERMS_TYPES };
}

/** The loan id of `terms` computed off-chain: their EIP-712 typed-data hash. */
export async function loanIdOffChain(liens: LienRegistry, terms: LoanTerms): Promise<string> {
  const { domain, types } = await loanTypedData(liens);
  return ethers.TypedDataEncoder.hash(domain, types, terms);
}

/** `signer`'s EIP-712 signature of `terms`, as a borrower's wallet makes it for {acceptSigned}. */
export async function signTerms(signer: HardhatEthersSigner, liens: LienRegistry, terms: LoanTerms): Promise<string> {
  const { domain, types } = await loanTypedData(liens);
  return signer.signTypedData(domain, types, terms);
}

/**
 * Receipt 1 (1000 KGM of apples, held by the orchard) and two more members: a second bank and a
 * buyer of enforced collateral. `termsFor` states the orchard's standard offer to `bank`.
 */
export async function pledgeFixture() {
  const f = await loadFixture(appleReceiptFixture);
  const [, , , , , , , , , secondBank, buyer] = await ethers.getSigners();
  const admit = (account: string, roles: number, code: string, name: string) =>
    f.registry.connect(f.admin).admit(account, roles, creditCodeHash(code), name, metadataURI(name), metadataHash(name));
  await admit(secondBank.address, Role.FINANCIER, "91310000MA1SECBNK8", "secondBank");
  await admit(buyer.address, Role.ENTERPRISE, "91370600MA3BUYER09", "buyer");

  const now = BigInt(await time.latest());
  const receiptsAddress = await f.receipts.getAddress();
  const key = await f.receipts.collateralKey(f.receiptId);

  /** The orchard's offer of a receipt (default: receipt 1) to the bank; any field can be overridden. */
  const termsFor = (overrides: Partial<LoanTerms> = {}): LoanTerms => ({
    collateral: receiptsAddress,
    collateralId: f.receiptId,
    borrower: f.orchard.address,
    financier: f.bank.address,
    principal: PRINCIPAL,
    currency: CNY,
    maturity: now + LOAN_TERM,
    rateBps: RATE_BPS,
    marginCallLtvBps: MARGIN_CALL_BPS,
    offerExpiresAt: now + OFFER_WINDOW,
    salt: hashOf("BQD loan 2025-0001"),
    ...overrides,
  });
  return { ...f, secondBank, buyer, key, termsFor, terms: termsFor() };
}

/** The standard offer made by the orchard, not yet accepted. */
export async function offeredFixture() {
  const f = await loadFixture(pledgeFixture);
  await f.liens.connect(f.orchard).offer(f.terms);
  return { ...f, loanId: await f.liens.loanIdOf(f.terms) };
}

/** The standard offer accepted by the bank at a valuation of 1,000,000.00 CNY: receipt 1 is pledged. */
export async function activeLoanFixture() {
  const f = await loadFixture(offeredFixture);
  await f.liens.connect(f.bank).accept(f.terms, VALUATION);
  return f;
}

/** The active loan past its maturity with the whole principal outstanding. */
export async function defaultedLoanFixture() {
  const f = await loadFixture(activeLoanFixture);
  await time.increaseTo(BigInt(f.terms.maturity) + 1n);
  return f;
}

/** Offers and accepts `terms` (as their borrower and financier); returns the loan id. */
export async function pledge(
  liens: LienRegistry,
  terms: LoanTerms,
  valuation: bigint = VALUATION,
): Promise<string> {
  const borrower = await ethers.getSigner(terms.borrower as string);
  const financier = await ethers.getSigner(terms.financier as string);
  await liens.connect(borrower).offer(terms);
  await liens.connect(financier).accept(terms, valuation);
  return liens.loanIdOf(terms);
}
