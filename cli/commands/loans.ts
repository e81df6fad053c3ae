import type { Command } from "commander";
import { hexlify, randomBytes, type Result } from "ethers";
import type { LedgerContracts } from "../../shared/chain/contracts";
import { ZERO_HASH } from "../../shared/hashing";
import { formatUnit } from "../../shared/trade-codes";
import { openChain, requireEvent, type ChainContext } from "../context";
import { CliError, LOAN_STATUS } from "../errors";
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
  const logs = await chain.provider.getLogs({
    address: registry,
    topics: [liens.interface.getEvent("PledgeOffered").topicHash, loanId],
    fromBlock: chain.deployment.startBlock,
    toBlock: "latest",
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

const isWarehouseReceipt = (chain: ChainContext, terms: LoanTerms) =>
  terms.collateral.toLowerCase() === chain.deployment.contracts.WarehouseReceipt.toLowerCase();

/** "receipt 7" for warehouse receipts of this deployment; any other kind of collateral by its contract. */
function collateralName(chain: ChainContext, terms: LoanTerms, collateralId = terms.collateralId): string {
  return isWarehouseReceipt(chain, terms)
    ? `receipt ${collateralId}`
    : `collateral ${collateralId} of ${terms.collateral}`;
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

/** `loan ...`: pledging warehouse receipts to a financier, from offer to release or enforcement. */
export function registerLoanCommands(program: Command): void {
  const loan = program
    .command("loan")
    .description("pledge loans on warehouse receipts: offer, accept, repay, release, revalue, enforce, register and show");

  loan
    .command("offer")
    .description("offer a receipt you hold to a FINANCIER as collateral on these terms; prints the loan id")
    .argument("<receiptId>", "the receipt to pledge", parseReceiptId)
    .requiredOption("--financier <address>", "the FINANCIER member lending", parseAddress)
    .requiredOption("--principal <minor units>", "the amount lent, in minor units of --currency (6000000 = CNY 60,000.00)", parseAmount)
    .requiredOption("--currency <code>", "ISO 4217 currency of the loan, e.g. CNY", parseCurrency)
    .requiredOption("--maturity <when>", "when the loan falls due: ISO 8601 date, unix seconds or a duration such as 90d", parseMoment)
    .requiredOption("--rate <bps>", "annual interest rate in basis points (450 = 4.50%)", parseBps)
    .requiredOption("--margin-call <bps>", "loan-to-value ratio in basis points above which a revaluation calls for margin (8000 = 80%)", parsePositiveBps)
    .option("--offer-expires <when>", "until when the financier may accept (default: 7 days, or the maturity if sooner)", parseMoment)
    .action(
      async (
        receiptId: bigint,
        opts: { financier: string; principal: bigint; currency: string; maturity: Moment; rate: bigint; marginCall: bigint; offerExpires?: Moment },
        command: Command,
      ) => {
        const chain = await openChain(command);
        const { address, contracts } = await chain.member();
        const now = await chain.now();
        const maturity = resolveMoment(opts.maturity, now);
        const defaultExpiry = now + DEFAULT_OFFER_WINDOW < maturity ? now + DEFAULT_OFFER_WINDOW : maturity;
        const terms: LoanTerms = {
          collateral: chain.deployment.contracts.WarehouseReceipt,
          collateralId: receiptId,
          borrower: address,
          financier: opts.financier,
          principal: opts.principal,
          currency: opts.currency,
          maturity,
          rateBps: opts.rate,
          marginCallLtvBps: opts.marginCall,
          offerExpiresAt: opts.offerExpires ? resolveMoment(opts.offerExpires, now) : defaultExpiry,
          salt: hexlify(randomBytes(32)),
        };
        const tx = await chain.send(contracts.liens.offer(terms));
        const loanId = requireEvent(chain, tx, "PledgeOffered").args.loanId as string;
        chain.out.result(
          `Offered loan ${loanId}: ${termsText(chain, terms)}; open until ${formatTime(terms.offerExpiresAt)} ${txSuffix(tx)}`,
          { action: "loan.offer", loanId, terms: termsData(terms), ...txFields(tx) },
        );
      },
    );

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
      chain.out.result(
        `Loan ${loanId} is active: ${formatMoney(terms.principal, terms.currency)} against ${collateralName(chain, terms)} ` +
          `valued at ${formatMoney(opts.valuation, terms.currency)}, LTV ${formatBps(ltvBps)} ${txSuffix(tx)}`,
        { action: "loan.accept", loanId, valuation: opts.valuation, currency: currencyCode(terms.currency), ltvBps: Number(ltvBps), ...txFields(tx) },
      );
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
      chain.out.result(
        `Released ${opts.quantity}${unit ? ` ${unit}` : ""} of ${collateralName(chain, terms)} under loan ${loanId} ` +
          `as ${collateralName(chain, terms, releasedId)}, free ${txSuffix(tx)}`,
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
