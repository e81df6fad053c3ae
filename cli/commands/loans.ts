import type { Command } from "commander";
import {
  hexlify,
  randomBytes,
  TypedDataEncoder,
  verifyTypedData,
  type ContractTransactionReceipt,
  type Result,
} from "ethers";
import type { LedgerContracts } from "../../shared/chain/contracts";
import { LOAN_TERMS_TYPES, loanTermsDomain } from "../../shared/chain/loan-terms";
import { ZERO_HASH } from "../../shared/hashing";
import { formatUnit } from "../../shared/trade-codes";
import { openChain, requireEvent, type ChainContext } from "../context";
import { CliError, LOAN_STATUS, UsageError } from "../errors";
import { currencyCode, formatBps, formatMoney } from "../money";
import { formatTime, shortAddress, txFields, txSuffix } from "../output";
import {
  hashFileOrText,
  parseAddress,
  parseAmount,
  parseBps,
  parseCurrency,
  parseLoanId,
  parseMoment,
  parsePositiveBps,
  parseQuantity,
  parseReceiptId,
  resolveMoment,
  type Moment,
} from "../parse";
import { parseLotId } from "./receivable-common";
import { readSignedFile, signedFilePath, writeSignedFile } from "../signed-file";

/** ILienRegistry.LoanTerms: what the borrower offered; every call after `offer` carries them again. */
export interface LoanTerms {
  collateral: string;
  collateralId: bigint;
  borrower: string;
  financier: string;
  principal: bigint;
  /** bytes3 ISO 4217 code */
  currency: string;
  maturity: bigint;
  rateBps: bigint;
  marginCallLtvBps: bigint;
  offerExpiresAt: bigint;
  salt: string;
}

const DEFAULT_OFFER_WINDOW = 7n * 86_400n;

function termsFromEvent(args: Result): LoanTerms {
  return {
    collateral: args.collateral as string,
    collateralId: args.collateralId as bigint,
    borrower: args.borrower as string,
    financier: args.financier as string,
    principal: args.principal as bigint,
    currency: args.currency as string,
    maturity: args.maturity as bigint,
    rateBps: args.rateBps as bigint,
    marginCallLtvBps: args.marginCallLtvBps as bigint,
    offerExpiresAt: args.offerExpiresAt as bigint,
    salt: args.salt as string,
  };
}

/**
 * The terms of loan `loanId`, rebuilt from its `PledgeOffered` log (topic 1 is the loan id) since the
 * deployment's start block, and checked against the registry's own hash of them.
 */
export async function loanTermsOf(chain: ChainContext, loanId: string): Promise<LoanTerms> {
  const liens = chain.contracts.liens;
  const registry = chain.deployment.contracts.LienRegistry;
  const logs = await findLogsBackwards(chain, {
    address: registry,
    topics: [liens.interface.getEvent("PledgeOffered").topicHash, loanId],
  });
  for (const log of logs) {
    const offered = liens.interface.parseLog(log);
    if (!offered) continue;
    const terms = termsFromEvent(offered.args);
    if ((await liens.loanIdOf(terms)).toLowerCase() === loanId) return terms;
  }
  if (logs.length > 0) throw new CliError(`the PledgeOffered event of loan ${loanId} does not hash back to that id`);
  throw new CliError(`no pledge was offered as loan ${loanId} on the lien registry ${registry} (searched from block ${chain.deployment.startBlock})`);
}

/** Blocks per eth_getLogs call: public nodes commonly refuse wider ranges. */
const LOG_WINDOW = 5_000;

/**
 * The logs matching `filter`, searched from the newest block back to the deployment, a window at a
 * time, stopping at the first window that has any: a loan's offer is one event, usually recent.
 */
async function findLogsBackwards(chain: ChainContext, filter: { address: string; topics: string[] }) {
  const start = chain.deployment.startBlock;
  for (let to = await chain.provider.getBlockNumber(); to >= start; to -= LOG_WINDOW) {
    const logs = await chain.provider.getLogs({ ...filter, fromBlock: Math.max(start, to - LOG_WINDOW + 1), toBlock: to });
    if (logs.length > 0) return logs;
  }
  return [];
}

const isWarehouseReceipt = (chain: ChainContext, terms: Pick<LoanTerms, "collateral">) =>
  terms.collateral.toLowerCase() === chain.deployment.contracts.WarehouseReceipt.toLowerCase();

const isReceivableLot = (chain: ChainContext, terms: Pick<LoanTerms, "collateral">) =>
  terms.collateral.toLowerCase() === chain.deployment.contracts.Receivables.toLowerCase();

/** "receipt 7" / "receivable lot 3" for this deployment's receipts and lots; any other kind of collateral by its contract. */
function collateralName(chain: ChainContext, terms: Pick<LoanTerms, "collateral" | "collateralId">, collateralId = terms.collateralId): string {
  if (isWarehouseReceipt(chain, terms)) return `receipt ${collateralId}`;
  if (isReceivableLot(chain, terms)) return `receivable lot ${collateralId}`;
  return `collateral ${collateralId} of ${terms.collateral}`;
}

function termsText(chain: ChainContext, terms: LoanTerms): string {
  return (
    `${formatMoney(terms.principal, terms.currency)} from ${shortAddress(terms.financier)} to ${shortAddress(terms.borrower)} ` +
    `against ${collateralName(chain, terms)}, ${formatBps(terms.rateBps)} a year, matures ${formatTime(terms.maturity)}, ` +
    `margin call above ${formatBps(terms.marginCallLtvBps)} LTV`
  );
}

/** The terms as JSON: money as minor units (decimal strings) with its currency code, times in ISO 8601. */
function termsData(terms: LoanTerms): Record<string, unknown> {
  return {
    collateral: terms.collateral,
    collateralId: terms.collateralId,
    borrower: terms.borrower,
    financier: terms.financier,
    principal: terms.principal,
    currency: currencyCode(terms.currency),
    maturity: formatTime(terms.maturity),
    rateBps: Number(terms.rateBps),
    marginCallLtvBps: Number(terms.marginCallLtvBps),
    offerExpiresAt: formatTime(terms.offerExpiresAt),
    salt: terms.salt,
  };
}

interface OpenLoan {
  chain: ChainContext;
  terms: LoanTerms;
  /** The signing member's address and contracts. */
  address: string;
  contracts: LedgerContracts;
}

/** Opens the chain, loads the signing member and rebuilds the terms of `loanId` from the chain. */
async function openLoan(command: Command, loanId: string): Promise<OpenLoan> {
  const chain = await openChain(command);
  const [{ address, contracts }, terms] = await Promise.all([chain.member(), loanTermsOf(chain, loanId)]);
  return { chain, terms, address, contracts };
}

/** What `loan offer` and `loan sign` take besides the receipt: the terms the borrower proposes. */
interface TermsOptions {
  financier: string;
  principal: bigint;
  currency: string;
  maturity: Moment;
  rate: bigint;
  marginCall: bigint;
  offerExpires?: Moment;
  /** A receivable lot pledged instead of a receipt. */
  lot?: bigint;
}

/** The receipt argument (or --lot) and the terms options shared by `loan offer` and `loan sign`. */
function withTermsOptions(command: Command): Command {
  return command
    .argument("[receiptId]", "the receipt to pledge (or --lot)", parseReceiptId)
    .option("--lot <id>", "pledge a receivable lot (see `receivable earmark`) instead of a receipt", parseLotId)
    .requiredOption("--financier <address>", "the FINANCIER member lending", parseAddress)
    .requiredOption("--principal <minor units>", "the amount lent, in minor units of --currency (6000000 = CNY 60,000.00)", parseAmount)
    .requiredOption("--currency <code>", "ISO 4217 currency of the loan, e.g. CNY", parseCurrency)
    .requiredOption("--maturity <when>", "when the loan falls due: ISO 8601 date, unix seconds or a duration such as 90d", parseMoment)
    .requiredOption("--rate <bps>", "annual interest rate in basis points (450 = 4.50%)", parseBps)
    .requiredOption("--margin-call <bps>", "loan-to-value ratio in basis points above which a revaluation calls for margin (8000 = 80%)", parsePositiveBps)
    .option("--offer-expires <when>", "until when the financier may accept (default: 7 days, or the maturity if sooner)", parseMoment);
}

/** The instrument pledged: the receipt argument, or --lot (a receivable lot); exactly one of them. */
function pledgedCollateral(chain: ChainContext, receiptId: bigint | undefined, opts: TermsOptions) {
  if ((receiptId === undefined) === (opts.lot === undefined)) {
    throw new UsageError(`--lot: give the receipt to pledge (<receiptId>) or --lot <id>${receiptId === undefined ? "" : ", not both"}`);
  }
  const { WarehouseReceipt, Receivables } = chain.deployment.contracts;
  return opts.lot === undefined ? { collateral: WarehouseReceipt, collateralId: receiptId! } : { collateral: Receivables, collateralId: opts.lot };
}

/** The terms `borrower` proposes for `receiptId` (or --lot): durations counted from the chain's time, a fresh random salt. */
async function proposedTerms(chain: ChainContext, borrower: string, receiptId: bigint | undefined, opts: TermsOptions): Promise<LoanTerms> {
  const now = await chain.now();
  const maturity = resolveMoment(opts.maturity, now);
  const defaultExpiry = now + DEFAULT_OFFER_WINDOW < maturity ? now + DEFAULT_OFFER_WINDOW : maturity;
  return {
    ...pledgedCollateral(chain, receiptId, opts),
    borrower,
    financier: opts.financier,
    principal: opts.principal,
    currency: opts.currency,
    maturity,
    rateBps: opts.rate,
    marginCallLtvBps: opts.marginCall,
    offerExpiresAt: opts.offerExpires ? resolveMoment(opts.offerExpires, now) : defaultExpiry,
    salt: hexlify(randomBytes(32)),
  };
}

/** What `loan accept` and `loan accept-signed` print once the lien is created. */
function activatedResult(
  chain: ChainContext,
  action: string,
  loanId: string,
  terms: LoanTerms,
  valuation: bigint,
  ltvBps: bigint,
  tx: ContractTransactionReceipt,
): void {
  chain.out.result(
    `Loan ${loanId} is active: ${formatMoney(terms.principal, terms.currency)} against ${collateralName(chain, terms)} ` +
      `valued at ${formatMoney(valuation, terms.currency)}, LTV ${formatBps(ltvBps)} ${txSuffix(tx)}`,
    { action, loanId, valuation, currency: currencyCode(terms.currency), ltvBps: Number(ltvBps), ...txFields(tx) },
  );
}

/** The file `loan sign` writes and `loan accept-signed` / `loan revoke-signed` read. */
export const SIGNED_TERMS_FORMAT = "tracefin-signed-loan-terms/1";

/** Signed loan terms: integers as decimal strings (times in unix seconds), the currency as its ISO 4217 code. */
export interface SignedTermsFile {
  format: typeof SIGNED_TERMS_FORMAT;
  chainId: number;
  lienRegistry: string;
  loanId: string;
  terms: Record<keyof LoanTerms, string>;
  signature: string;
}

function signedTermsFields(terms: LoanTerms): Record<keyof LoanTerms, string> {
  return {
    collateral: terms.collateral,
    collateralId: terms.collateralId.toString(),
    borrower: terms.borrower,
    financier: terms.financier,
    principal: terms.principal.toString(),
    currency: currencyCode(terms.currency),
    maturity: terms.maturity.toString(),
    rateBps: terms.rateBps.toString(),
    marginCallLtvBps: terms.marginCallLtvBps.toString(),
    offerExpiresAt: terms.offerExpiresAt.toString(),
    salt: terms.salt,
  };
}

/** The field widths of ILienRegistry.LoanTerms. */
const UINT_BITS = { collateralId: 256, principal: 96, maturity: 64, rateBps: 32, marginCallLtvBps: 32, offerExpiresAt: 64 } as const;

interface SignedTerms {
  /** The id the file records (the signer's hash of the terms). */
  loanId: string;
  terms: LoanTerms;
  signature: string;
}

/** Reads a file `loan sign` wrote, signed for this deployment's chain and lien registry. */
function readSignedTerms(chain: ChainContext, file: string): SignedTerms {
  const { chainId, contracts } = chain.deployment;
  const signed = readSignedFile(
    file,
    {
      format: SIGNED_TERMS_FORMAT,
      what: "signed loan terms",
      writer: "loan sign",
      contract: { field: "lienRegistry", address: contracts.LienRegistry, name: "lien registry" },
      payload: "terms",
    },
    chainId,
  );
  const { loanId } = signed.envelope;
  if (typeof loanId !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(loanId)) {
    throw signed.bad("loanId", `${signed.shown(loanId)}, not 0x and 64 hex digits`);
  }
  const { fields } = signed;
  const uint = (name: keyof typeof UINT_BITS) => fields.uint(name, UINT_BITS[name]);
  return {
    loanId: loanId.toLowerCase(),
    signature: signed.signature,
    terms: {
      collateral: fields.address("collateral"),
      collateralId: uint("collateralId"),
      borrower: fields.address("borrower"),
      financier: fields.address("financier"),
      principal: uint("principal"),
      currency: fields.currency("currency"),
      maturity: uint("maturity"),
      rateBps: uint("rateBps"),
      marginCallLtvBps: uint("marginCallLtvBps"),
      offerExpiresAt: uint("offerExpiresAt"),
      salt: fields.bytes32("salt"),
    },
  };
}

/** `loan ...`: pledging warehouse receipts to a financier, from offer to release or enforcement. */
export function registerLoanCommands(program: Command): void {
  const loan = program
    .command("loan")
    .description(
      "pledge loans on warehouse receipts and receivable lots: offer, accept (or sign and accept-signed, one transaction), repay, release, revalue, enforce, register and show",
    );

  withTermsOptions(
    loan.command("offer").description("offer a receipt (or --lot, a receivable lot) you hold to a FINANCIER as collateral on these terms; prints the loan id"),
  ).action(async (receiptId: bigint | undefined, opts: TermsOptions, command: Command) => {
    const chain = await openChain(command);
    const { address, contracts } = await chain.member();
    const terms = await proposedTerms(chain, address, receiptId, opts);
    const tx = await chain.send(contracts.liens.offer(terms));
    const loanId = requireEvent(chain, tx, "PledgeOffered").args.loanId as string;
    chain.out.result(
      `Offered loan ${loanId}: ${termsText(chain, terms)}; open until ${formatTime(terms.offerExpiresAt)} ${txSuffix(tx)}`,
      { action: "loan.offer", loanId, terms: termsData(terms), ...txFields(tx) },
    );
  });

  withTermsOptions(
    loan
      .command("sign")
      .description(
        "sign terms pledging a receipt (or --lot, a receivable lot) you hold, off-chain (no transaction): the FINANCIER submits the file with " +
          "`loan accept-signed`, one transaction instead of offer + accept; prints the loan id and the file",
      ),
  )
    .option("--out <file>", "where to write the signed terms; a directory gets the default name (default: loan-<id prefix>.signed.json)")
    .action(async (receiptId: bigint | undefined, opts: TermsOptions & { out?: string }, command: Command) => {
      const chain = await openChain(command);
      const pledged = pledgedCollateral(chain, receiptId, opts);
      const { address, signer, contracts } = await chain.member();
      // The same checks `acceptSigned` makes for the borrower, made now, so that no file is written that cannot be used.
      const instrument = isReceivableLot(chain, pledged) ? chain.contracts.receivables : chain.contracts.receipts;
      const holder = await instrument.collateralHolder(pledged.collateralId);
      if (holder.toLowerCase() !== address.toLowerCase()) {
        throw new CliError(`${collateralName(chain, pledged)} is held by ${holder}, not by ${address}: only its holder can sign terms pledging it`);
      }
      const terms = await proposedTerms(chain, address, receiptId, opts);
      const offeredId = await contracts.liens.offer.staticCall(terms); // everything `offer` checks, without a transaction
      const registry = chain.deployment.contracts.LienRegistry;
      const domain = loanTermsDomain(chain.deployment.chainId, registry);
      const loanId = (await chain.contracts.liens.loanIdOf(terms)).toLowerCase();
      const signedDigest = TypedDataEncoder.hash(domain, LOAN_TERMS_TYPES, terms).toLowerCase();
      if (signedDigest !== loanId || offeredId.toLowerCase() !== loanId) {
        throw new CliError(
          `the lien registry ${registry} hashes these terms to ${loanId}, but their EIP-712 typed data hashes to ${signedDigest}: ` +
            "the CLI's LOAN_TERMS_TYPES or domain do not match the deployed registry; nothing was signed",
        );
      }
      const signature = await signer.signTypedData(domain, LOAN_TERMS_TYPES, terms);
      if (verifyTypedData(domain, LOAN_TERMS_TYPES, terms, signature).toLowerCase() !== address.toLowerCase()) {
        throw new CliError(`the signature does not recover to ${address}; nothing was written`);
      }
      const file = signedFilePath("loan", opts.out, loanId);
      const content: SignedTermsFile = {
        format: SIGNED_TERMS_FORMAT,
        chainId: chain.deployment.chainId,
        lienRegistry: registry,
        loanId,
        terms: signedTermsFields(terms),
        signature,
      };
      writeSignedFile(file, content);
      chain.out.result(
        `Signed loan ${loanId}: ${termsText(chain, terms)}; valid until ${formatTime(terms.offerExpiresAt)}; wrote ${file}`,
        { action: "loan.sign", loanId, file, terms: termsData(terms), signature },
      );
    });

  loan
    .command("accept-signed")
    .description(
      "accept terms a borrower signed with `loan sign` (the FINANCIER), valuing the collateral: offer and acceptance in one transaction",
    )
    .argument("<file>", "the signed terms, as `loan sign` wrote them")
    .requiredOption("--valuation <minor units>", "your valuation of the collateral, in minor units of the loan currency", parseAmount)
    .action(async (file: string, opts: { valuation: bigint }, command: Command) => {
      const chain = await openChain(command);
      const signed = readSignedTerms(chain, file);
      const { contracts } = await chain.member();
      const tx = await chain.send(contracts.liens.acceptSigned(signed.terms, opts.valuation, signed.signature));
      const activated = requireEvent(chain, tx, "LoanActivated");
      activatedResult(chain, "loan.accept-signed", activated.args.loanId as string, signed.terms, opts.valuation, activated.args.ltvBps as bigint, tx);
    });

  loan
    .command("revoke-signed")
    .description("revoke terms you signed with `loan sign` before the financier used them (the borrower): they can never be accepted")
    .argument("<file>", "the signed terms, as `loan sign` wrote them")
    .action(async (file: string, _opts: unknown, command: Command) => {
      const chain = await openChain(command);
      const signed = readSignedTerms(chain, file);
      // Revoking edited terms would leave the terms actually signed usable: refuse a file whose terms no longer hash to its id.
      const loanId = (await chain.contracts.liens.loanIdOf(signed.terms)).toLowerCase();
      if (loanId !== signed.loanId) {
        throw new CliError(
          `the terms in ${file} hash to loan ${loanId}, not to its loanId ${signed.loanId}: they were changed after signing, ` +
            "and revoking them would not revoke the terms signed; revoke with the file `loan sign` wrote",
        );
      }
      const { contracts } = await chain.member();
      const tx = await chain.send(contracts.liens.revokeSignedOffer(signed.terms));
      requireEvent(chain, tx, "SignedOfferRevoked");
      chain.out.result(
        `Revoked the signed terms of loan ${loanId} on ${collateralName(chain, signed.terms)}: they can never be accepted ${txSuffix(tx)}`,
        { action: "loan.revoke-signed", loanId, collateralId: signed.terms.collateralId, ...txFields(tx) },
      );
    });

  loan
    .command("withdraw")
    .description("withdraw an offer the financier has not accepted (the borrower)")
    .argument("<loanId>", "the loan id `loan offer` printed", parseLoanId)
    .action(async (loanId: string, _opts: unknown, command: Command) => {
      const { chain, terms, contracts } = await openLoan(command, loanId);
      const tx = await chain.send(contracts.liens.withdrawOffer(terms));
      chain.out.result(`Withdrew the offer of loan ${loanId} on ${collateralName(chain, terms)} ${txSuffix(tx)}`, {
        action: "loan.withdraw",
        loanId,
        ...txFields(tx),
      });
    });

  loan
    .command("accept")
    .description("accept an offer (the FINANCIER), valuing the collateral: the lien is created and the receipt locked")
    .argument("<loanId>", "the loan id", parseLoanId)
    .requiredOption("--valuation <minor units>", "your valuation of the collateral, in minor units of the loan currency", parseAmount)
    .action(async (loanId: string, opts: { valuation: bigint }, command: Command) => {
      const { chain, terms, contracts } = await openLoan(command, loanId);
      const tx = await chain.send(contracts.liens.accept(terms, opts.valuation));
      const ltvBps = requireEvent(chain, tx, "LoanActivated").args.ltvBps as bigint;
      activatedResult(chain, "loan.accept", loanId, terms, opts.valuation, ltvBps, tx);
    });

  loan
    .command("repay")
    .description("record a repayment received off-chain (the FINANCIER)")
    .argument("<loanId>", "the loan id", parseLoanId)
    .requiredOption("--amount <minor units>", "the amount repaid, in minor units of the loan currency", parseAmount)
    .option("--reference <file or text>", "the payment record: a file, or a text such as a bank slip number (stored as its SHA-256)")
    .action(async (loanId: string, opts: { amount: bigint; reference?: string }, command: Command) => {
      const referenceHash = opts.reference === undefined ? ZERO_HASH : hashFileOrText(opts.reference);
      const { chain, terms, contracts } = await openLoan(command, loanId);
      const tx = await chain.send(contracts.liens.recordRepayment(terms, opts.amount, referenceHash));
      const outstanding = requireEvent(chain, tx, "RepaymentRecorded").args.outstanding as bigint;
      chain.out.result(
        `Recorded a repayment of ${formatMoney(opts.amount, terms.currency)} on loan ${loanId}; ` +
          `outstanding ${formatMoney(outstanding, terms.currency)} ${txSuffix(tx)}`,
        { action: "loan.repay", loanId, amount: opts.amount, outstanding, currency: currencyCode(terms.currency), referenceHash, ...txFields(tx) },
      );
    });

  loan
    .command("release")
    .description("release the lien (the FINANCIER): the receipt is free again")
    .argument("<loanId>", "the loan id", parseLoanId)
    .action(async (loanId: string, _opts: unknown, command: Command) => {
      const { chain, terms, contracts } = await openLoan(command, loanId);
      const tx = await chain.send(contracts.liens.release(terms));
      chain.out.result(`Released the lien of loan ${loanId}; ${collateralName(chain, terms)} is free ${txSuffix(tx)}`, {
        action: "loan.release",
        loanId,
        collateralId: terms.collateralId,
        ...txFields(tx),
      });
    });

  loan
    .command("release-part")
    .description("free part of the collateral (the FINANCIER); prints the id of the new, free receipt")
    .argument("<loanId>", "the loan id", parseLoanId)
    .requiredOption("--quantity <n>", "how much of the pledged goods to free, less than all of them", parseQuantity)
    .action(async (loanId: string, opts: { quantity: bigint }, command: Command) => {
      const { chain, terms, contracts } = await openLoan(command, loanId);
      const tx = await chain.send(contracts.liens.releasePart(terms, opts.quantity));
      const releasedId = requireEvent(chain, tx, "CollateralPartReleased").args.releasedId as bigint;
      const unit = await unitOfReleased(chain, terms, releasedId);
      // A receivable lot's released part is no new instrument (id 0): it returns to the holder's free amount.
      const freed = releasedId === 0n && isReceivableLot(chain, terms) ? "back to the holder's free amount" : `as ${collateralName(chain, terms, releasedId)}, free`;
      chain.out.result(
        `Released ${opts.quantity}${unit ? ` ${unit}` : ""} of ${collateralName(chain, terms)} under loan ${loanId} ${freed} ${txSuffix(tx)}`,
        { action: "loan.release-part", loanId, releasedId, quantity: opts.quantity, unit, ...txFields(tx) },
      );
    });

  loan
    .command("revalue")
    .description("record a new valuation of the collateral (the FINANCIER); prints the LTV and whether a margin call was issued")
    .argument("<loanId>", "the loan id", parseLoanId)
    .requiredOption("--valuation <minor units>", "the collateral's value, in minor units of the loan currency", parseAmount)
    .action(async (loanId: string, opts: { valuation: bigint }, command: Command) => {
      const { chain, terms, contracts } = await openLoan(command, loanId);
      const tx = await chain.send(contracts.liens.revalue(terms, opts.valuation));
      const ltvBps = requireEvent(chain, tx, "CollateralValued").args.ltvBps as bigint;
      const marginCall = chain.events(tx, "MarginCall").length > 0;
      const verdict = marginCall
        ? `above the ${formatBps(terms.marginCallLtvBps)} margin-call level: margin call issued`
        : `within the ${formatBps(terms.marginCallLtvBps)} margin-call level`;
      chain.out.result(
        `Revalued ${collateralName(chain, terms)} under loan ${loanId} at ${formatMoney(opts.valuation, terms.currency)}: ` +
          `LTV ${formatBps(ltvBps)}, ${verdict} ${txSuffix(tx)}`,
        {
          action: "loan.revalue",
          loanId,
          valuation: opts.valuation,
          currency: currencyCode(terms.currency),
          ltvBps: Number(ltvBps),
          marginCallLtvBps: Number(terms.marginCallLtvBps),
          marginCall,
          ...txFields(tx),
        },
      );
    });

  loan
    .command("enforce")
    .description("after maturity, with an amount outstanding, take title to the collateral (the FINANCIER) or hand it to a buyer")
    .argument("<loanId>", "the loan id", parseLoanId)
    .option("--to <address>", "the active member who receives the receipt (default: you)", parseAddress)
    .action(async (loanId: string, opts: { to?: string }, command: Command) => {
      const { chain, terms, address, contracts } = await openLoan(command, loanId);
      const to = opts.to ?? address;
      const tx = await chain.send(contracts.liens.enforce(terms, to));
      chain.out.result(`Enforced loan ${loanId}: ${collateralName(chain, terms)} now belongs to ${shortAddress(to)} ${txSuffix(tx)}`, {
        action: "loan.enforce",
        loanId,
        collateralId: terms.collateralId,
        to,
        ...txFields(tx),
      });
    });

  loan
    .command("register")
    .description("record the pledge's registration number at the national movable-property registry (the FINANCIER)")
    .argument("<loanId>", "the loan id", parseLoanId)
    .requiredOption("--number <text>", "the registration number, e.g. ZDW-2026-370600-00012345")
    .action(async (loanId: string, opts: { number: string }, command: Command) => {
      const { chain, terms, contracts } = await openLoan(command, loanId);
      const tx = await chain.send(contracts.liens.recordRegistration(terms, opts.number));
      chain.out.result(`Recorded registration ${opts.number} for loan ${loanId} ${txSuffix(tx)}`, {
        action: "loan.register",
        loanId,
        registrationNumber: opts.number,
        ...txFields(tx),
      });
    });

  loan
    .command("show")
    .description("show a loan's terms and state: status, outstanding amount, valuation and LTV")
    .argument("<loanId>", "the loan id", parseLoanId)
    .action(async (loanId: string, _opts: unknown, command: Command) => {
      const chain = await openChain(command);
      const terms = await loanTermsOf(chain, loanId);
      const state = await chain.contracts.liens.loanOf(loanId);
      const status = LOAN_STATUS[Number(state.status)] ?? `status ${state.status}`;
      const valued = state.valuation !== 0n;
      const stateText = [
        status,
        `outstanding ${formatMoney(state.outstanding, terms.currency)}`,
        ...(valued ? [`valued at ${formatMoney(state.valuation, terms.currency)}`, `LTV ${formatBps(state.ltvBps)}`] : []),
        ...(status === "offered" ? [`open until ${formatTime(terms.offerExpiresAt)}`] : []),
      ];
      chain.out.result(`Loan ${loanId}: ${termsText(chain, terms)}; ${stateText.join(", ")}`, {
        loanId,
        status,
        outstanding: state.outstanding,
        valuation: valued ? state.valuation : null,
        ltvBps: valued ? Number(state.ltvBps) : null,
        currency: currencyCode(terms.currency),
        terms: termsData(terms),
      });
    });
}

/** The unit of a freed part, when the collateral is one of this deployment's warehouse receipts. */
async function unitOfReleased(chain: ChainContext, terms: LoanTerms, releasedId: bigint): Promise<string | null> {
  if (!isWarehouseReceipt(chain, terms)) return null;
  return formatUnit((await chain.contracts.receipts.receiptOf(releasedId)).unit);
}
