import type { Command } from "commander";
import { hexlify, randomBytes, TypedDataEncoder, verifyTypedData } from "ethers";
import { REGISTRATION_TYPES, registrationDomain } from "../../shared/chain/receivable-registration";
import { openChain, type ChainContext } from "../context";
import { CliError } from "../errors";
import { currencyCode, formatMoney } from "../money";
import { formatTime, shortAddress, txFields, txSuffix } from "../output";
import { parseAddress } from "../parse";
import { readSignedFile, signedFilePath, writeSignedFile } from "../signed-file";
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

/** The field widths of IReceivables.Registration. */
const UINT_BITS = { faceValue: 96, dueDate: 64, graceSeconds: 32 } as const;

/** Reads a file `receivable sign` wrote, signed for this deployment's chain and Receivables contract. */
function readSignedRegistration(chain: ChainContext, file: string): { registration: Registration; signature: string } {
  const { chainId, contracts } = chain.deployment;
  const { fields, signature } = readSignedFile(
    file,
    {
      format: SIGNED_REGISTRATION_FORMAT,
      what: "a signed registration",
      writer: "receivable sign",
      contract: { field: "receivables", address: contracts.Receivables, name: "Receivables contract" },
      payload: "registration",
    },
    chainId,
  );
  const uint = (name: keyof typeof UINT_BITS) => fields.uint(name, UINT_BITS[name]);
  return {
    signature,
    registration: {
      creditor: fields.address("creditor"),
      debtor: fields.address("debtor"),
      faceValue: uint("faceValue"),
      currency: fields.currency("currency"),
      dueDate: uint("dueDate"),
      graceSeconds: uint("graceSeconds"),
      invoiceHash: fields.bytes32("invoiceHash"),
      documentHash: fields.bytes32("documentHash"),
      salt: fields.bytes32("salt"),
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
      const file = signedFilePath("receivable", opts.out, digest);
      const content: SignedRegistrationFile = {
        format: SIGNED_REGISTRATION_FORMAT,
        chainId: chain.deployment.chainId,
        receivables,
        digest,
        registration: fileFields(registration),
        signature,
      };
      writeSignedFile(file, content);
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
