import fs from "node:fs";
import { InvalidArgumentError, type Command } from "commander";
import { zeroPadValue, toBeHex, type ContractTransactionReceipt, type Log, type LogDescription } from "ethers";
import { sha256Hex, ZERO_HASH } from "../../shared/hashing";
import { encodeCurrency } from "../../shared/trade-codes";
import type { ChainContext } from "../context";
import { CliError, UsageError } from "../errors";
import { currencyCode, minorUnitExponent } from "../money";
import { parseCurrency, parseMoment, readFileOption, resolveMoment, type Moment } from "../parse";

/** IReceivables.ReceivableStatus, as the indexer names them. */
export const RECEIVABLE_STATUS = ["none", "registered", "confirmed", "cancelled", "rejected", "settled"] as const;

export const receivableStatusName = (status: bigint | number) => RECEIVABLE_STATUS[Number(status)] ?? `status ${status}`;

const UINT96_MAX = (1n << 96n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;
const UINT32_MAX = (1n << 32n) - 1n;

function positive(value: string, what: string, max: bigint): bigint {
  const text = value.trim();
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`${what} must be a positive integer.`);
  const parsed = BigInt(text);
  if (parsed === 0n) throw new InvalidArgumentError(`${what} must be greater than zero.`);
  if (parsed > max) throw new InvalidArgumentError(`${what} must be at most ${max}.`);
  return parsed;
}

/** Receivable ids are uint256 on-chain but count from 1 and are stored as uint64 in lots and sales. */
export const parseReceivableId = (value: string): bigint => positive(value, "a receivable id", UINT64_MAX);
/** A lot id, as `receivable earmark` printed it. */
export const parseLotId = (value: string): bigint => positive(value, "a lot id", (1n << 256n) - 1n);
/** A sale id, as `receivable sell` printed it. */
export const parseSaleId = (value: string): bigint => positive(value, "a sale id", (1n << 256n) - 1n);
export const parseBatchSize = (value: string): number => Number(positive(value, "the batch size", 5_000n));

/** Whole days of grace after the due date (0 allowed), as the contract's uint32 seconds. */
export function parseGraceDays(value: string): bigint {
  const text = value.trim();
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError("grace days must be a whole number of days (0 for none).");
  const seconds = BigInt(text) * 86_400n;
  if (seconds > UINT32_MAX) throw new InvalidArgumentError(`grace days must be at most ${UINT32_MAX / 86_400n}.`);
  return seconds;
}

/** An address, or `none` (the zero address): e.g. to remove a payment agent. */
export function parseAddressOrNone(value: string, parseAddress: (value: string) => string): string {
  if (value.trim().toLowerCase() === "none") return "0x0000000000000000000000000000000000000000";
  return parseAddress(value);
}

/**
 * Money as an option takes it: integer minor units ("125000000", in the receivable's currency or the
 * one given with --currency), or a decimal amount with its ISO 4217 code as the CLI prints it
 * ("1250000.00 CNY", "CNY 1,250,000.00").
 */
export interface MoneyArg {
  amount: bigint;
  /** The ISO 4217 code written with the amount; null for bare minor units. */
  currency: string | null;
}

export function parseMoneyArg(value: string): MoneyArg {
  const text = value.trim();
  if (/^\d+$/.test(text)) return { amount: positive(text, "the amount", UINT96_MAX), currency: null };
  const match = /^([A-Za-z]{3})\s*([\d,]+(?:\.\d+)?)$/.exec(text) ?? /^([\d,]+(?:\.\d+)?)\s*([A-Za-z]{3})$/.exec(text);
  if (!match) {
    throw new InvalidArgumentError(
      "give integer minor units (125000000 = CNY 1,250,000.00) or a decimal amount with its currency, e.g. \"1250000.00 CNY\".",
    );
  }
  const [code, number] = /^[A-Za-z]/.test(match[1]) ? [match[1], match[2]] : [match[2], match[1]];
  const currency = code.toUpperCase();
  try {
    encodeCurrency(currency);
  } catch {
    throw new InvalidArgumentError(`${code} is not an ISO 4217 currency code.`);
  }
  if (number.includes(",") && !/^\d{1,3}(,\d{3})*(\.\d+)?$/.test(number)) {
    throw new InvalidArgumentError(`"${number}" groups its digits wrongly; write e.g. 1,250,000.00 or 1250000.00.`);
  }
  const [whole, fraction = ""] = number.replace(/,/g, "").split(".");
  const exponent = minorUnitExponent(currency);
  if (fraction.length > exponent) {
    throw new InvalidArgumentError(`${currency} has ${exponent === 0 ? "no minor unit" : `${exponent} decimals`}; "${number}" has more.`);
  }
  const amount = BigInt(whole) * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, "0") || "0");
  if (amount === 0n) throw new InvalidArgumentError("the amount must be greater than zero.");
  if (amount > UINT96_MAX) throw new InvalidArgumentError(`the amount must be at most ${UINT96_MAX} minor units.`);
  return { amount, currency };
}

/** The minor units of `money` in `currency` (bytes3 or code); a decimal amount in another currency is refused. */
export function amountIn(money: MoneyArg, currency: string, option: string, what = "the receivable"): bigint {
  const code = currencyCode(currency);
  if (money.currency !== null && money.currency !== code) {
    throw new UsageError(`${option}: the amount is in ${money.currency}, but ${what} is in ${code}`);
  }
  return money.amount;
}

/** A bytes32 given as 0x and 64 hex digits, else the SHA-256 of the file it names (for invoices and documents). */
export function hashOrFile(value: string, option: string): string {
  const text = value.trim();
  if (/^0x[0-9a-fA-F]{64}$/.test(text)) return text.toLowerCase();
  if (/^0x[0-9a-fA-F]*$/.test(text)) throw new UsageError(`${option}: ${text} is neither a file nor a SHA-256 (0x and 64 hex digits)`);
  return sha256Hex(readFileOption(text, option));
}

/** A payment reference: a 0x hash as given, else the SHA-256 of the file it names or of the text itself. */
export function hashReference(value: string): string {
  const text = value.trim();
  if (/^0x[0-9a-fA-F]{64}$/.test(text)) return text.toLowerCase();
  return readableFile(text) ? sha256Hex(readFileOption(text, "--reference")) : sha256Hex(value);
}

function readableFile(name: string): boolean {
  try {
    return fs.statSync(name).isFile();
  } catch {
    return false;
  }
}

/** Events of the Receivables contract in a receipt, by name (the chain context knows the other contracts'). */
export function receivableEvents(chain: ChainContext, receipt: ContractTransactionReceipt, name: string): LogDescription[] {
  const address = chain.deployment.contracts.Receivables.toLowerCase();
  const iface = chain.contracts.receivables.interface;
  const found: LogDescription[] = [];
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== address) continue;
    const parsed = iface.parseLog(log) as LogDescription | null;
    if (parsed?.name === name) found.push(parsed);
  }
  return found;
}

export function requireReceivableEvent(chain: ChainContext, receipt: ContractTransactionReceipt, name: string): LogDescription {
  const [found] = receivableEvents(chain, receipt, name);
  if (!found) throw new CliError(`transaction ${receipt.hash} emitted no ${name} event`);
  return found;
}

/** Blocks per eth_getLogs call: public nodes commonly refuse wider ranges. */
export const LOG_WINDOW = 5_000;

export const uintTopic = (value: bigint) => zeroPadValue(toBeHex(value), 32);
export const addressTopic = (address: string) => zeroPadValue(address.toLowerCase(), 32);

type Topics = (string | string[] | null)[];

/** Every log of the Receivables contract matching `topics` from `fromBlock` to the head, a window at a time. */
export async function scanReceivableLogs(chain: ChainContext, topics: Topics, fromBlock: number): Promise<Log[]> {
  const address = chain.deployment.contracts.Receivables;
  const head = await chain.provider.getBlockNumber();
  const logs: Log[] = [];
  for (let from = Math.max(fromBlock, chain.deployment.startBlock); from <= head; from += LOG_WINDOW) {
    logs.push(...(await chain.provider.getLogs({ address, topics, fromBlock: from, toBlock: Math.min(head, from + LOG_WINDOW - 1) })));
  }
  return logs;
}

/** What `ReceivableRegistered` says about a receivable, and the block it was registered in. */
export interface RegistrationRecord {
  creditor: string;
  invoiceHash: string;
  documentHash: string;
  blockNumber: number;
}

/**
 * The `ReceivableRegistered` log of `receivableId` (topic 1), searched from the head back to the
 * deployment a window at a time: its block bounds every later search for that receivable's logs.
 */
export async function registrationOf(chain: ChainContext, receivableId: bigint): Promise<RegistrationRecord> {
  const iface = chain.contracts.receivables.interface;
  const address = chain.deployment.contracts.Receivables;
  const topics = [iface.getEvent("ReceivableRegistered").topicHash, uintTopic(receivableId)];
  const start = chain.deployment.startBlock;
  for (let to = await chain.provider.getBlockNumber(); to >= start; to -= LOG_WINDOW) {
    const [log] = await chain.provider.getLogs({ address, topics, fromBlock: Math.max(start, to - LOG_WINDOW + 1), toBlock: to });
    const parsed = log ? iface.parseLog(log) : null;
    if (log && parsed) {
      return {
        creditor: parsed.args.creditor as string,
        invoiceHash: parsed.args.invoiceHash as string,
        documentHash: parsed.args.documentHash as string,
        blockNumber: log.blockNumber,
      };
    }
  }
  throw new CliError(`receivable ${receivableId} has no ReceivableRegistered event on ${address} (searched from block ${start})`);
}

/** "5 days", "1 day", "none" */
export function graceText(graceSeconds: bigint): string {
  if (graceSeconds === 0n) return "no grace";
  if (graceSeconds % 86_400n === 0n) {
    const days = graceSeconds / 86_400n;
    return `${days} day${days === 1n ? "" : "s"} of grace`;
  }
  return `${graceSeconds} s of grace`;
}

/** The registration fields `receivable register` and `receivable sign` take as options. */
export interface RegistrationOptions {
  faceValue: MoneyArg;
  currency?: string;
  due: Moment;
  graceDays?: bigint;
  invoice: string;
  document?: string;
}

/** Face value, currency, due date, grace, invoice and document: shared by `register` and `sign`. */
export function withRegistrationOptions(command: Command): Command {
  return command
    .requiredOption("--face-value <money>", 'the amount owed: "1250000.00 CNY", or minor units with --currency (125000000)', parseMoneyArg)
    .option("--currency <code>", "ISO 4217 currency of a face value given in minor units, e.g. CNY", parseCurrency)
    .requiredOption("--due <when>", "the due date: ISO 8601 date, unix seconds or a duration from now such as 90d", parseMoment)
    .option("--grace-days <n>", "days of grace after the due date before the receivable is overdue (default: 0)", parseGraceDays)
    .requiredOption("--invoice <file or hash>", "the invoice: a file (stored as its SHA-256) or its SHA-256 (0x and 64 hex digits)")
    .option("--document <file or hash>", "the underlying contract or delivery document: a file or its SHA-256");
}

/** The face value and currency (bytes3), hashes and times of a registration, from its options. */
export async function registrationFields(chain: ChainContext, opts: RegistrationOptions) {
  const currency = registrationCurrency(opts);
  const invoiceHash = hashOrFile(opts.invoice, "--invoice");
  const documentHash = opts.document === undefined ? ZERO_HASH : hashOrFile(opts.document, "--document");
  const dueDate = resolveMoment(opts.due, await chain.now());
  return { faceValue: opts.faceValue.amount, currency, dueDate, graceSeconds: opts.graceDays ?? 0n, invoiceHash, documentHash };
}

/** The currency of the face value: written with it, or --currency; both must agree. Checked before any call. */
export function registrationCurrency(opts: Pick<RegistrationOptions, "faceValue" | "currency">): string {
  const written = opts.faceValue.currency;
  if (written !== null) {
    if (opts.currency !== undefined && currencyCode(opts.currency) !== written) {
      throw new UsageError(`--currency: ${currencyCode(opts.currency)} contradicts --face-value, which is in ${written}`);
    }
    return encodeCurrency(written);
  }
  if (opts.currency === undefined) throw new UsageError("--currency: give the currency of --face-value (minor units), or write it with the amount, e.g. \"1250000.00 CNY\"");
  return opts.currency;
}
