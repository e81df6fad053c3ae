import fs from "node:fs";
import path from "node:path";
import { getAddress, isAddress } from "ethers";
import { encodeCurrency } from "../shared/trade-codes";
import { UsageError } from "./errors";
import { toJson } from "./output";
import { readFileOption } from "./parse";

/**
 * The files `loan sign` and `receivable sign` write: a party signs EIP-712 data off-chain and another
 * submits it. Both share the envelope (format, chain, contract, signature, the signed object) and the
 * way a file is checked: every problem is a usage error (exit code 2) naming the field.
 */
export interface SignedFileKind {
  /** e.g. "tracefin-signed-loan-terms/1". */
  format: string;
  /** What the file holds, as the messages say it: "signed loan terms", "a signed registration". */
  what: string;
  /** The command that writes it, e.g. "loan sign". */
  writer: string;
  /** The envelope field naming the verifying contract, its address in this deployment and its name. */
  contract: { field: string; address: string; name: string };
  /** The envelope field holding the signed object, e.g. "terms". */
  payload: string;
}

/** Reads the signed object's fields, checking each type; errors name `<payload>.<field>`. */
export interface FieldReader {
  address(name: string): string;
  uint(name: string, bits: number): bigint;
  bytes32(name: string): string;
  /** An ISO 4217 code, returned as the contracts' bytes3. */
  currency(name: string): string;
}

export interface SignedFile {
  /** The whole envelope, for fields of one kind (e.g. a loan file's `loanId`). */
  envelope: Record<string, unknown>;
  signature: string;
  fields: FieldReader;
  bad(field: string, problem: string): UsageError;
  shown(value: unknown): string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Reads and checks the envelope of a signed file for `chainId`'s deployment. */
export function readSignedFile(file: string, kind: SignedFileKind, chainId: number): SignedFile {
  const text = readFileOption(file, "<file>").toString("utf8");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`<file>: ${file} is not valid JSON (expected ${kind.what}, ${kind.format}, as \`${kind.writer}\` writes it)`);
  }
  if (!isRecord(data)) throw new UsageError(`<file>: ${file} is not ${kind.what} (${kind.format})`);
  const bad = (field: string, problem: string) => new UsageError(`${file}: ${field} ${problem}`);
  const shown = (value: unknown) => (value === undefined ? "missing" : `is ${JSON.stringify(value)}`);

  if (data.format !== kind.format) {
    throw bad("format", `${shown(data.format)}, not "${kind.format}": not a file \`${kind.writer}\` wrote`);
  }
  if (!((typeof data.chainId === "number" || typeof data.chainId === "string") && String(data.chainId) === String(chainId))) {
    throw bad("chainId", `${shown(data.chainId)}: it was signed for another chain than this deployment's (chain ${chainId})`);
  }
  const contract = data[kind.contract.field];
  if (typeof contract !== "string" || contract.toLowerCase() !== kind.contract.address.toLowerCase()) {
    throw bad(
      kind.contract.field,
      `${shown(contract)}: it was signed for another ${kind.contract.name} than this deployment's (${kind.contract.address})`,
    );
  }
  if (typeof data.signature !== "string" || !/^0x([0-9a-fA-F]{2})+$/.test(data.signature)) {
    throw bad("signature", `${shown(data.signature)}, not a signature (0x and hex digits)`);
  }
  const payload = data[kind.payload];
  if (!isRecord(payload)) throw bad(kind.payload, `${shown(payload)}, not an object`);

  const field = (name: string) => `${kind.payload}.${name}`;
  const fields: FieldReader = {
    address(name) {
      const value = payload[name];
      if (typeof value !== "string" || !isAddress(value)) throw bad(field(name), `${shown(value)}, not an address`);
      return getAddress(value);
    },
    uint(name, bits) {
      const value = payload[name];
      const digits = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
      if (typeof digits !== "string" || !/^\d+$/.test(digits) || BigInt(digits) >= 1n << BigInt(bits)) {
        throw bad(field(name), `${shown(value)}, not a whole number of at most ${bits} bits (a decimal string)`);
      }
      return BigInt(digits);
    },
    bytes32(name) {
      const value = payload[name];
      if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value)) throw bad(field(name), `${shown(value)}, not 0x and 64 hex digits`);
      return value.toLowerCase();
    },
    currency(name) {
      const value = payload[name];
      if (typeof value !== "string" || !/^[A-Z]{3}$/.test(value)) throw bad(field(name), `${shown(value)}, not an ISO 4217 code such as CNY`);
      return encodeCurrency(value);
    },
  };
  return { envelope: data, signature: data.signature, fields, bad, shown };
}

/** Writes a signed file, never over an existing one; a problem is a usage error naming --out. */
export function writeSignedFile(file: string, content: unknown): void {
  try {
    fs.writeFileSync(file, toJson(content, 2) + "\n", { flag: "wx" });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`--out: cannot write ${file} (${code === "EEXIST" ? "it already exists; refusing to overwrite it" : (code ?? (error as Error).message)})`);
  }
}

/** `--out`, or `<prefix>-<0x and the digest's first 10 hex digits>.signed.json` (in `--out` when it is a directory). */
export function signedFilePath(prefix: string, out: string | undefined, digest: string): string {
  const name = `${prefix}-${digest.slice(0, 12)}.signed.json`;
  if (out === undefined) return name;
  return fs.existsSync(out) && fs.statSync(out).isDirectory() ? path.join(out, name) : out;
}
