import type { Wallet } from "ethers";
import type { Deployment } from "../../shared/chain/deployments";
import { ConflictError } from "../errors";
import type { NodeClient } from "../transactions/node-client";
import type { TransactionOutcome } from "../transactions/outcome";
import { prepareTransaction, type PrepareRequest, type PreparedTransaction } from "../transactions/prepare";
import { createRelay } from "../transactions/relay";
import type { Keystore } from "./keystore";

export type ManagedWrite = Omit<PrepareRequest, "from">;
/**
 * A write, or what builds it inside the member's lane: after the member's earlier writes were handed
 * to the node and before any later one, so it can plan against the chain's pending state (EPCIS
 * capture predicts the ids of the batches it creates so).
 */
export type ManagedWriteSource = ManagedWrite | (() => Promise<ManagedWrite>);

/** One member's sends, one after another, and the nonce its next transaction takes. */
interface Lane {
  tail: Promise<unknown>;
  next: number | undefined;
}

function signPrepared(wallet: Wallet, prepared: PreparedTransaction, nonce: number): Promise<string> {
  return wallet.signTransaction({
    type: prepared.type,
    chainId: prepared.chainId,
    to: prepared.to,
    data: prepared.data,
    value: 0n,
    nonce,
    gasLimit: BigInt(prepared.gasLimit),
    ...(prepared.type === 2
      ? { maxFeePerGas: BigInt(prepared.maxFeePerGas!), maxPriorityFeePerGas: BigInt(prepared.maxPriorityFeePerGas!) }
      : { gasPrice: BigInt(prepared.gasPrice!) }),
  });
}

/**
 * Signs and sends for members whose keys the server keeps (managed signing), through the same
 * prepare (ABI checks, simulation: a refused call is a 422 with the contract's reason) and relay
 * (send once per hash, wait, decode events) as member-signed transactions.
 *
 * Nonces: each member has a lane; a write takes its nonce and is handed to the node before the next
 * write of that member is prepared, so concurrent requests never sign two transactions with one
 * nonce. The lane's nonce is never below the node's pending count (a transaction the member sent
 * elsewhere moves it on); a nonce the node says is used elsewhere resets it. Different members'
 * writes do not wait for each other. One API instance should sign for a given member.
 */
export function createManagedSigner(node: NodeClient, deployment: Deployment, keystore: Keystore) {
  const relay = createRelay(node, deployment);
  const lanes = new Map<string, Lane>();

  function inLane<T>(member: string, task: (lane: Lane) => Promise<T>): Promise<T> {
    const lane = lanes.get(member) ?? { tail: Promise.resolve(), next: undefined };
    lanes.set(member, lane);
    const run = lane.tail.then(() => task(lane));
    lane.tail = run.catch(() => undefined);
    return run;
  }

  /** Prepares, signs and hands the transaction to the node; answers the signed transaction. */
  async function send(member: string, source: ManagedWriteSource): Promise<string> {
    const wallet = await keystore.wallet(member);
    return inLane(member, async (lane) => {
      const write = typeof source === "function" ? await source() : source;
      const prepared = await prepareTransaction(node, deployment, { ...write, from: member });
      const nonce = Math.max(lane.next ?? 0, prepared.nonce);
      const raw = await signPrepared(wallet, prepared, nonce);
      try {
        await relay.relay(raw, 0);
      } catch (error) {
        // Used by a transaction sent elsewhere: ask the node again next time.
        if (error instanceof ConflictError) lane.next = undefined;
        throw error;
      }
      lane.next = nonce + 1;
      return raw;
    });
  }

  return {
    /** Signs `write` as `member`, sends it and waits up to `waitSeconds` for its outcome. */
    async execute(member: string, write: ManagedWriteSource, waitSeconds: number): Promise<TransactionOutcome> {
      const raw = await send(member.toLowerCase(), write);
      // Already sent: relaying the same signed transaction again only waits for it.
      return relay.relay(raw, waitSeconds);
    },
  };
}
export type ManagedSigner = ReturnType<typeof createManagedSigner>;
