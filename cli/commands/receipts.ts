import { Option, type Command } from "commander";
import { sha256Hex, ZERO_HASH } from "../../shared/hashing";
import { formatUnit } from "../../shared/trade-codes";
import { openChain, requireEvent } from "../context";
import { UsageError } from "../errors";
import { currencyCode, formatMoney } from "../money";
import { formatTime, shortAddress, txFields, txSuffix } from "../output";
import {
  hashFileOption,
  hashReason,
  parseAddress,
  parseAmount,
  parseBatchId,
  parseCurrency,
  parseMoment,
  parseQuantity,
  parseReceiptId,
  readFileOption,
  repeatable,
  resolveMoment,
  type Moment,
} from "../parse";
import { BATCH_STATUS } from "./batches";

/** The insurance of the goods under a receipt; all zero when there is none. */
interface Insurance {
  insuredValue: bigint;
  currency: string;
  policyHash: string;
}

const NO_INSURANCE: Insurance = { insuredValue: 0n, currency: "0x000000", policyHash: ZERO_HASH };

interface InsuranceOptions {
  insuredValue?: bigint;
  currency?: string;
  policy?: string;
}

/** The three insurance options go together: all of them, or none (no insurance). */
function insuranceOf(opts: InsuranceOptions): Insurance {
  const given = [opts.insuredValue, opts.currency, opts.policy].filter((value) => value !== undefined).length;
  if (given === 0) return NO_INSURANCE;
  if (given < 3) throw new UsageError("--insured-value, --currency and --policy go together: give all three, or none");
  return { insuredValue: opts.insuredValue!, currency: opts.currency!, policyHash: sha256Hex(readFileOption(opts.policy!, "--policy")) };
}

function withInsuranceOptions(command: Command, required: boolean): Command {
  const options = [
    new Option("--insured-value <minor units>", "insured value in minor units of --currency, e.g. 9600000 for CNY 96,000.00").argParser(parseAmount),
    new Option("--currency <code>", "ISO 4217 currency of the insured value, e.g. CNY").argParser(parseCurrency),
    new Option("--policy <path>", "the insurance policy, stored as its SHA-256"),
  ];
  for (const option of options) command.addOption(option.makeOptionMandatory(required));
  return command;
}

const insuranceText = (insurance: Insurance) =>
  insurance.insuredValue === 0n ? "uninsured" : `insured for ${formatMoney(insurance.insuredValue, insurance.currency)}`;

const insuranceData = (insurance: Insurance) =>
  insurance.insuredValue === 0n
    ? { insuredValue: null, currency: null, policyHash: null }
    : { insuredValue: insurance.insuredValue, currency: currencyCode(insurance.currency), policyHash: insurance.policyHash };

const expiryText = (expiresAt: bigint) => (expiresAt === 0n ? "no expiry" : `expires ${formatTime(expiresAt)}`);
const expiryData = (expiresAt: bigint) => (expiresAt === 0n ? null : formatTime(expiresAt));

/** `receipt ...`: warehouse receipts over ledger batches, from issue to redemption. */
export function registerReceiptCommands(program: Command): void {
  const receipt = program
    .command("receipt")
    .description("issue, transfer, split, redeem, attest, extend, insure, freeze and show warehouse receipts");

  withInsuranceOptions(
    receipt
      .command("issue")
      .description("issue a receipt for goods you keep (WAREHOUSE); prints the receipt id and the batch it covers (a child batch when partial)")
      .argument("<batchId>", "a batch in your custody", parseBatchId)
      .requiredOption("--quantity <n>", "how much the receipt covers; less than the whole batch splits a child batch off", parseQuantity)
      .requiredOption("--holder <address>", "the member who receives title, usually the depositor", parseAddress)
      .requiredOption("--location <text>", "where the goods are stored, e.g. \"cold room 3, bays 12-15\"")
      .option("--expires <when>", "end of the storage term: ISO 8601 date, unix seconds or a duration such as 180d (default: none)", parseMoment),
    false,
  )
    .option("--document <path>", "the receipt document, stored as its SHA-256")
    .action(
      async (
        batchId: bigint,
        opts: InsuranceOptions & { quantity: bigint; holder: string; location: string; expires?: Moment; document?: string },
        command: Command,
      ) => {
        const insurance = insuranceOf(opts);
        const documentHash = hashFileOption(opts.document, "--document");
        const chain = await openChain(command);
        const { contracts } = await chain.member();
        const expiresAt = opts.expires ? resolveMoment(opts.expires, await chain.now()) : 0n;
        const tx = await chain.send(
          contracts.receipts.issue({
            batchId,
            quantity: opts.quantity,
            holder: opts.holder,
            expiresAt,
            insuredValue: insurance.insuredValue,
            insuranceCurrency: insurance.currency,
            policyHash: insurance.policyHash,
            documentHash,
            location: opts.location,
          }),
        );
        const issued = requireEvent(chain, tx, "ReceiptIssued").args;
        const receiptId = issued.receiptId as bigint;
        const receiptBatchId = issued.batchId as bigint;
        const unit = formatUnit(issued.unit as string);
        const split = receiptBatchId !== batchId ? `, split from batch ${batchId}` : "";
        chain.out.result(
          `Issued receipt ${receiptId} for batch ${receiptBatchId} (${opts.quantity} ${unit}${split}) to ${shortAddress(opts.holder)}, ` +
            `at ${opts.location}, ${expiryText(expiresAt)}, ${insuranceText(insurance)} ${txSuffix(tx)}`,
          {
            action: "receipt.issue",
            receiptId,
            batchId: receiptBatchId,
            sourceBatchId: batchId,
            split: receiptBatchId !== batchId,
            quantity: opts.quantity,
            unit,
            holder: opts.holder,
            location: opts.location,
            expiresAt: expiryData(expiresAt),
            ...insuranceData(insurance),
            documentHash,
            ...txFields(tx),
          },
        );
      },
    );

  receipt
    .command("transfer")
    .description("transfer a receipt (ERC-721 transferFrom) to another active member; signed by the holder or an approved operator")
    .argument("<receiptId>", "the receipt", parseReceiptId)
    .argument("<to>", "the receiving member", parseAddress)
    .action(async (receiptId: bigint, to: string, _opts: unknown, command: Command) => {
      const chain = await openChain(command);
      const { contracts } = await chain.member();
      const holder = await chain.contracts.receipts.ownerOf(receiptId);
      const tx = await chain.send(contracts.receipts.transferFrom(holder, to, receiptId));
      chain.out.result(`Transferred receipt ${receiptId} from ${shortAddress(holder)} to ${shortAddress(to)} ${txSuffix(tx)}`, {
        action: "receipt.transfer",
        receiptId,
        from: holder,
        to,
        ...txFields(tx),
      });
    });

  receipt
    .command("split")
    .description("split parts off a receipt you hold: each --quantity becomes a new receipt, the original keeps the rest")
    .argument("<receiptId>", "the receipt", parseReceiptId)
    .requiredOption("--quantity <n>", "a part to split off (repeatable)", repeatable(parseQuantity))
    .action(async (receiptId: bigint, opts: { quantity: bigint[] }, command: Command) => {
      const chain = await openChain(command);
      const { contracts } = await chain.member();
      const tx = await chain.send(contracts.receipts.split(receiptId, opts.quantity));
      const event = requireEvent(chain, tx, "ReceiptSplit").args;
      const unit = formatUnit((await chain.contracts.receipts.receiptOf(receiptId)).unit);
      const newBatchIds = Array.from(event.newBatchIds as bigint[]);
      const parts = Array.from(event.newReceiptIds as bigint[], (id, i) => ({
        receiptId: id,
        batchId: newBatchIds[i],
        quantity: opts.quantity[i],
        unit,
      }));
      const kept = event.keptQuantity as bigint;
      const partsText = parts.map((part) => `receipt ${part.receiptId} (batch ${part.batchId}, ${part.quantity} ${unit})`).join(", ");
      chain.out.result(`Split receipt ${receiptId}, which keeps ${kept} ${unit}, into ${partsText} ${txSuffix(tx)}`, {
        action: "receipt.split",
        receiptId,
        keptQuantity: kept,
        unit,
        parts,
        ...txFields(tx),
      });
    });

  registerRedemptionCommands(receipt);
  registerWarehouseCommands(receipt);
  registerFreezeCommands(receipt);

  receipt
    .command("show")
    .description("show a receipt's on-chain state: holder, warehouse, batch, quantity, expiry and flags")
    .argument("<receiptId>", "the receipt", parseReceiptId)
    .action(async (receiptId: bigint, _opts: unknown, command: Command) => {
      const chain = await openChain(command);
      const receipts = chain.contracts.receipts;
      const [stored, now] = await Promise.all([receipts.receiptOf(receiptId), chain.now()]);
      const lien = stored.pledged ? await chain.contracts.liens.lienOn(await receipts.collateralKey(receiptId)) : null;
      const data = {
        receiptId,
        holder: stored.holder,
        warehouse: stored.warehouse,
        batchId: stored.batchId,
        quantity: stored.quantity,
        unit: formatUnit(stored.unit),
        batchStatus: BATCH_STATUS[Number(stored.batchStatus)] ?? `status ${stored.batchStatus}`,
        issuedAt: formatTime(stored.issuedAt),
        expiresAt: expiryData(stored.expiresAt),
        expired: stored.expiresAt !== 0n && stored.expiresAt <= now,
        pledged: stored.pledged,
        loanId: lien,
        frozen: stored.frozen,
        redemptionRequested: stored.redemptionRequested,
      };
      const flags = [
        ...(data.expired ? ["expired"] : []),
        ...(lien ? [`pledged under loan ${lien}`] : []),
        ...(data.frozen ? ["frozen"] : []),
        ...(data.redemptionRequested ? ["redemption requested"] : []),
      ];
      const parts = [
        `Receipt ${receiptId}: ${data.quantity} ${data.unit} in batch ${data.batchId} (${data.batchStatus.replace("_", " ")})`,
        `held by ${data.holder}`,
        `kept by warehouse ${data.warehouse}`,
        `issued ${data.issuedAt}`,
        expiryText(stored.expiresAt),
        flags.length > 0 ? flags.join(", ") : "free",
      ];
      chain.out.result(parts.join(", "), data);
    });
}

/** `receipt redeem request|cancel|confirm`: the holder asks, the warehouse releases the goods. */
function registerRedemptionCommands(receipt: Command): void {
  const redeem = receipt.command("redeem").description("take the goods out: the holder requests (or cancels), the warehouse confirms");

  const holderSteps = [
    { name: "request", method: "requestRedemption", done: "Asked the warehouse to release the goods of receipt %s", help: "ask the warehouse to release the goods (the holder)" },
    { name: "cancel", method: "cancelRedemption", done: "Withdrew the redemption request of receipt %s", help: "withdraw your redemption request (the holder)" },
  ] as const;
  for (const step of holderSteps) {
    redeem
      .command(step.name)
      .description(step.help)
      .argument("<receiptId>", "the receipt", parseReceiptId)
      .action(async (receiptId: bigint, _opts: unknown, command: Command) => {
        const chain = await openChain(command);
        const { contracts } = await chain.member();
        const tx = await chain.send(contracts.receipts[step.method](receiptId));
        chain.out.result(`${step.done.replace("%s", String(receiptId))} ${txSuffix(tx)}`, {
          action: `receipt.redeem.${step.name}`,
          receiptId,
          ...txFields(tx),
        });
      });
  }

  redeem
    .command("confirm")
    .description("confirm the goods left the warehouse (the WAREHOUSE): the receipt is burned and custody of its batch moves to the holder")
    .argument("<receiptId>", "the receipt", parseReceiptId)
    .option("--document <path>", "outbound delivery note, stored as its SHA-256")
    .action(async (receiptId: bigint, opts: { document?: string }, command: Command) => {
      const documentHash = hashFileOption(opts.document, "--document");
      const chain = await openChain(command);
      const { contracts } = await chain.member();
      const tx = await chain.send(contracts.receipts.confirmRedemption(receiptId, documentHash));
      const redeemed = requireEvent(chain, tx, "ReceiptRedeemed").args;
      const batchId = redeemed.batchId as bigint;
      const holder = redeemed.holder as string;
      const batch = await chain.contracts.ledger.batchOf(batchId);
      const unit = formatUnit(batch.unit);
      chain.out.result(
        `Redeemed receipt ${receiptId}: batch ${batchId} (${batch.quantity} ${unit}) is now in the custody of ${shortAddress(holder)} ${txSuffix(tx)}`,
        { action: "receipt.redeem.confirm", receiptId, batchId, quantity: batch.quantity, unit, holder, documentHash, ...txFields(tx) },
      );
    });
}

/** `receipt attest|extend|insure`: the warehouse keeping the goods. */
function registerWarehouseCommands(receipt: Command): void {
  receipt
    .command("attest")
    .description("record an inventory check of the goods (the WAREHOUSE): weighing, count or camera record")
    .argument("<receiptId>", "the receipt", parseReceiptId)
    .requiredOption("--file <path>", "the inventory check record; only its SHA-256 goes on-chain")
    .action(async (receiptId: bigint, opts: { file: string }, command: Command) => {
      const checkHash = sha256Hex(readFileOption(opts.file, "--file"));
      const chain = await openChain(command);
      const { contracts } = await chain.member();
      const tx = await chain.send(contracts.receipts.attest(receiptId, checkHash));
      chain.out.result(`Recorded inventory check ${checkHash} for receipt ${receiptId} ${txSuffix(tx)}`, {
        action: "receipt.attest",
        receiptId,
        checkHash,
        ...txFields(tx),
      });
    });

  receipt
    .command("extend")
    .description("extend the storage term of a receipt (the WAREHOUSE)")
    .argument("<receiptId>", "the receipt", parseReceiptId)
    .requiredOption("--expires <when>", "the new end of term: ISO 8601 date, unix seconds or a duration from now such as 365d", parseMoment)
    .action(async (receiptId: bigint, opts: { expires: Moment }, command: Command) => {
      const chain = await openChain(command);
      const { contracts } = await chain.member();
      const expiresAt = resolveMoment(opts.expires, await chain.now());
      const tx = await chain.send(contracts.receipts.extend(receiptId, expiresAt));
      chain.out.result(`Extended receipt ${receiptId} to ${formatTime(expiresAt)} ${txSuffix(tx)}`, {
        action: "receipt.extend",
        receiptId,
        expiresAt: formatTime(expiresAt),
        ...txFields(tx),
      });
    });

  withInsuranceOptions(
    receipt
      .command("insure")
      .description("record a new or renewed insurance policy for the goods (the WAREHOUSE)")
      .argument("<receiptId>", "the receipt", parseReceiptId),
    true,
  ).action(async (receiptId: bigint, opts: InsuranceOptions, command: Command) => {
    const insurance = insuranceOf(opts);
    const chain = await openChain(command);
    const { contracts } = await chain.member();
    const tx = await chain.send(contracts.receipts.updateInsurance(receiptId, insurance.insuredValue, insurance.currency, insurance.policyHash));
    chain.out.result(`The goods of receipt ${receiptId} are ${insuranceText(insurance)}, policy ${insurance.policyHash} ${txSuffix(tx)}`, {
      action: "receipt.insure",
      receiptId,
      ...insuranceData(insurance),
      ...txFields(tx),
    });
  });
}

/** `receipt freeze|unfreeze`: a judicial freeze by a REGULATOR. */
function registerFreezeCommands(receipt: Command): void {
  const steps = [
    { name: "freeze", method: "freeze", done: "Froze receipt %s: nothing moves until it is unfrozen", help: "freeze a receipt (REGULATOR): no transfer, split, pledge or redemption" },
    { name: "unfreeze", method: "unfreeze", done: "Unfroze receipt %s", help: "lift a freeze (REGULATOR)" },
  ] as const;
  for (const step of steps) {
    receipt
      .command(step.name)
      .description(step.help)
      .argument("<receiptId>", "the receipt", parseReceiptId)
      .requiredOption("--reason <text>", "the order or reason (stored as its SHA-256)")
      .action(async (receiptId: bigint, opts: { reason: string }, command: Command) => {
        const reasonHash = hashReason(opts.reason);
        const chain = await openChain(command);
        const { contracts } = await chain.member();
        const tx = await chain.send(contracts.receipts[step.method](receiptId, reasonHash));
        chain.out.result(`${step.done.replace("%s", String(receiptId))} ${txSuffix(tx)}`, {
          action: `receipt.${step.name}`,
          receiptId,
          reasonHash,
          ...txFields(tx),
        });
      });
  }
}
