import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { getAddress, hexlify, isAddress, randomBytes, TypedDataEncoder, verifyTypedData } from "ethers";
import { REGISTRATION_TYPES, registrationDomain } from "../../shared/chain/receivable-registration";
import { encodeCurrency } from "../../shared/trade-codes";
import { openChain, type ChainContext } from "../context";
import { CliError, UsageError } from "../errors";
import { currencyCode, formatMoney } from "../money";
import { formatTime, shortAddress, toJson, txFields, txSuffix } from "../output";
import { parseAddress, readFileOption } from "../parse";
import {
  graceText,
  registrationFields,
  requireReceivableEvent,
  withRegistrationOptions,
  type RegistrationOptions,
} from "./receivable-common";

/** IReceivables.Registration: what the debtor signs for `registerConfirmed`. */
export interface Registration {
  creditor: string;
  debtor: string;
  faceValue: bigint;
  /** bytes3 ISO 4217 code */
  currency: string;
  dueDate: bigint;
  graceSeconds: bigint;
  invoiceHash: string;
  documentHash: string;
  salt: string;
}

/** The file `receivable sign` writes and `receivable register-signed` reads. */
export const SIGNED_REGISTRATION_FORMAT = "tracefin-signed-receivable-registration/1";

export interface SignedRegistrationFile {
  format: typeof SIGNED_REGISTRATION_FORMAT;
  chainId: number;
  receivables: string;
  /** The EIP-712 digest the debtor signed. */
  digest: string;
  /** Integers as decimal strings (the due date in unix seconds), the currency as its ISO 4217 code. */
  registration: Record<keyof Registration, string>;
  signature: string;
}

/** "CNY 1,250,000.00 owed by 0x… to 0x…, due …, 10 days of grace" */
export function registrationText(reg: Pick<Registration, "creditor" | "debtor" | "faceValue" | "currency" | "dueDate" | "graceSeconds">): string {
  return (
    `${formatMoney(reg.faceValue, reg.currency)} owed by ${shortAddress(reg.debtor)} to ${shortAddress(reg.creditor)}, ` +
    `due ${formatTime(reg.dueDate)}, ${graceText(reg.graceSeconds)}`
  );
}

/** The registration as JSON output: money in minor units with its code, the due date in ISO 8601. */
export function registrationData(reg: Omit<Registration, "salt">): Record<string, unknown> {
  return {
    creditor: reg.creditor,
    debtor: reg.debtor,
    faceValue: reg.faceValue,
    currency: currencyCode(reg.currency),
    dueDate: formatTime(reg.dueDate),
    graceSeconds: Number(reg.graceSeconds),
    invoiceHash: reg.invoiceHash,
    documentHash: reg.documentHash,
  };
}

function fileFields(reg: Registration): Record<keyof Registration, string> {
  return {
    creditor: reg.creditor,
    debtor: reg.debtor,
    faceValue: reg.faceValue.toString(),
    currency: currencyCode(reg.currency),
    dueDate: reg.dueDate.toString(),
    graceSeconds: reg.graceSeconds.toString(),
    invoiceHash: reg.invoiceHash,
    documentHash: reg.documentHash,
    salt: reg.salt,
  };
}

/** `--out`, or `receivable-<0x and the digest's first 10 hex digits>.signed.json` (in `--out` when it is a directory). */
function signedPath(out: string | undefined, digest: string): string {
  const name = `receivable-${digest.slice(0, 12)}.signed.json`;
  if (out === undefined) return name;
  return fs.existsSync(out) && fs.statSync(out).isDirectory() ? path.join(out, name) : out;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const UINT_BITS = { faceValue: 96, dueDate: 64, graceSeconds: 32 } as const;

/**
 * Reads a file `receivable sign` wrote, checking its format and that it was signed for this deployment's
 * chain and Receivables contract; every problem is a usage error (exit code 2) naming the field.
 */
function readSignedRegistration(chain: ChainContext, file: string): { registration: Registration; signature: string } {
  const text = readFileOption(file, "<file>").toString("utf8");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`<file>: ${file} is not valid JSON (expected a signed registration, ${SIGNED_REGISTRATION_FORMAT}, as \`receivable sign\` writes it)`);
  }
  if (!isRecord(data)) throw new UsageError(`<file>: ${file} is not a signed registration (${SIGNED_REGISTRATION_FORMAT})`);
  const bad = (field: string, problem: string) => new UsageError(`${file}: ${field} ${problem}`);
  const shown = (value: unknown) => (value === undefined ? "missing" : `is ${JSON.stringify(value)}`);

  if (data.format !== SIGNED_REGISTRATION_FORMAT) {
    throw bad("format", `${shown(data.format)}, not "${SIGNED_REGISTRATION_FORMAT}": this is not a registration as \`receivable sign\` writes it`);
  }
  const { chainId, contracts } = chain.deployment;
  if (!((typeof data.chainId === "number" || typeof data.chainId === "string") && String(data.chainId) === String(chainId))) {
    throw bad("chainId", `${shown(data.chainId)}: the registration was signed for another chain than this deployment's (chain ${chainId})`);
  }
  if (typeof data.receivables !== "string" || data.receivables.toLowerCase() !== contracts.Receivables.toLowerCase()) {
    throw bad("receivables", `${shown(data.receivables)}: the registration was signed for another Receivables contract than this deployment's (${contracts.Receivables})`);
  }
  if (typeof data.signature !== "string" || !/^0x([0-9a-fA-F]{2})+$/.test(data.signature)) {
    throw bad("signature", `${shown(data.signature)}, not a signature (0x and hex digits)`);
  }
  if (!isRecord(data.registration)) throw bad("registration", `${shown(data.registration)}, not an object`);
  const fields = data.registration;
  const address = (name: "creditor" | "debtor") => {
    const value = fields[name];
    if (typeof value !== "string" || !isAddress(value)) throw bad(`registration.${name}`, `${shown(value)}, not an address`);
    return getAddress(value);
  };
  const uint = (name: keyof typeof UINT_BITS) => {
    const value = fields[name];
    const bits = UINT_BITS[name];
    const digits = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
    if (typeof digits !== "string" || !/^\d+$/.test(digits) || BigInt(digits) >= 1n << BigInt(bits)) {
      throw bad(`registration.${name}`, `${shown(value)}, not a whole number of at most ${bits} bits (a decimal string)`);
    }
    return BigInt(digits);
  };
  const bytes32 = (name: "invoiceHash" | "documentHash" | "salt") => {
    const value = fields[name];
    if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value)) throw bad(`registration.${name}`, `${shown(value)}, not 0x and 64 hex digits`);
    return value.toLowerCase();
  };
  const currency = fields.currency;
  if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency)) {
    throw bad("registration.currency", `${shown(currency)}, not an ISO 4217 code such as CNY`);
  }
  return {
    signature: data.signature,
    registration: {
      creditor: address("creditor"),
      debtor: address("debtor"),
      faceValue: uint("faceValue"),
      currency: encodeCurrency(currency),
      dueDate: uint("dueDate"),
      graceSeconds: uint("graceSeconds"),
      invoiceHash: bytes32("invoiceHash"),
      documentHash: bytes32("documentHash"),
      salt: bytes32("salt"),
    },
  };
}

/** `receivable sign` (the debtor, off-chain) and `receivable register-signed` (the creditor, one transaction). */
export function registerSigningCommands(receivable: Command): void {
  withRegistrationOptions(
    receivable
      .command("sign")
      .description(
        "sign a registration you owe, off-chain (the debtor, no transaction): the creditor submits the file with " +
          "`receivable register-signed`, registered and confirmed in one transaction; prints and writes the signed registration",
      )
      .requiredOption("--creditor <address>", "the ENTERPRISE member you owe, who registers the receivable", parseAddress),
  )
    .option("--out <file>", "where to write the signed registration; a directory gets the default name (default: receivable-<digest prefix>.signed.json)")
    .action(async (opts: RegistrationOptions & { creditor: string; out?: string }, command: Command) => {
      const chain = await openChain(command);
      const fields = await registrationFields(chain, opts);
      const { address, signer } = await chain.member();
      const registration: Registration = { creditor: opts.creditor, debtor: address, ...fields, salt: hexlify(randomBytes(32)) };
      const receivables = chain.deployment.contracts.Receivables;
      const domain = registrationDomain(chain.deployment.chainId, receivables);
      const signature = await signer.signTypedData(domain, REGISTRATION_TYPES, registration);
      if (verifyTypedData(domain, REGISTRATION_TYPES, registration, signature).toLowerCase() !== address.toLowerCase()) {
        throw new CliError(`the signature does not recover to ${address}; nothing was written`);
      }
      // Everything `registerConfirmed` checks, the signature included, run as the creditor would send it:
      // no file is written that the creditor could not use.
      await chain.contracts.receivables.registerConfirmed.staticCall(registration, signature, { from: registration.creditor });
      const digest = TypedDataEncoder.hash(domain, REGISTRATION_TYPES, registration).toLowerCase();
      const file = signedPath(opts.out, digest);
      const content: SignedRegistrationFile = {
        format: SIGNED_REGISTRATION_FORMAT,
        chainId: chain.deployment.chainId,
        receivables,
        digest,
        registration: fileFields(registration),
        signature,
      };
      try {
        fs.writeFileSync(file, toJson(content, 2) + "\n", { flag: "wx" });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new UsageError(`--out: cannot write ${file} (${code === "EEXIST" ? "it already exists; refusing to overwrite it" : (code ?? (error as Error).message)})`);
      }
      chain.out.result(`Signed the registration of ${registrationText(registration)}, invoice ${registration.invoiceHash}; wrote ${file}`, {
        action: "receivable.sign",
        digest,
        file,
        registration: { ...registrationData(registration), salt: registration.salt },
        signature,
      });
    });

  receivable
    .command("register-signed")
    .description("register a receivable the debtor signed with `receivable sign` (the creditor): registered and confirmed in one transaction; prints its id")
    .argument("<file>", "the signed registration, as `receivable sign` wrote it")
    .action(async (file: string, _opts: unknown, command: Command) => {
      const chain = await openChain(command);
      const { registration, signature } = readSignedRegistration(chain, file);
      const { contracts } = await chain.member();
      const tx = await chain.send(contracts.receivables.registerConfirmed(registration, signature));
      const receivableId = requireReceivableEvent(chain, tx, "ReceivableRegistered").args.receivableId as bigint;
      chain.out.result(
        `Registered receivable ${receivableId}, confirmed by the debtor's signature: ${registrationText(registration)} ${txSuffix(tx)}`,
        { action: "receivable.register-signed", receivableId, status: "confirmed", ...registrationData(registration), ...txFields(tx) },
      );
    });
}
