import type { Deployment } from "../../shared/chain/deployments";
import { NotReadyError } from "../errors";
import { NodeUnavailableError, type NodeClient } from "./node-client";
import { prepareTransaction, type PrepareRequest, type PreparedTransaction } from "./prepare";
import { createRelay } from "./relay";
import type { TransactionOutcome } from "./outcome";

export interface TransactionsService {
  prepare(request: PrepareRequest): Promise<PreparedTransaction>;
  relay(signedTransaction: string, waitSeconds: number): Promise<TransactionOutcome>;
  get(hash: string): Promise<TransactionOutcome>;
}

/** An unreachable node is a 503, like an indexer that lags: the request may succeed later. */
async function reachable<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    if (error instanceof NodeUnavailableError) throw new NotReadyError(`the chain node cannot be reached: ${error.message}`);
    throw error;
  }
}

export function createTransactionsService(node: NodeClient, deployment: Deployment): TransactionsService {
  const relay = createRelay(node, deployment);
  return {
    prepare: (request) => reachable(prepareTransaction(node, deployment, request)),
    relay: (signedTransaction, waitSeconds) => reachable(relay.relay(signedTransaction, waitSeconds)),
    get: (hash) => reachable(relay.get(hash)),
  };
}
