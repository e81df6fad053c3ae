import type { Command } from "commander";
import { ZeroAddress, type ContractTransactionReceipt } from "ethers";
import { sha256Hex } from "../../shared/hashing";
import { formatGtin, formatUnit } from "../../shared/trade-codes";
import { openChain, requireEvent, type ChainContext } from "../context";
import { CliError, UsageError } from "../errors";
import { formatTime, shortAddress, txFields, txSuffix } from "../output";
import {
  hashFileOption,
  hashReason,
  parseAddress,
  parseBatchId,
  parseGtin,
  parseOrigin,
  parseQuantity,
  parseTime,
  parseTransformInput,
  parseTransformOutput,
  parseUnit,
  readFileOption,
  repeatable,
  type TransformInput,
  type TransformOutput,
} from "../parse";

/** IProvenanceLedger.BatchStatus, as the indexer and the API name them. */
export const BATCH_STATUS = ["none", "active", "in_transit", "on_hold", "recalled", "consumed", "retired"] as const;

const unitOf = async (chain: ChainContext, batchId: bigint) => formatUnit((await chain.contracts.ledger.batchOf(batchId)).unit);

/** The value of a single-event receipt field, or a clear failure if the event is missing. */
function eventArg(chain: ChainContext, receipt: ContractTransactionReceipt, event: string, arg: string): bigint {
  return requireEvent(chain, receipt, event).args[arg] as bigint;
}

/** `batch ...`: commissioning, custody, observations, transformation, retirement, holds and recalls. */
export function registerBatchCommands(program: Command): void {
  const batch = program.command("batch").description("commission, ship, receive, cancel, inspect, transform, retire, hold and recall batches");

  batch
    .command("commission")
    .description("commission a batch of a registered product (ENTERPRISE); prints the new batch id")
    .requiredOption("--gtin <gtin>", "the product's GTIN", parseGtin)
    .requiredOption("--lot <lot>", "the producer's lot or batch number")
    .requiredOption("--quantity <n>", "quantity, a positive integer in --unit", parseQuantity)
    .requiredOption("--unit <code>", "UN/CEFACT Rec. 20 unit code, e.g. KGM, LTR, H87", parseUnit)
    .requiredOption("--origin <region>", "GB/T 2260 code of the region of production, e.g. 370686", parseOrigin)
    .option("--produced-at <time>", "ISO 8601 date/time or unix seconds (default: the latest block's time)", parseTime)
    .option("--document <path>", "batch record, stored as its SHA-256")
    .action(
      async (
        opts: { gtin: bigint; lot: string; quantity: bigint; unit: string; origin: number; producedAt?: bigint; document?: string },
        command: Command,
      ) => {
        const documentHash = hashFileOption(opts.document, "--document");
        const chain = await openChain(command);
        const { contracts } = await chain.member();
        const producedAt = opts.producedAt ?? (await chain.now());
        const receipt = await chain.send(
          contracts.ledger.commission(opts.gtin, opts.lot, opts.quantity, opts.unit, opts.origin, producedAt, documentHash),
        );
        const batchId = eventArg(chain, receipt, "BatchCommissioned", "batchId");
        const unit = formatUnit(opts.unit);
        const gtin = formatGtin(opts.gtin);
        chain.out.result(
          `Commissioned batch ${batchId}: ${opts.quantity} ${unit} of ${gtin}, lot ${opts.lot}, origin ${opts.origin} ${txSuffix(receipt)}`,
          {
            action: "batch.commission",
            batchId,
            gtin,
            lot: opts.lot,
            quantity: opts.quantity,
            unit,
            originRegion: opts.origin,
            producedAt: formatTime(producedAt),
            documentHash,
            ...txFields(receipt),
          },
        );
      },
    );

  batch
    .command("ship")
    .description("ship all or part of a batch to a member; prints the id of the batch in transit (a child id when partial)")
    .argument("<batchId>", "the batch you hold", parseBatchId)
    .requiredOption("--to <address>", "the receiving member", parseAddress)
    .requiredOption("--quantity <n>", "how much to ship; less than the whole batch splits a child batch off", parseQuantity)
    .option("--carrier <address>", "the LOGISTICS member carrying it", parseAddress)
    .option("--document <path>", "waybill or delivery note, stored as its SHA-256")
    .action(
      async (batchId: bigint, opts: { to: string; quantity: bigint; carrier?: string; document?: string }, command: Command) => {
        const documentHash = hashFileOption(opts.document, "--document");
        const chain = await openChain(command);
        const { contracts } = await chain.member();
        const carrier = opts.carrier ?? ZeroAddress;
        const receipt = await chain.send(contracts.ledger.ship(batchId, opts.to, opts.quantity, carrier, documentHash));
        const shippedId = eventArg(chain, receipt, "BatchShipped", "batchId");
        const unit = await unitOf(chain, shippedId);
        const split = shippedId !== batchId ? `, split from batch ${batchId}` : "";
        const via = opts.carrier ? ` via ${shortAddress(opts.carrier)}` : "";
        chain.out.result(
          `Shipped batch ${shippedId} (${opts.quantity} ${unit}${split}) to ${shortAddress(opts.to)}${via} ${txSuffix(receipt)}`,
          {
            action: "batch.ship",
            batchId: shippedId,
            sourceBatchId: batchId,
            split: shippedId !== batchId,
            quantity: opts.quantity,
            unit,
            to: opts.to,
            carrier: opts.carrier ?? null,
            documentHash,
            ...txFields(receipt),
          },
        );
      },
    );

  batch
    .command("receive")
    .description("take custody of a batch shipped to you")
    .argument("<batchId>", "the batch in transit", parseBatchId)
    .action(async (batchId: bigint, _opts: unknown, command: Command) => {
      const chain = await openChain(command);
      const { contracts } = await chain.member();
      const receipt = await chain.send(contracts.ledger.receiveShipment(batchId));
      const [event] = chain.events(receipt, "BatchReceived");
      const from = String(event?.args.from ?? "");
      chain.out.result(`Received batch ${batchId} from ${shortAddress(from)} ${txSuffix(receipt)}`, {
        action: "batch.receive",
        batchId,
        from,
        ...txFields(receipt),
      });
    });

  batch
    .command("reject")
    .description("refuse a shipment; the batch returns to its shipper")
    .argument("<batchId>", "the batch in transit", parseBatchId)
    .option("--reason <text>", "why (stored as its SHA-256)")
    .action(async (batchId: bigint, opts: { reason?: string }, command: Command) => {
      const reasonHash = hashReason(opts.reason);
      const chain = await openChain(command);
      const { contracts } = await chain.member();
      const receipt = await chain.send(contracts.ledger.rejectShipment(batchId, reasonHash));
      const [event] = chain.events(receipt, "ShipmentRejected");
      const from = String(event?.args.from ?? "");
      chain.out.result(`Rejected batch ${batchId}; it returns to ${shortAddress(from)} ${txSuffix(receipt)}`, {
        action: "batch.reject",
        batchId,
        returnedTo: from,
        reasonHash,
        ...txFields(receipt),
      });
    });

  batch
    .command("cancel")
    .description("call back a shipment you sent that was neither received nor rejected; the batch is yours again")
    .argument("<batchId>", "the batch in transit", parseBatchId)
    .option("--reason <text>", "why (stored as its SHA-256)")
    .action(async (batchId: bigint, opts: { reason?: string }, command: Command) => {
      const reasonHash = hashReason(opts.reason);
      const chain = await openChain(command);
      const { contracts } = await chain.member();
      const receipt = await chain.send(contracts.ledger.cancelShipment(batchId, reasonHash));
      const [event] = chain.events(receipt, "ShipmentCancelled");
      const to = String(event?.args.to ?? "");
      chain.out.result(`Cancelled the shipment of batch ${batchId} to ${shortAddress(to)}; it is back in your custody ${txSuffix(receipt)}`, {
        action: "batch.cancel",
        batchId,
        recipient: to,
        reasonHash,
        ...txFields(receipt),
      });
    });

  batch
    .command("inspect")
    .description("record an inspection result (INSPECTOR members)")
    .argument("<batchId>", "the inspected batch", parseBatchId)
    .option("--passed", "the batch passed")
    .option("--failed", "the batch failed")
    .option("--certificate <path>", "certificate or report, stored as its SHA-256")
    .action(async (batchId: bigint, opts: { passed?: boolean; failed?: boolean; certificate?: string }, command: Command) => {
      if (Boolean(opts.passed) === Boolean(opts.failed)) throw new UsageError("batch inspect needs exactly one of --passed or --failed");
      const passed = Boolean(opts.passed);
      const certificateHash = hashFileOption(opts.certificate, "--certificate");
      const chain = await openChain(command);
      const { contracts } = await chain.member();
      const receipt = await chain.send(contracts.ledger.recordInspection(batchId, passed, certificateHash));
      chain.out.result(`Recorded inspection of batch ${batchId}: ${passed ? "passed" : "failed"} ${txSuffix(receipt)}`, {
        action: "batch.inspect",
        batchId,
        passed,
        certificateHash,
        ...txFields(receipt),
      });
    });

  batch
    .command("reading")
    .description("record an observation (e.g. sensor readings) of a batch by the SHA-256 of a file")
    .argument("<batchId>", "the observed batch", parseBatchId)
    .requiredOption("--file <path>", "the reading; only its SHA-256 goes on-chain")
    .action(async (batchId: bigint, opts: { file: string }, command: Command) => {
      const readingHash = sha256Hex(readFileOption(opts.file, "--file"));
      const chain = await openChain(command);
      const { contracts } = await chain.member();
      const receipt = await chain.send(contracts.ledger.recordReading(batchId, readingHash));
      chain.out.result(`Recorded reading ${readingHash} for batch ${batchId} ${txSuffix(receipt)}`, {
        action: "batch.reading",
        batchId,
        readingHash,
        ...txFields(receipt),
      });
    });

  batch
    .command("transform")
    .description("consume input batches you hold and produce new batches (ENTERPRISE)")
    .requiredOption("--input <batchId:quantity>", "an input and how much of it is consumed (repeatable)", repeatable(parseTransformInput))
    .requiredOption(
      "--output <gtin:quantity:unit:origin:lot>",
      "an output batch, e.g. 6901234567892:1200:LTR:370602:J-01 (repeatable)",
      repeatable(parseTransformOutput),
    )
    .option("--document <path>", "production record, stored as its SHA-256")
    .action(async (opts: { input: TransformInput[]; output: TransformOutput[]; document?: string }, command: Command) => {
      const documentHash = hashFileOption(opts.document, "--document");
      const chain = await openChain(command);
      const { contracts } = await chain.member();
      const receipt = await chain.send(contracts.ledger.transform(opts.input, opts.output, documentHash));
      const event = requireEvent(chain, receipt, "BatchesTransformed");
      const transformationId = event.args.transformationId as bigint;
      const outputIds = Array.from(event.args.outputIds as bigint[]);
      const inputUnits = await Promise.all(opts.input.map((input) => unitOf(chain, input.batchId)));
      const inputs = opts.input.map((input, i) => ({ batchId: input.batchId, quantity: input.quantity, unit: inputUnits[i] }));
      const outputs = opts.output.map((output, i) => ({
        batchId: outputIds[i],
        gtin: formatGtin(output.gtin),
        quantity: output.quantity,
        unit: formatUnit(output.unit),
        originRegion: output.originRegion,
        lot: output.lot,
      }));
      const inputText = inputs.map((input) => `batch ${input.batchId} (${input.quantity} ${input.unit})`).join(", ");
      const outputText = outputs
        .map((output) => `batch ${output.batchId} (${output.quantity} ${output.unit} of ${output.gtin}, lot ${output.lot})`)
        .join(", ");
      chain.out.result(`Transformation ${transformationId} turned ${inputText} into ${outputText} ${txSuffix(receipt)}`, {
        action: "batch.transform",
        transformationId,
        inputs,
        outputs,
        outputIds,
        documentHash,
        ...txFields(receipt),
      });
    });

  batch
    .command("retire")
    .description(
      "take all or part of a batch you hold out of the supply chain for good (destroyed, disposed of, sold to consumers); prints the id of the retired batch (a child id when partial)",
    )
    .argument("<batchId>", "the batch you hold", parseBatchId)
    .requiredOption("--quantity <n>", "how much to retire; less than the whole batch splits a child batch off, which is retired", parseQuantity)
    .option("--reason <text>", "why (stored as its SHA-256)")
    .option("--document <path>", "destruction certificate or sales record, stored as its SHA-256 (instead of --reason)")
    .action(async (batchId: bigint, opts: { quantity: bigint; reason?: string; document?: string }, command: Command) => {
      if (opts.reason !== undefined && opts.document !== undefined) throw new UsageError("batch retire takes --reason or --document, not both");
      const reasonHash = opts.document !== undefined ? hashFileOption(opts.document, "--document") : hashReason(opts.reason);
      const chain = await openChain(command);
      const { contracts } = await chain.member();
      const receipt = await chain.send(contracts.ledger.retire(batchId, opts.quantity, reasonHash));
      const retiredId = eventArg(chain, receipt, "BatchRetired", "batchId");
      const unit = await unitOf(chain, retiredId);
      const split = retiredId !== batchId ? `, split from batch ${batchId}` : "";
      chain.out.result(`Retired batch ${retiredId} (${opts.quantity} ${unit}${split}) ${txSuffix(receipt)}`, {
        action: "batch.retire",
        batchId: retiredId,
        sourceBatchId: batchId,
        split: retiredId !== batchId,
        quantity: opts.quantity,
        unit,
        reasonHash,
        ...txFields(receipt),
      });
    });

  const governance = [
    { name: "hold", method: "hold", done: "Put batch %s on hold", help: "put an active batch on hold (its producer or a REGULATOR)" },
    { name: "release", method: "releaseHold", done: "Released the hold on batch %s", help: "lift a hold (its producer or a REGULATOR)" },
    { name: "recall", method: "recall", done: "Recalled batch %s", help: "recall a batch for good (its producer or a REGULATOR)" },
  ] as const;
  for (const step of governance) {
    batch
      .command(step.name)
      .description(step.help)
      .argument("<batchId>", "the batch", parseBatchId)
      .option("--reason <text>", "why (stored as its SHA-256)")
      .action(async (batchId: bigint, opts: { reason?: string }, command: Command) => {
        const reasonHash = hashReason(opts.reason);
        const chain = await openChain(command);
        const { contracts } = await chain.member();
        const receipt = await chain.send(contracts.ledger[step.method](batchId, reasonHash));
        chain.out.result(`${step.done.replace("%s", String(batchId))} ${txSuffix(receipt)}`, {
          action: `batch.${step.name}`,
          batchId,
          reasonHash,
          ...txFields(receipt),
        });
      });
  }

  batch
    .command("show")
    .description("show a batch's on-chain state")
    .argument("<batchId>", "the batch", parseBatchId)
    .action(async (batchId: bigint, _opts: unknown, command: Command) => {
      const chain = await openChain(command);
      const stored = await chain.contracts.ledger.batchOf(batchId);
      const status = BATCH_STATUS[Number(stored.status)] ?? `status ${stored.status}`;
      if (status === "none") throw new CliError(`batch ${batchId} does not exist (UnknownBatch)`);
      const data = {
        batchId,
        gtin: formatGtin(stored.gtin),
        quantity: stored.quantity,
        unit: formatUnit(stored.unit),
        status,
        producer: stored.producer,
        custodian: stored.custodian,
        pendingRecipient: stored.pendingRecipient === ZeroAddress ? null : stored.pendingRecipient,
        parentId: stored.parentId === 0n ? null : stored.parentId,
        originRegion: Number(stored.originRegion),
      };
      const parts = [
        `Batch ${batchId}: ${data.quantity} ${data.unit} of ${data.gtin}`,
        `status ${status.replace("_", " ")}`,
        `custodian ${data.custodian}`,
        `producer ${data.producer}`,
        `origin ${data.originRegion}`,
        ...(data.parentId !== null ? [`split from batch ${data.parentId}`] : []),
        ...(data.pendingRecipient !== null ? [`shipped to ${data.pendingRecipient}`] : []),
      ];
      chain.out.result(parts.join(", "), data);
    });
}
