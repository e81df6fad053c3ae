import fs from "node:fs";
import { InvalidArgumentError } from "commander";
import { getAddress, isAddress } from "ethers";
import { sha256Hex, ZERO_HASH } from "../shared/hashing";
import { parseRoleNames, roleBits, type RoleName } from "../shared/roles";
import { encodeCurrency, encodeUnit, gtinCheckDigit, isValidGtin } from "../shared/trade-codes";
import { UsageError } from "./errors";

/**
 * Parsers for commander's `argParser`: they throw InvalidArgumentError, which commander reports
 * naming the option or argument (e.g. "option '--quantity <n>' argument '1.5' is invalid. ...").
 */
const UINT96_MAX = (1n << 96n) - 1n;
const UINT32_MAX = (1n << 32n) - 1n;

export function parseAddress(value: string): string {
  if (!isAddress(value)) {
    throw new InvalidArgumentError("not an address: 0x and 40 hex digits (with a valid checksum when mixed-case).");
  }
  return getAddress(value);
}

function positiveInteger(value: string, what: string, max: bigint): bigint {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`${what} must be a positive integer.`);
  const parsed = BigInt(value.trim());
  if (parsed === 0n) throw new InvalidArgumentError(`${what} must be greater than zero.`);
  if (parsed > max) throw new InvalidArgumentError(`${what} must be at most ${max}.`);
  return parsed;
}

export const parseQuantity = (value: string): bigint => positiveInteger(value, "the quantity", UINT96_MAX);
export const parseBatchId = (value: string): bigint => positiveInteger(value, "a batch id", (1n << 64n) - 1n);
export const parseReceiptId = (value: string): bigint => positiveInteger(value, "a receipt id", (1n << 256n) - 1n);
/** Money: a positive integer of minor units (fen, cents...) of the currency given with it. */
export const parseAmount = (value: string): bigint => positiveInteger(value, "an amount in minor units (e.g. 6000000 for CNY 60,000.00)", UINT96_MAX);

/** Basis points (10000 = 100 %); zero is allowed (e.g. an interest-free loan). */
export function parseBps(value: string): bigint {
  if (/^0+$/.test(value.trim())) return 0n;
  return positiveInteger(value, "basis points (450 = 4.50 %)", UINT32_MAX);
}

/** Basis points that must be above zero, such as a margin-call level. */
export const parsePositiveBps = (value: string): bigint => positiveInteger(value, "basis points (8000 = 80.00 %)", UINT32_MAX);

/** An ISO 4217 alphabetic code such as CNY or USD, as the bytes3 the contracts store. */
export function parseCurrency(value: string): string {
  try {
    return encodeCurrency(value.trim().toUpperCase());
  } catch {
    throw new InvalidArgumentError("a currency is an ISO 4217 code of three letters, e.g. CNY, USD, EUR.");
  }
}

/** A loan id: the 32-byte hash `loan offer` printed. */
export function parseLoanId(value: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value.trim())) throw new InvalidArgumentError("a loan id is 0x and 64 hex digits, as `loan offer` printed it.");
  return value.trim().toLowerCase();
}

export function parseIndex(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("the index must be a non-negative integer.");
  return Number(value);
}

/** GTIN-8/12/13/14 digits with a correct GS1 check digit; returned as the uint64 the ledger takes. */
export function parseGtin(value: string): bigint {
  const digits = value.trim();
  if (!/^\d{8}$|^\d{12,14}$/.test(digits)) {
    throw new InvalidArgumentError("a GTIN has 8, 12, 13 or 14 digits.");
  }
  if (!isValidGtin(digits)) {
    throw new InvalidArgumentError(
      `${digits} is not a valid GTIN: its check digit should be ${gtinCheckDigit(digits.slice(0, -1))}.`,
    );
  }
  return BigInt(digits);
}

export function parseHsCode(value: string): string {
  if (!/^(\d{6}|\d{8}|\d{10})$/.test(value)) throw new InvalidArgumentError("an HS code has 6, 8 or 10 digits.");
  return value;
}

/** A UN/CEFACT Recommendation 20 code such as KGM, LTR or H87, as bytes3. */
export function parseUnit(value: string): string {
  try {
    return encodeUnit(value.trim().toUpperCase());
  } catch {
    throw new InvalidArgumentError("a unit is a UN/CEFACT code of 2 or 3 letters or digits, e.g. KGM, LTR, H87.");
  }
}

/** A GB/T 2260 administrative division code, e.g. 370686. */
export function parseOrigin(value: string): number {
  if (!/^[1-9]\d{5}$/.test(value.trim())) {
    throw new InvalidArgumentError("an origin is a 6-digit GB/T 2260 administrative division code, e.g. 370686.");
  }
  return Number(value.trim());
}

export function parseRoles(value: string): { names: RoleName[]; bits: number } {
  try {
    const names = parseRoleNames(value);
    return { names, bits: roleBits(names) };
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message + ".");
  }
}

/** Unix seconds, or an ISO 8601 date/time (e.g. 2026-09-14 or 2026-09-14T08:00:00+08:00). */
export function parseTime(value: string): bigint {
  if (/^\d+$/.test(value)) return BigInt(value);
  const millis = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(millis)) {
    throw new InvalidArgumentError("give unix seconds or an ISO 8601 date, e.g. 2026-09-14T08:00:00Z.");
  }
  return BigInt(Math.floor(millis / 1000));
}

/** A point in time: absolute (unix seconds), or a duration counted from the chain's latest block. */
export type Moment = { at: bigint } | { after: bigint };

const DURATION_UNITS: Record<string, bigint> = { s: 1n, h: 3_600n, d: 86_400n, w: 604_800n };

/** An ISO 8601 date/time, unix seconds, or a duration from now such as 180d, 12h or 30s. */
export function parseMoment(value: string): Moment {
  const duration = /^(\d+)([shdw])$/.exec(value.trim());
  if (duration) return { after: BigInt(duration[1]) * DURATION_UNITS[duration[2]] };
  try {
    return { at: parseTime(value.trim()) };
  } catch {
    throw new InvalidArgumentError(
      "give an ISO 8601 date (2027-03-31 or 2027-03-31T08:00:00+08:00), unix seconds, or a duration from now: 180d, 2w, 12h or 30s.",
    );
  }
}

/** Unix seconds of a moment, durations counted from `now` (the chain's time, not the local clock). */
export function resolveMoment(moment: Moment, now: bigint): bigint {
  return "at" in moment ? moment.at : now + moment.after;
}

export interface TransformInput {
  batchId: bigint;
  quantity: bigint;
}

/** `<batchId>:<quantity>` */
export function parseTransformInput(value: string): TransformInput {
  const parts = value.split(":");
  if (parts.length !== 2) throw new InvalidArgumentError("an input is <batchId>:<quantity>, e.g. 12:3000.");
  return { batchId: parseBatchId(parts[0]), quantity: parseQuantity(parts[1]) };
}

export interface TransformOutput {
  gtin: bigint;
  quantity: bigint;
  unit: string;
  originRegion: number;
  lot: string;
}

/** `<gtin>:<quantity>:<unit>:<origin>:<lot>`; the lot is everything after the fourth colon. */
export function parseTransformOutput(value: string): TransformOutput {
  const parts = value.split(":");
  if (parts.length < 5 || parts.slice(4).join(":") === "") {
    throw new InvalidArgumentError("an output is <gtin>:<quantity>:<unit>:<origin>:<lot>, e.g. 6901234567892:1200:LTR:370602:J-01.");
  }
  return {
    gtin: parseGtin(parts[0]),
    quantity: parseQuantity(parts[1]),
    unit: parseUnit(parts[2]),
    originRegion: parseOrigin(parts[3]),
    lot: parts.slice(4).join(":"),
  };
}

/** For repeatable options: each occurrence is parsed and appended. */
export function repeatable<T>(parse: (value: string) => T) {
  return (value: string, previous: T[] | undefined): T[] => [...(previous ?? []), parse(value)];
}

/** The SHA-256 of a file named by an option, or the zero hash when the option was not given. */
export function hashFileOption(file: string | undefined, option: string): string {
  if (file === undefined) return ZERO_HASH;
  return sha256Hex(readFileOption(file, option));
}

export function readFileOption(file: string, option: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new UsageError(`${option}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** The SHA-256 of a file when `value` names one, else of the text itself (e.g. a bank slip number). */
export function hashFileOrText(value: string): string {
  return fs.existsSync(value) && fs.statSync(value).isFile() ? sha256Hex(fs.readFileSync(value)) : sha256Hex(value);
}

/** The SHA-256 of a free-text reason, or the zero hash when none was given. */
export function hashReason(reason: string | undefined): string {
  return reason === undefined || reason === "" ? ZERO_HASH : sha256Hex(reason);
}
