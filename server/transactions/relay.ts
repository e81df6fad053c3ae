import { Transaction, toQuantity } from "ethers";
import { CONTRACT_NAMES } from "../../shared/chain/contracts";
import type { Deployment } from "../../shared/chain/deployments";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import { NodeError, type NodeClient } from "./node-client";
import { contractAt, outcomeOf, type RawReceipt, type RawTransaction, type TransactionOutcome } from "./outcome";
import { ContractRevertError, isRevert, revertFromData, revertFromNodeError } from "./revert";

const FIELD = "body.signedTransaction";
const refuse = (message: string): never => {
  throw new ValidationError([{ field: FIELD, message }]);
};

/** A signed transaction for one of the deployment's contracts on its chain, or a 400 naming why not. */
export function parseSignedTransaction(raw: string, deployment: Deployment): Transaction {
  let tx: Transaction;
  try {
    tx = Transaction.from(raw);
  } catch (error) {
    return refuse(`is not a serialized transaction (${(error as { shortMessage?: string }).shortMessage ?? (error as Error).message})`);
  }
  if (!tx.signature) return refuse("is not signed: sign the prepared transaction with the sender's key first");
  if (tx.chainId !== BigInt(deployment.chainId)) {
    return refuse(`is signed for chain id ${tx.chainId}; this deployment is on chain id ${deployment.chainId}`);
  }
  if (!contractAt(deployment, tx.to)) {
    const names = CONTRACT_NAMES.map((name) => `${name} ${deployment.contracts[name]}`).join(", ");
    return refuse(`is addressed to ${tx.to ?? "no one (a contract creation)"}, not to one of the deployment's contracts (${names})`);
  }
  return tx;
}

const NONCE_USED = /nonce too low|nonce has already been used|nonce is too low|already imported|replacement transaction underpriced/i;
const MAX_POLL_MS = 500;

/**
 * Relays signed transactions: simulates, sends, waits. The transaction hash is the idempotency key:
 * a transaction the node already knows is never sent again, only looked up and waited for, so a
 * retried request (concurrent or later, to this instance or another) answers the same outcome.
 */
export function createRelay(node: NodeClient, deployment: Deployment) {
  /** Submissions under way in this instance, by hash: concurrent duplicates share one. */
  const submitting = new Map<string, Promise<void>>();

  const lookUp = (hash: string) => node.call<RawTransaction | null>("eth_getTransactionByHash", [hash]);
  const receiptOf = (hash: string) => node.call<RawReceipt | null>("eth_getTransactionReceipt", [hash]);

  async function submit(tx: Transaction, raw: string): Promise<void> {
    const hash = tx.hash!;
    if (await lookUp(hash)) return;
    const call = { from: tx.from, to: tx.to, data: tx.data, value: toQuantity(tx.value) };
    try {
      await node.call("eth_call", [call, "pending"]);
    } catch (error) {
      if (!isRevert(error)) throw error;
      // A duplicate may have been mined meanwhile, so the simulation sees its effect: that is no refusal.
      if (await lookUp(hash)) return;
      throw revertFromNodeError(error);
    }
    try {
      await node.call("eth_sendRawTransaction", [raw]);
    } catch (error) {
      // "already known", or mined although the node answered an error (Hardhat reports a reverted one so).
      if (await lookUp(hash)) return;
      if (!(error instanceof NodeError)) throw error;
      if (NONCE_USED.test(error.message)) {
        throw new ConflictError(`nonce ${tx.nonce} of ${tx.from} is already used by another transaction; prepare the operation again`, {
          hash,
          from: tx.from!.toLowerCase(),
          nonce: tx.nonce,
          node: error.message,
        });
      }
      if (isRevert(error)) throw revertFromNodeError(error, { hash });
      refuse(`was refused by the node: ${error.message}`);
    }
  }

  async function waitForReceipt(hash: string, seconds: number): Promise<RawReceipt | null> {
    const deadline = Date.now() + seconds * 1000;
    for (let delay = 50; ; delay = Math.min(MAX_POLL_MS, delay * 2)) {
      const receipt = await receiptOf(hash);
      if (receipt || Date.now() >= deadline) return receipt;
      await new Promise((resolve) => setTimeout(resolve, Math.min(delay, Math.max(0, deadline - Date.now()))));
    }
  }

  /** A mined, reverted transaction as the 422 it answers: its reason replayed at the block before it. */
  async function revertOf(transaction: RawTransaction, outcome: TransactionOutcome): Promise<ContractRevertError> {
    const extra = { hash: outcome.hash, transaction: outcome };
    if (outcome.gasUsed !== null && BigInt(outcome.gasUsed) === BigInt(transaction.gas)) {
      const message = `the transaction ran out of gas (gas limit ${BigInt(transaction.gas)})`;
      return new ContractRevertError(message, { error: null, args: {}, signature: null, ...extra });
    }
    const call = { from: transaction.from, to: transaction.to, data: transaction.input, value: transaction.value, gas: transaction.gas };
    try {
      await node.call("eth_call", [call, toQuantity(Math.max(0, outcome.blockNumber! - 1))]);
    } catch (error) {
      if (isRevert(error)) return revertFromNodeError(error, extra);
    }
    return revertFromData(undefined, extra);
  }

  /** The outcome of a known transaction; a reverted one throws its 422. */
  async function settle(transaction: RawTransaction, receipt: RawReceipt | null): Promise<TransactionOutcome> {
    const outcome = outcomeOf(deployment, transaction, receipt);
    if (outcome.status === "reverted") throw await revertOf(transaction, outcome);
    return outcome;
  }

  return {
    /** Sends (once) and waits up to `waitSeconds` for the receipt; pending when it did not come. */
    async relay(raw: string, waitSeconds: number): Promise<TransactionOutcome> {
      const tx = parseSignedTransaction(raw, deployment);
      const hash = tx.hash!.toLowerCase();
      let submission = submitting.get(hash);
      if (!submission) {
        submission = submit(tx, raw).finally(() => submitting.delete(hash));
        submitting.set(hash, submission);
      }
      await submission;
      const sent = { hash, from: tx.from!, to: tx.to };
      if (waitSeconds === 0) return outcomeOf(deployment, sent, null);
      const receipt = await waitForReceipt(hash, waitSeconds);
      if (!receipt) return outcomeOf(deployment, sent, null);
      const transaction = (await lookUp(hash)) ?? { ...sent, input: tx.data, value: toQuantity(tx.value), gas: toQuantity(tx.gasLimit), blockNumber: receipt.blockNumber };
      return settle(transaction, receipt);
    },

    /** A transaction sent earlier, by hash: 404 when the node does not know it. */
    async get(hash: string): Promise<TransactionOutcome> {
      const transaction = await lookUp(hash);
      if (!transaction) throw new NotFoundError("Transaction", hash);
      return settle(transaction, await receiptOf(hash));
    },
  };
}

export type Relay = ReturnType<typeof createRelay>;
