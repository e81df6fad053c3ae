import type { RouteTable } from "../http/route";
import { NotReadyError } from "../errors";
import type { TransactionsService } from "./transactions.service";
import {
  prepareBody, preparedTransactionSchema, relayBody, relayQuery, transactionOutcomeSchema, transactionParams,
} from "./transactions.schemas";

const TAG = "Transactions";

const FLOW =
  "Writes are non-custodial: the API never holds a key. (1) POST /api/v1/transactions/prepare answers an unsigned " +
  "transaction for one contract operation, simulated from the sender; (2) the member signs it with its own key " +
  "(wallet, HSM, core banking system); (3) POST /api/v1/transactions relays the signed transaction and answers its " +
  "outcome with the decoded events. Authorization is the contracts' own: every function checks the sender's roles " +
  "in the MemberRegistry. A call the contract refuses answers 422 CONTRACT_REVERT with the custom error's name, " +
  "named arguments and a sentence explaining it.";

/** Without the chain node and the deployment the API cannot write; the routes stay documented and answer 503. */
function ready(service: TransactionsService | undefined): TransactionsService {
  if (!service) throw new NotReadyError("writes need RPC_URL and the deployment", { reason: "no chain node or deployment configured" });
  return service;
}

export function transactionRoutes(routes: RouteTable, service: TransactionsService | undefined): void {
  routes.add({
    method: "post",
    path: "/api/v1/transactions/prepare",
    operationId: "prepareTransaction",
    tag: TAG,
    summary: "Prepare an unsigned transaction for any contract operation, simulated from the sender",
    description:
      `${FLOW}\n\nEvery argument is checked against the ABI; each bad one is a 400 problem named body.args.<name>. ` +
      "The call is simulated with eth_call from `from` at the pending block: a revert answers 422. The answer has " +
      "everything to sign: chainId, to, data, value, nonce (the sender's pending count), gasLimit and fees " +
      "(type 2 with maxFeePerGas and maxPriorityFeePerGas, or type 0 with gasPrice). Functions only another " +
      "contract may call (the collateral modules' lock, unlock, seize and releasePart hooks for the LienRegistry; " +
      "the ProvenanceLedger's lockForReceipt, splitLocked and releaseFromReceipt for the WarehouseReceipt) and " +
      "read-only functions are refused.",
    body: prepareBody,
    response: preparedTransactionSchema,
    errorStatuses: [422, 503],
    handler: ({ body }) => ready(service).prepare(body),
  });
  routes.add({
    method: "post",
    path: "/api/v1/transactions",
    operationId: "relayTransaction",
    tag: TAG,
    summary: "Relay a signed transaction, wait for it and answer its outcome and events",
    description:
      `${FLOW}\n\nThe transaction must be signed, for this deployment's chain id and addressed to one of its ` +
      "contracts (else 400 on body.signedTransaction). It is simulated from its signer first: a revert answers 422 " +
      "and nothing is sent. Then it is sent and its receipt awaited for `wait` seconds: 200 with status success and " +
      "the events (ReceivableRegistered.receivableId, SaleOffered.saleId, ... carry the new ids); 202 with status " +
      "pending when the receipt did not come in time (or wait=0): follow it with GET /api/v1/transactions/{hash}; " +
      "422 CONTRACT_REVERT when it was mined but reverted (details.transaction holds the outcome). The hash is the " +
      "idempotency key: sending the same signed transaction again, even concurrently, never makes a second " +
      "transaction and answers the same outcome. 409 when the nonce was used by another transaction.",
    query: relayQuery,
    body: relayBody,
    response: transactionOutcomeSchema,
    alsoSucceeds: [{ status: 202, description: "Sent, not yet mined within `wait` seconds: status pending" }],
    errorStatuses: [409, 422, 503],
    handler: async ({ body, query, res }) => {
      const outcome = await ready(service).relay(body.signedTransaction, query.wait);
      if (outcome.status === "pending") res.status(202);
      return outcome;
    },
  });
  routes.add({
    method: "get",
    path: "/api/v1/transactions/:hash",
    operationId: "getTransaction",
    tag: TAG,
    summary: "The outcome of a transaction sent earlier: pending, or its status, gas and events",
    description:
      "Follows a transaction of the sign-and-relay flow (or one sent any other way) after POST /api/v1/transactions " +
      "answered 202. The same outcome as the relay answers: status pending while it is not mined; success with its decoded " +
      "events; a reverted one answers 422 CONTRACT_REVERT with the reason replayed at its block. 404 when the " +
      "node does not know the hash.",
    params: transactionParams,
    response: transactionOutcomeSchema,
    errorStatuses: [404, 422, 503],
    handler: ({ params }) => ready(service).get(params.hash),
  });
}
