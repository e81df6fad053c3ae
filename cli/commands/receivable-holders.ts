import type { Command } from "commander";
import type { ContractTransactionReceipt } from "ethers";
import { globalOptions, openChain, type ChainContext } from "../context";
import { CliError, decodeRevert } from "../errors";
import { currencyCode, formatMoney } from "../money";
import { formatNumber, formatTime, txFields, txSuffix } from "../output";
import { parseAddress, repeatable } from "../parse";
import { PRIVATE_KEY_ENV } from "../signer";
import {
  addressTopic,
  graceText,
  parseBatchSize,
  parseReceivableId,
  receivableEvents,
  receivableStatusName,
  registrationOf,
  scanReceivableLogs,
  uintTopic,
} from "./receivable-common";

/** Holders per `balanceOfBatch` call when checking who still holds an amount. */
const BALANCE_CHUNK = 500;

/**
 * Every member holding a non-zero amount of `receivableId` now: the recipients of its `TransferSingle`
 * and `TransferBatch` logs (the id is not indexed, so each window's transfers are decoded and filtered),
 * searched from its registration block in windows, then checked with `balanceOfBatch`.
 */
export async function currentHolders(chain: ChainContext, receivableId: bigint): Promise<string[]> {
  const receivables = chain.contracts.receivables;
  const iface = receivables.interface;
  const { blockNumber } = await registrationOf(chain, receivableId);
  const topics = [[iface.getEvent("TransferSingle").topicHash, iface.getEvent("TransferBatch").topicHash]];
  const candidates = new Map<string, string>();
  for (const log of await scanReceivableLogs(chain, topics, blockNumber)) {
    const parsed = iface.parseLog(log);
    if (!parsed) continue;
    const ids: bigint[] = parsed.name === "TransferSingle" ? [parsed.args.id as bigint] : Array.from(parsed.args.ids as bigint[]);
    const to = parsed.args.to as string;
    if (ids.includes(receivableId) && BigInt(to) !== 0n) candidates.set(to.toLowerCase(), to);
  }
  const accounts = [...candidates.values()];
  const holders: string[] = [];
  for (let i = 0; i < accounts.length; i += BALANCE_CHUNK) {
    const chunk = accounts.slice(i, i + BALANCE_CHUNK);
    const balances = await receivables.balanceOfBatch(chunk, chunk.map(() => receivableId));
    chunk.forEach((account, j) => balances[j] > 0n && holders.push(account));
  }
  return holders;
}

interface LotRow {
  lotId: bigint;
  amount: bigint;
  pledged: boolean;
  loanId: string | null;
}

/** The live lots `holder` earmarked of `receivableId` (a released or seized lot is gone), with the loan of a pledged one. */
async function lotsOf(chain: ChainContext, receivableId: bigint, holder: string, fromBlock: number): Promise<LotRow[]> {
  const receivables = chain.contracts.receivables;
  const topics = [receivables.interface.getEvent("LotEarmarked").topicHash, null, uintTopic(receivableId), addressTopic(holder)];
  const rows: LotRow[] = [];
  for (const log of await scanReceivableLogs(chain, topics, fromBlock)) {
    const lotId = BigInt(log.topics[1]);
    let lot;
    try {
      lot = await receivables.lotOf(lotId);
    } catch (error) {
      if (decodeRevert(error)?.name === "UnknownLot") continue;
      throw error;
    }
    let loanId: string | null = null;
    if (lot.pledged) loanId = await chain.contracts.liens.lienOn(await receivables.collateralKey(lotId));
    rows.push({ lotId, amount: lot.amount, pledged: lot.pledged, loanId: loanId && BigInt(loanId) !== 0n ? loanId : null });
  }
  return rows;
}

/** Whether a signing key is configured: `show` then reports the signer's own holding. */
function keyConfigured(command: Command): boolean {
  return globalOptions(command).keystore !== undefined || Boolean(process.env[PRIVATE_KEY_ENV]?.trim());
}

/** `receivable settle|show`: settlement of every holder in bounded batches, and the state of a receivable and a holding. */
export function registerHolderCommands(receivable: Command): void {
  receivable
    .command("settle")
    .description(
      "settle each holder's share of the payments so far (anyone): by default every current holder, found from the transfer logs, " +
        "in transactions of --batch-size holders; once fully paid, holders are closed and the receivable is settled",
    )
    .argument("<receivableId>", "the receivable", parseReceivableId)
    .option("--holder <address>", "settle only this holder (repeatable; default: every holder with a non-zero balance)", repeatable(parseAddress))
    .option("--batch-size <n>", "holders per transaction", parseBatchSize, 100)
    .action(async (receivableId: bigint, opts: { holder?: string[]; batchSize: number }, command: Command) => {
      const chain = await openChain(command);
      const receivables = chain.contracts.receivables;
      const view = await receivables.receivableOf(receivableId);
      const holders = opts.holder ?? (await currentHolders(chain, receivableId));
      if (holders.length === 0) {
        throw new CliError(`receivable ${receivableId} has no holder with a non-zero balance (it is ${receivableStatusName(view.status)})`);
      }
      const { contracts } = await chain.member();
      const sent: { tx: ContractTransactionReceipt; holders: number }[] = [];
      let settled = 0n;
      let closed = 0;
      for (let i = 0; i < holders.length; i += opts.batchSize) {
        const batch = holders.slice(i, i + opts.batchSize);
        const tx = await chain.send(contracts.receivables.settleHolders(receivableId, batch));
        sent.push({ tx, holders: batch.length });
        for (const event of receivableEvents(chain, tx, "HolderSettled")) settled += event.args.amount as bigint;
        closed += receivableEvents(chain, tx, "HolderClosed").length;
      }
      const after = await receivables.receivableOf(receivableId);
      const status = receivableStatusName(after.status);
      const currency = view.currency;
      const txText =
        sent.length === 1
          ? txSuffix(sent[0].tx)
          : `in ${sent.length} transactions: ${sent.map(({ tx }) => `${tx.hash} (gas ${formatNumber(tx.gasUsed)})`).join(", ")}`;
      chain.out.result(
        `Settled ${holders.length} holder${holders.length === 1 ? "" : "s"} of receivable ${receivableId}: ${formatMoney(settled, currency)} now, ` +
          `${formatMoney(after.settledTotal, currency)} of ${formatMoney(after.faceValue, currency)} in all; ${closed} closed; status ${status} ${txText}`,
        {
          action: "receivable.settle",
          receivableId,
          holders,
          settled,
          settledTotal: after.settledTotal,
          closed,
          status,
          currency: currencyCode(currency),
          transactions: sent.map(({ tx, holders: count }) => ({ ...txFields(tx), holders: count })),
        },
      );
    });

  receivable
    .command("show")
    .description("show a receivable (status, amounts, due date, overdue flag) and a holding: yours, or --holder's (free, earmarked and settled amounts, lots)")
    .argument("<receivableId>", "the receivable", parseReceivableId)
    .option("--holder <address>", "the holder to show (default: the signing member, when a key is configured)", parseAddress)
    .action(async (receivableId: bigint, opts: { holder?: string }, command: Command) => {
      const chain = await openChain(command);
      const receivables = chain.contracts.receivables;
      const view = await receivables.receivableOf(receivableId); // reverts UnknownReceivable first
      const registration = await registrationOf(chain, receivableId);
      const holder = opts.holder ?? (keyConfigured(command) ? (await chain.member()).address : null);
      const currency = view.currency;
      const money = (amount: bigint) => formatMoney(amount, currency);
      const status = receivableStatusName(view.status);
      const agent = BigInt(view.paymentAgent) === 0n ? null : view.paymentAgent;

      let holding: Record<string, unknown> | null = null;
      let holdingText = "";
      if (holder) {
        const [balance, free, earmarked, settled, lots] = await Promise.all([
          receivables.balanceOf(holder, receivableId),
          receivables.freeAmountOf(receivableId, holder),
          receivables.earmarkedOf(receivableId, holder),
          receivables.settledOf(receivableId, holder),
          lotsOf(chain, receivableId, holder, registration.blockNumber),
        ]);
        holding = { address: holder, balance, free, earmarked, settled, lots };
        const lotText = lots
          .map((lot) => `lot ${lot.lotId} (${money(lot.amount)}${lot.loanId ? `, pledged under loan ${lot.loanId}` : lot.pledged ? ", pledged" : ""})`)
          .join(", ");
        holdingText =
          `; holder ${holder}: ${money(balance)} held, ${money(free)} free, ${money(earmarked)} earmarked` +
          `${lots.length > 0 ? ` in ${lotText}` : ""}, ${money(settled)} settled`;
      }
      const flags = [
        view.overdue ? "overdue" : "not overdue",
        ...(view.disputed ? ["disputed"] : []),
        ...(view.frozen ? ["frozen"] : []),
        ...(view.inSettlement ? ["in settlement"] : []),
      ];
      const summary =
        `Receivable ${receivableId}: ${money(view.faceValue)} owed by ${view.debtor} to ${registration.creditor}, ${status}, ` +
        `due ${formatTime(view.dueDate)}, ${graceText(view.graceSeconds)}, paid ${money(view.paid)}, outstanding ${money(view.outstanding)}, ` +
        `settled ${money(view.settledTotal)}, ${flags.join(", ")}${agent ? `, payment agent ${agent}` : ""}${holdingText}`;
      chain.out.result(summary, {
        receivableId,
        creditor: registration.creditor,
        debtor: view.debtor,
        status,
        currency: currencyCode(currency),
        faceValue: view.faceValue,
        paid: view.paid,
        outstanding: view.outstanding,
        dueDate: formatTime(view.dueDate),
        graceSeconds: Number(view.graceSeconds),
        overdue: view.overdue,
        disputed: view.disputed,
        frozen: view.frozen,
        inSettlement: view.inSettlement,
        settledTotal: view.settledTotal,
        closedTotal: view.closedTotal,
        paymentAgent: agent,
        invoiceHash: registration.invoiceHash,
        documentHash: registration.documentHash,
        holder: holding,
      });
    });
}
