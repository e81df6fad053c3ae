/// <reference types="mocha" />
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ethers } from "hardhat";
import type { ProvenanceLedger } from "../../typechain-types";
import { deployContracts } from "../../shared/chain/deploy";
import { connectContracts } from "../../shared/chain/contracts";
import type { IProvenanceLedger } from "../../typechain-types/contracts/provenance/ProvenanceLedger";

export { loadFixture, time };

/** Role bit flags, as in contracts/members/Roles.sol. */
export const Role = {
  ANY_MEMBER: 0,
  ENTERPRISE: 1,
  WAREHOUSE: 2,
  LOGISTICS: 4,
  FINANCIER: 8,
  INSURER: 16,
  INSPECTOR: 32,
  REGULATOR: 64,
  AUDITOR: 128,
  ALL: 255,
} as const;

/** IMemberRegistry.MemberStatus */
export const MemberStatus = { None: 0n, Active: 1n, Suspended: 2n, Revoked: 3n } as const;

/** IProvenanceLedger.BatchStatus */
export const BatchStatus = { None: 0n, Active: 1n, InTransit: 2n, OnHold: 3n, Recalled: 4n, Consumed: 5n, Retired: 6n } as const;

/** GS1 check digit of a GTIN body (all digits but the last): weights 3,1,3,... from the right. */
export function gtinCheckDigit(body: string): number {
  if (!/^\d+$/.test(body)) throw new Error(`not a digit string: ${body}`);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** The GTIN (as the uint64 the ledger takes) made of `body` followed by its correct check digit. */
export function gtin(body: string): bigint {
  return BigInt(body + gtinCheckDigit(body));
}

/** The same GTIN with a wrong check digit. */
export function withWrongCheckDigit(valid: bigint): bigint {
  const last = valid % 10n;
  return valid - last + ((last + 1n) % 10n);
}

/** Products used throughout the suite (all valid GTIN-13s). */
export const GTIN = {
  APPLES: gtin("690123456789"), // 6901234567892
  JUICE: gtin("690123456790"),
  POMACE: gtin("690123456791"),
} as const;

/** HS codes of those products. */
export const HS = { APPLES: "080810", JUICE: "200971", POMACE: "23080000" } as const;

/** A left-aligned bytes3 UN/CEFACT Rec. 20 unit code, zero-padded ("KG" -> 0x4b4700). */
export function unit(code: string): string {
  const bytes = ethers.toUtf8Bytes(code);
  if (bytes.length > 3) throw new Error(`unit too long: ${code}`);
  return ethers.zeroPadBytes(bytes, 3);
}

export const KGM = unit("KGM");
export const LTR = unit("LTR");
export const H87 = unit("H87");

/** GB/T 2260 administrative division codes. */
export const REGION = { YANTAI: 370600, QINGDAO: 370200, SHANGHAI: 310000 } as const;

/** A bytes32 hash standing for an off-chain document or reason. */
export const hashOf = (text: string): string => ethers.id(text);

export const ZERO_HASH = ethers.ZeroHash;
export const ZERO_ADDRESS = ethers.ZeroAddress;

export type Actors = {
  admin: HardhatEthersSigner;
  orchard: HardhatEthersSigner;
  juicePlant: HardhatEthersSigner;
  warehouse: HardhatEthersSigner;
  carrier: HardhatEthersSigner;
  inspector: HardhatEthersSigner;
  regulator: HardhatEthersSigner;
  bank: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
};

/** Name, roles and unified social credit code of every admitted member. */
export const MEMBERS = {
  orchard: { name: "Yantai Red Fuji Orchard Co-op", roles: Role.ENTERPRISE, creditCode: "91370600MA3C0RCH01" },
  juicePlant: { name: "Qingdao Juice Plant Ltd.", roles: Role.ENTERPRISE, creditCode: "91370200MA3JU1CE02" },
  warehouse: { name: "Qingdao Port Cold Store", roles: Role.WAREHOUSE, creditCode: "91370200MA3WHSE003" },
  carrier: { name: "Shandong Reefer Logistics", roles: Role.LOGISTICS, creditCode: "91370000MA3CARR004" },
  inspector: { name: "Shandong Inspection Centre", roles: Role.INSPECTOR, creditCode: "12370000MB0INSP005" },
  regulator: { name: "Provincial Market Regulator", roles: Role.REGULATOR, creditCode: "11370000MB0REGU006" },
  bank: { name: "Bank of Qingdao Trade Finance", roles: Role.FINANCIER, creditCode: "91370200MA3BANK007" },
} as const;

export const creditCodeHash = (code: string): string => ethers.id(code);
export const metadataURI = (who: string): string => `ipfs://members/${who}.json`;
export const metadataHash = (who: string): string => ethers.id(`metadata of ${who}`);

/**
 * The four contracts (registry, ledger, warehouse receipts, lien registry); every actor but
 * `outsider` admitted with its role.
 */
export async function consortiumFixture() {
  const [admin, orchard, juicePlant, warehouse, carrier, inspector, regulator, bank, outsider] =
    await ethers.getSigners();
  const actors: Actors = { admin, orchard, juicePlant, warehouse, carrier, inspector, regulator, bank, outsider };

  // The same deploy routine as production and the demo.
  const { registry, ledger, receipts, liens, receivables } = connectContracts(await deployContracts(admin), admin);

  for (const [who, member] of Object.entries(MEMBERS)) {
    const account = actors[who as keyof typeof MEMBERS];
    await registry
      .connect(admin)
      .admit(
        account.address,
        member.roles,
        creditCodeHash(member.creditCode),
        member.name,
        metadataURI(who),
        metadataHash(who),
      );
  }
  return { registry, ledger, receipts, liens, receivables, ...actors };
}

/** The consortium with apples (orchard), juice and pomace (juice plant) registered. */
export async function productsFixture() {
  const f = await loadFixture(consortiumFixture);
  await f.ledger.connect(f.orchard).registerProduct(GTIN.APPLES, HS.APPLES, "Red Fuji apples", "ipfs://p/apples");
  await f.ledger.connect(f.juicePlant).registerProduct(GTIN.JUICE, HS.JUICE, "NFC apple juice", "ipfs://p/juice");
  await f.ledger.connect(f.juicePlant).registerProduct(GTIN.POMACE, HS.POMACE, "Apple pomace", "ipfs://p/pomace");
  return f;
}

export const APPLE_LOT = "YT-2024-10-A";
export const APPLE_QUANTITY = 1000n;

/** Products registered and one batch (id 1) of 1000 KGM of apples commissioned by the orchard. */
export async function appleBatchFixture() {
  const f = await loadFixture(productsFixture);
  const appleBatch = await commissionBatch(f.ledger, f.orchard, { quantity: APPLE_QUANTITY, lot: APPLE_LOT });
  return { ...f, appleBatch };
}

/** Apple batch 1 shipped whole by the orchard to the juice plant and received there. */
export async function applesAtJuicePlantFixture() {
  const f = await loadFixture(appleBatchFixture);
  await f.ledger.connect(f.orchard).ship(f.appleBatch, f.juicePlant.address, APPLE_QUANTITY, f.carrier.address, hashOf("waybill"));
  await f.ledger.connect(f.juicePlant).receiveShipment(f.appleBatch);
  return f;
}

export type CommissionOptions = {
  gtin?: bigint;
  lot?: string;
  quantity?: bigint;
  unit?: string;
  originRegion?: number;
  producedAt?: bigint;
  documentHash?: string;
};

/** Commissions a batch and returns its id. */
export async function commissionBatch(
  ledger: ProvenanceLedger,
  producer: HardhatEthersSigner,
  options: CommissionOptions = {},
): Promise<bigint> {
  const producedAt = options.producedAt ?? BigInt(await time.latest()) - 3600n;
  await ledger
    .connect(producer)
    .commission(
      options.gtin ?? GTIN.APPLES,
      options.lot ?? "LOT-1",
      options.quantity ?? 100n,
      options.unit ?? KGM,
      options.originRegion ?? REGION.YANTAI,
      producedAt,
      options.documentHash ?? hashOf("harvest record"),
    );
  return ledger.batchCount();
}

/** Ships (part of) a batch and has the recipient receive it; returns the id that travelled. */
export async function shipAndReceive(
  ledger: ProvenanceLedger,
  batchId: bigint,
  from: HardhatEthersSigner,
  to: HardhatEthersSigner,
  quantity: bigint,
): Promise<bigint> {
  const shippedId = await ledger.connect(from).ship.staticCall(batchId, to.address, quantity, ZERO_ADDRESS, ZERO_HASH);
  await ledger.connect(from).ship(batchId, to.address, quantity, ZERO_ADDRESS, ZERO_HASH);
  await ledger.connect(to).receiveShipment(shippedId);
  return shippedId;
}

export type Input = IProvenanceLedger.TransformationInputStruct;
export type Output = IProvenanceLedger.TransformationOutputStruct;

export const input = (batchId: bigint, quantity: bigint): Input => ({ batchId, quantity });

export function output(gtinValue: bigint, quantity: bigint, unitCode = KGM, lot = "OUT-1"): Output {
  return { gtin: gtinValue, quantity, unit: unitCode, originRegion: REGION.QINGDAO, lot };
}
