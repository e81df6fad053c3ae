/// <reference types="mocha" />
import { setBalance } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Signer } from "ethers";
import { ethers } from "hardhat";
import { REGISTRATION_TYPES, registrationDomain } from "../../shared/chain/receivable-registration";
import type { Receivables } from "../../typechain-types";
import type { IReceivables } from "../../typechain-types/contracts/receivables/Receivables";
import { consortiumFixture, creditCodeHash, hashOf, loadFixture, metadataHash, metadataURI, Role, time } from "./fixtures";
import { CNY, DAY } from "./receipt-fixtures";

export type Registration = IReceivables.RegistrationStruct;

/** IReceivables.ReceivableStatus */
export const ReceivableStatus = { None: 0n, Registered: 1n, Confirmed: 2n, Cancelled: 3n, Rejected: 4n, Settled: 5n } as const;

/** 1,000,000.00 CNY in minor units. */
export const FACE_VALUE = 100_000_000n;
export const TERM = 90n * DAY;
export const GRACE = 10n * DAY;
export const INVOICE = hashOf("VAT invoice 3700-2025-00001234");
export const CONTRACT_DOC = hashOf("supply contract YT-AUTO-2025-07");
export const PAYMENT_REF = hashOf("CNAPS payment 2025-10-15 0001");

/** The debtor's EIP-712 signature of `registration` for {registerConfirmed}. */
export async function signRegistration(debtor: Signer, receivables: Receivables, registration: Registration): Promise<string> {
  const { chainId } = await ethers.provider.getNetwork();
  return debtor.signTypedData(registrationDomain(chainId, await receivables.getAddress()), REGISTRATION_TYPES, registration);
}

/**
 * The consortium with the receivables module. Cast: the orchard (creditor, ENTERPRISE) supplies the
 * juice plant (debtor); `tier2` and `tier3` are its own suppliers (ENTERPRISE); `bank` and `secondBank`
 * are financiers.
 */
export async function receivablesFixture() {
  const f = await loadFixture(consortiumFixture);
  const [, , , , , , , , , secondBank, tier2, tier3] = await ethers.getSigners();
  const admit = (account: string, roles: number, name: string) =>
    f.registry.connect(f.admin).admit(account, roles, creditCodeHash(`USCC ${name}`), name, metadataURI(name), metadataHash(name));
  await admit(secondBank.address, Role.FINANCIER, "secondBank");
  await admit(tier2.address, Role.ENTERPRISE, "tier2");
  await admit(tier3.address, Role.ENTERPRISE, "tier3");
  const receivables = f.receivables;
  const now = BigInt(await time.latest());
  const dueDate = now + TERM;
  /** The orchard's registration against the juice plant; any field can be overridden. */
  const registrationFor = (overrides: Partial<Registration> = {}): Registration => ({
    creditor: f.orchard.address,
    debtor: f.juicePlant.address,
    faceValue: FACE_VALUE,
    currency: CNY,
    dueDate,
    graceSeconds: GRACE,
    invoiceHash: INVOICE,
    documentHash: CONTRACT_DOC,
    salt: hashOf("registration 1"),
    ...overrides,
  });
  return { ...f, secondBank, tier2, tier3, receivables, dueDate, registrationFor };
}

/** Registers `registration` (the creditor's transaction) and returns the new id. */
export async function register(receivables: Receivables, creditor: HardhatEthersSigner, reg: Registration): Promise<bigint> {
  const args = [reg.debtor, reg.faceValue, reg.currency, reg.dueDate, reg.graceSeconds, reg.invoiceHash, reg.documentHash] as const;
  const id = await receivables.connect(creditor).register.staticCall(...args);
  await receivables.connect(creditor).register(...args);
  return id;
}

/** Receivable 1 registered by the orchard against the juice plant, not yet confirmed. */
export async function registeredFixture() {
  const f = await loadFixture(receivablesFixture);
  const receivableId = await register(f.receivables, f.orchard, f.registrationFor());
  return { ...f, receivableId };
}

/** Receivable 1 confirmed by the juice plant: the orchard holds 1,000,000.00 CNY of it. */
export async function confirmedFixture() {
  const f = await loadFixture(registeredFixture);
  await f.receivables.connect(f.juicePlant).confirm(f.receivableId);
  return f;
}

/** Receivable 1 split: orchard 600,000.00, tier2 300,000.00, tier3 100,000.00 CNY. */
export async function splitFixture() {
  const f = await loadFixture(confirmedFixture);
  await f.receivables.connect(f.orchard).safeTransferFrom(f.orchard.address, f.tier2.address, f.receivableId, 40_000_000n, "0x");
  await f.receivables.connect(f.tier2).safeTransferFrom(f.tier2.address, f.tier3.address, f.receivableId, 10_000_000n, "0x");
  return f;
}

/** `count` fresh members (random wallets with ETH), admitted as ENTERPRISE. */
export async function admitWallets(
  f: Awaited<ReturnType<typeof consortiumFixture>>,
  count: number,
  label: string,
): Promise<Signer[]> {
  const wallets: Signer[] = [];
  for (let i = 0; i < count; i++) {
    const wallet = ethers.Wallet.createRandom().connect(ethers.provider);
    await setBalance(wallet.address, ethers.parseEther("10"));
    await f.registry
      .connect(f.admin)
      .admit(wallet.address, Role.ENTERPRISE, creditCodeHash(`${label} ${i}`), `${label} ${i}`, "", hashOf(`${label} ${i}`));
    wallets.push(wallet);
  }
  return wallets;
}

/** A signer sending from the lien registry's address, to call ICollateral functions directly. */
export async function impersonateLienRegistry(f: { liens: { getAddress(): Promise<string> } }): Promise<HardhatEthersSigner> {
  const address = await f.liens.getAddress();
  await setBalance(address, ethers.parseEther("1"));
  return ethers.getImpersonatedSigner(address);
}

/** The collateral key of lot `lotId`, as the receivables and the lien registry compute it. */
export async function lotKey(receivables: Receivables, lotId: bigint): Promise<string> {
  return ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(["string", "address", "uint256"], ["tracefin.receivable", await receivables.getAddress(), lotId]),
  );
}
