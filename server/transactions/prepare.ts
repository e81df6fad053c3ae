import type { ContractName } from "../../shared/chain/contracts";
import { contractInterfaces } from "../../shared/chain/contracts";
import type { Deployment } from "../../shared/chain/deployments";
import { ValidationError } from "../errors";
import { abiArguments } from "./abi-arguments";
import { suggestFees, type SuggestedFees } from "./fees";
import type { NodeClient } from "./node-client";
import { describeCall, resolveFunction } from "./operations";
import { isRevert, revertFromNodeError } from "./revert";

export interface PrepareRequest {
  contract: ContractName;
  function: string;
  args: Record<string, unknown>;
  from: string;
}

export interface PreparedTransaction extends SuggestedFees {
  chainId: number;
  from: string;
  to: string;
  data: string;
  value: "0";
  nonce: number;
  gasEstimate: string;
  gasLimit: string;
  function: string;
  description: string;
}

/** Headroom over the estimate for the gas limit to sign: the state may move a little before mining. */
const GAS_HEADROOM_PERCENT = 25n;

/**
 * An unsigned transaction for one contract operation, simulated from `from` first: a call the
 * contract would refuse answers 422 with the contract's reason instead of a transaction to sign.
 */
export async function prepareTransaction(node: NodeClient, deployment: Deployment, request: PrepareRequest): Promise<PreparedTransaction> {
  const fragment = resolveFunction(request.contract, request.function, Object.keys(request.args));
  const { values, problems } = abiArguments(fragment, request.args, "body.args");
  if (problems.length > 0) throw new ValidationError(problems);

  const to = deployment.contracts[request.contract].toLowerCase();
  const data = contractInterfaces[request.contract].encodeFunctionData(fragment, values);
  const call = { from: request.from, to, data };
  try {
    await node.call("eth_call", [call, "pending"]);
  } catch (error) {
    if (isRevert(error)) throw revertFromNodeError(error);
    throw error;
  }
  const [gas, nonce, fees] = await Promise.all([
    node.call<string>("eth_estimateGas", [call]).catch((error) => {
      throw isRevert(error) ? revertFromNodeError(error) : error;
    }),
    node.call<string>("eth_getTransactionCount", [request.from, "pending"]),
    suggestFees(node),
  ]);
  const gasEstimate = BigInt(gas);
  return {
    chainId: deployment.chainId,
    from: request.from,
    to,
    data,
    value: "0",
    nonce: Number(nonce),
    gasEstimate: gasEstimate.toString(),
    gasLimit: ((gasEstimate * (100n + GAS_HEADROOM_PERCENT)) / 100n).toString(),
    ...fees,
    function: fragment.format("sighash"),
    description: describeCall(request.contract, fragment, request.args),
  };
}
