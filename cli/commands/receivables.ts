import type { Command } from "commander";
import { ZERO_HASH } from "../../shared/hashing";
import { openChain, type ChainContext } from "../context";
import { currencyCode, formatBps, formatMoney } from "../money";
import { shortAddress, txFields, txSuffix } from "../output";
import { hashReason, parseAddress } from "../parse";
import {
  amountIn,
  hashReference,
  parseAddressOrNone,
  parseLotId,
  parseMoneyArg,
  parseReceivableId,
  parseSaleId,
  registrationFields,
  requireReceivableEvent,
  withRegistrationOptions,
  type MoneyArg,
  type RegistrationOptions,
} from "./receivable-common";
import { registerHolderCommands } from "./receivable-holders";
import { registerSigningCommands, registrationData, registrationText } from "./receivable-signing";

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** The chain, the signing member and the receivable's current view (for its currency and face value). */
async function openReceivable(command: Command, receivableId: bigint) {
  const chain = await openChain(command);
  const [member, view] = await Promise.all([chain.member(), chain.contracts.receivables.receivableOf(receivableId)]);
  return { chain, member, view };
}

const AMOUNT_HELP = 'minor units of the receivable\'s currency (30000000), or with its code ("300000.00 CNY")';

/** `receivable ...`: confirmed receivables (ERC-1155), from registration to settlement. */
export function registerReceivableCommands(program: Command): void {
  const receivable = program
    .command("receivable")
    .description(
      "confirmed receivables: register, confirm (or sign and register-signed), transfer parts, earmark lots for pledges, sell, pay, settle, dispute, freeze and show",
    );

  withRegistrationOptions(
    receivable
      .command("register")
      .description("register a receivable a member owes you (the creditor, an ENTERPRISE): you hold its whole face value, which moves once the debtor confirms; prints its id")
      .requiredOption("--debtor <address>", "the member that owes the amount", parseAddress),
  ).action(async (opts: RegistrationOptions & { debtor: string }, command: Command) => {
    const chain = await openChain(command);
    const fields = await registrationFields(chain, opts);
    const { address, contracts } = await chain.member();
    const tx = await chain.send(
      contracts.receivables.register(opts.debtor, fields.faceValue, fields.currency, fields.dueDate, fields.graceSeconds, fields.invoiceHash, fields.documentHash),
    );
    const receivableId = requireReceivableEvent(chain, tx, "ReceivableRegistered").args.receivableId as bigint;
    const registration = { creditor: address, debtor: opts.debtor, ...fields };
    chain.out.result(
      `Registered receivable ${receivableId}: ${registrationText(registration)}, invoice ${fields.invoiceHash}; ` +
        `awaiting the debtor's confirmation ${txSuffix(tx)}`,
      { action: "receivable.register", receivableId, status: "registered", ...registrationData(registration), ...txFields(tx) },
    );
  });

  receivable
    .command("confirm")
    .description("confirm you owe a registered receivable (the debtor): from now on it can move, be pledged and sold")
    .argument("<receivableId>", "the receivable", parseReceivableId)
    .action(async (receivableId: bigint, _opts: unknown, command: Command) => {
      const { chain, member, view } = await openReceivable(command, receivableId);
      const tx = await chain.send(member.contracts.receivables.confirm(receivableId));
      requireReceivableEvent(chain, tx, "ReceivableConfirmed");
      chain.out.result(`Confirmed receivable ${receivableId}: ${formatMoney(view.faceValue, view.currency)} owed by ${shortAddress(member.address)} ${txSuffix(tx)}`, {
        action: "receivable.confirm",
        receivableId,
        status: "confirmed",
        ...txFields(tx),
      });
    });

  registerSigningCommands(receivable);
  registerReasonCommands(receivable);

  receivable
    .command("appoint-agent")
    .description("name the bank (an active FINANCIER) that may record payments for you (the debtor); `none` removes it")
    .argument("<receivableId>", "the receivable", parseReceivableId)
    .argument("<agent>", "the FINANCIER's address, or none", (value: string) => parseAddressOrNone(value, parseAddress))
    .action(async (receivableId: bigint, agent: string, _opts: unknown, command: Command) => {
      const { chain, member } = await openReceivable(command, receivableId);
      const tx = await chain.send(member.contracts.receivables.appointPaymentAgent(receivableId, agent));
      requireReceivableEvent(chain, tx, "PaymentAgentAppointed");
      const removed = agent === ZERO_ADDRESS;
      chain.out.result(
        removed
          ? `Receivable ${receivableId} has no payment agent any more ${txSuffix(tx)}`
          : `Appointed ${shortAddress(agent)} to record payments of receivable ${receivableId} ${txSuffix(tx)}`,
        { action: "receivable.appoint-agent", receivableId, agent: removed ? null : agent, ...txFields(tx) },
      );
    });

  receivable
    .command("transfer")
    .description("transfer part of your free amount to another active member (ERC-1155 safeTransferFrom), e.g. to pay a supplier")
    .argument("<receivableId>", "the receivable", parseReceivableId)
    .argument("<to>", "the receiving member", parseAddress)
    .requiredOption("--amount <money>", `how much to transfer: ${AMOUNT_HELP}`, parseMoneyArg)
    .option("--from <address>", "the holder, when you transfer as its approved operator (default: you)", parseAddress)
    .action(async (receivableId: bigint, to: string, opts: { amount: MoneyArg; from?: string }, command: Command) => {
      const { chain, member, view } = await openReceivable(command, receivableId);
      const amount = amountIn(opts.amount, view.currency, "--amount", `receivable ${receivableId}`);
      const from = opts.from ?? member.address;
      const tx = await chain.send(member.contracts.receivables.safeTransferFrom(from, to, receivableId, amount, "0x"));
      requireReceivableEvent(chain, tx, "TransferSingle");
      const [kept, free] = await Promise.all([
        chain.contracts.receivables.balanceOf(from, receivableId),
        chain.contracts.receivables.freeAmountOf(receivableId, from),
      ]);
      chain.out.result(
        `Transferred ${formatMoney(amount, view.currency)} of receivable ${receivableId} from ${shortAddress(from)} to ${shortAddress(to)}; ` +
          `${shortAddress(from)} holds ${formatMoney(kept, view.currency)}, ${formatMoney(free, view.currency)} free ${txSuffix(tx)}`,
        { action: "receivable.transfer", receivableId, from, to, amount, currency: currencyCode(view.currency), fromBalance: kept, fromFree: free, ...txFields(tx) },
      );
    });

  registerLotAndSaleCommands(receivable);

  receivable
    .command("pay")
    .description("record a payment of the receivable (the debtor or its payment agent): from the first payment on its holdings are fixed")
    .argument("<receivableId>", "the receivable", parseReceivableId)
    .requiredOption("--amount <money>", `the amount paid: ${AMOUNT_HELP}`, parseMoneyArg)
    .option("--reference <file, text or hash>", "the payment record: a file, a text such as a CNAPS reference (stored as its SHA-256), or a 0x SHA-256")
    .action(async (receivableId: bigint, opts: { amount: MoneyArg; reference?: string }, command: Command) => {
      const referenceHash = opts.reference === undefined ? ZERO_HASH : hashReference(opts.reference);
      const { chain, member, view } = await openReceivable(command, receivableId);
      const amount = amountIn(opts.amount, view.currency, "--amount", `receivable ${receivableId}`);
      const tx = await chain.send(member.contracts.receivables.recordPayment(receivableId, amount, referenceHash));
      const paid = requireReceivableEvent(chain, tx, "PaymentRecorded").args.paidTotal as bigint;
      const outstanding = view.faceValue - paid;
      chain.out.result(
        `Recorded a payment of ${formatMoney(amount, view.currency)} on receivable ${receivableId}: paid ${formatMoney(paid, view.currency)} ` +
          `of ${formatMoney(view.faceValue, view.currency)}, outstanding ${formatMoney(outstanding, view.currency)} ${txSuffix(tx)}`,
        { action: "receivable.pay", receivableId, amount, paid, outstanding, currency: currencyCode(view.currency), referenceHash, ...txFields(tx) },
      );
    });

  registerHolderCommands(receivable);
}

/** `receivable cancel|reject|dispute|resolve-dispute|freeze|unfreeze`: a reason stored as its SHA-256. */
function registerReasonCommands(receivable: Command): void {
  const steps = [
    { name: "cancel", method: "cancel", required: false, done: "Cancelled receivable %s: its amount was burned; the invoice stays used", help: "withdraw a receivable the debtor has not confirmed (the creditor); its amount is burned" },
    { name: "reject", method: "reject", required: false, done: "Rejected receivable %s: its amount was burned", help: "refuse a receivable registered against you (the debtor), before confirming it" },
    { name: "dispute", method: "dispute", required: true, done: "Disputed receivable %s: nothing moves, is pledged, sold or settled until the dispute is resolved", help: "dispute a confirmed receivable (the debtor)" },
    { name: "resolve-dispute", method: "resolveDispute", required: false, done: "Resolved the dispute of receivable %s", help: "withdraw your dispute (the debtor)" },
    { name: "freeze", method: "freeze", required: true, done: "Froze receivable %s: nothing moves or is settled until it is unfrozen", help: "freeze a receivable (REGULATOR): no transfer, earmark, sale, pledge or settlement" },
    { name: "unfreeze", method: "unfreeze", required: true, done: "Unfroze receivable %s", help: "lift a freeze (REGULATOR)" },
  ] as const;
  for (const step of steps) {
    const command = receivable
      .command(step.name)
      .description(step.help)
      .argument("<receivableId>", "the receivable", parseReceivableId);
    if (step.required) command.requiredOption("--reason <text>", "the order or reason (stored as its SHA-256)");
    else command.option("--reason <text>", "the reason (stored as its SHA-256)");
    command.action(async (receivableId: bigint, opts: { reason?: string }, cmd: Command) => {
      const reasonHash = hashReason(opts.reason);
      const chain = await openChain(cmd);
      const { contracts } = await chain.member();
      const tx = await chain.send(contracts.receivables[step.method](receivableId, reasonHash));
      chain.out.result(`${step.done.replace("%s", String(receivableId))} ${txSuffix(tx)}`, {
        action: `receivable.${step.name}`,
        receivableId,
        reasonHash,
        ...txFields(tx),
      });
    });
  }
}

/** The currency of a lot's or sale's receivable. */
async function currencyOf(chain: ChainContext, receivableId: bigint): Promise<string> {
  return (await chain.contracts.receivables.receivableOf(receivableId)).currency;
}

/** `receivable earmark|release-lot|sell|accept-sale|withdraw-sale`: lots for pledges, and sales to financiers. */
function registerLotAndSaleCommands(receivable: Command): void {
  receivable
    .command("earmark")
    .description("earmark part of your free amount as a lot, which you can pledge with `loan offer --lot` (the holder); prints the lot id")
    .argument("<receivableId>", "the receivable", parseReceivableId)
    .requiredOption("--amount <money>", `how much to earmark: ${AMOUNT_HELP}`, parseMoneyArg)
    .action(async (receivableId: bigint, opts: { amount: MoneyArg }, command: Command) => {
      const { chain, member, view } = await openReceivable(command, receivableId);
      const amount = amountIn(opts.amount, view.currency, "--amount", `receivable ${receivableId}`);
      const tx = await chain.send(member.contracts.receivables.earmark(receivableId, amount));
      const lotId = requireReceivableEvent(chain, tx, "LotEarmarked").args.lotId as bigint;
      const free = await chain.contracts.receivables.freeAmountOf(receivableId, member.address);
      chain.out.result(
        `Earmarked ${formatMoney(amount, view.currency)} of receivable ${receivableId} as lot ${lotId}; ` +
          `${formatMoney(free, view.currency)} stays free ${txSuffix(tx)}`,
        { action: "receivable.earmark", receivableId, lotId, amount, currency: currencyCode(view.currency), free, ...txFields(tx) },
      );
    });

  receivable
    .command("release-lot")
    .description("free an unpledged lot (its holder): its amount returns to your free amount")
    .argument("<lotId>", "the lot", parseLotId)
    .action(async (lotId: bigint, _opts: unknown, command: Command) => {
      const chain = await openChain(command);
      const { contracts } = await chain.member();
      const tx = await chain.send(contracts.receivables.releaseLot(lotId));
      const released = requireReceivableEvent(chain, tx, "LotReleased").args;
      const receivableId = released.receivableId as bigint;
      const amount = released.amount as bigint;
      const currency = await currencyOf(chain, receivableId);
      chain.out.result(`Released lot ${lotId}: ${formatMoney(amount, currency)} of receivable ${receivableId} is free again ${txSuffix(tx)}`, {
        action: "receivable.release-lot",
        lotId,
        receivableId,
        amount,
        currency: currencyCode(currency),
        ...txFields(tx),
      });
    });

  receivable
    .command("sell")
    .description("offer part of your free amount to a FINANCIER at a price (at a discount or at par); prints the sale id")
    .argument("<receivableId>", "the receivable", parseReceivableId)
    .requiredOption("--financier <address>", "the FINANCIER member buying", parseAddress)
    .requiredOption("--amount <money>", `how much of the receivable to sell: ${AMOUNT_HELP}`, parseMoneyArg)
    .requiredOption("--price <money>", "what the financier pays for it, off-chain: at most --amount, in the same currency", parseMoneyArg)
    .action(async (receivableId: bigint, opts: { financier: string; amount: MoneyArg; price: MoneyArg }, command: Command) => {
      const { chain, member, view } = await openReceivable(command, receivableId);
      const amount = amountIn(opts.amount, view.currency, "--amount", `receivable ${receivableId}`);
      const price = amountIn(opts.price, view.currency, "--price", `receivable ${receivableId}`);
      const tx = await chain.send(member.contracts.receivables.offerSale(receivableId, opts.financier, amount, price));
      const saleId = requireReceivableEvent(chain, tx, "SaleOffered").args.saleId as bigint;
      chain.out.result(
        `Offered ${formatMoney(amount, view.currency)} of receivable ${receivableId} to ${shortAddress(opts.financier)} for ` +
          `${formatMoney(price, view.currency)} (${discountText(amount, price)}) as sale ${saleId} ${txSuffix(tx)}`,
        { action: "receivable.sell", saleId, receivableId, financier: opts.financier, amount, price, currency: currencyCode(view.currency), discountBps: Number(discountBps(amount, price)), ...txFields(tx) },
      );
    });

  receivable
    .command("accept-sale")
    .description("buy what a sale offers (the FINANCIER it names): the amount moves to you; the price is paid off-chain")
    .argument("<saleId>", "the sale id `receivable sell` printed", parseSaleId)
    .action(async (saleId: bigint, _opts: unknown, command: Command) => {
      const chain = await openChain(command);
      const { contracts } = await chain.member();
      const tx = await chain.send(contracts.receivables.acceptSale(saleId));
      const sold = requireReceivableEvent(chain, tx, "ReceivableSold").args;
      const receivableId = sold.receivableId as bigint;
      const [amount, price, seller] = [sold.amount as bigint, sold.price as bigint, sold.seller as string];
      const currency = await currencyOf(chain, receivableId);
      chain.out.result(
        `Bought ${formatMoney(amount, currency)} of receivable ${receivableId} from ${shortAddress(seller)} for ` +
          `${formatMoney(price, currency)} (${discountText(amount, price)}), sale ${saleId} ${txSuffix(tx)}`,
        { action: "receivable.accept-sale", saleId, receivableId, seller, financier: sold.financier as string, amount, price, currency: currencyCode(currency), ...txFields(tx) },
      );
    });

  receivable
    .command("withdraw-sale")
    .description("withdraw your open sale offer (the seller)")
    .argument("<saleId>", "the sale id", parseSaleId)
    .action(async (saleId: bigint, _opts: unknown, command: Command) => {
      const chain = await openChain(command);
      const { contracts } = await chain.member();
      const tx = await chain.send(contracts.receivables.withdrawSale(saleId));
      const receivableId = requireReceivableEvent(chain, tx, "SaleWithdrawn").args.receivableId as bigint;
      chain.out.result(`Withdrew sale ${saleId} of receivable ${receivableId} ${txSuffix(tx)}`, {
        action: "receivable.withdraw-sale",
        saleId,
        receivableId,
        ...txFields(tx),
      });
    });
}

const discountBps = (amount: bigint, price: bigint) => ((amount - price) * 10_000n) / amount;
const discountText = (amount: bigint, price: bigint) => (price === amount ? "at par" : `a ${formatBps(discountBps(amount, price))} discount`);
