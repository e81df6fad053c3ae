import type { NodeClient } from "./node-client";

export interface SuggestedFees {
  /** 2 (EIP-1559) when the chain has a base fee; 0 (legacy, gasPrice) otherwise. */
  type: 0 | 2;
  maxFeePerGas: string | null;
  maxPriorityFeePerGas: string | null;
  gasPrice: string | null;
}

const ONE_GWEI = 1_000_000_000n;

/**
 * Fees to sign with: EIP-1559 from the next block's base fee (eth_feeHistory), doubled to survive a
 * few full blocks, plus the node's suggested tip; eth_gasPrice on a chain without a base fee.
 */
export async function suggestFees(node: NodeClient): Promise<SuggestedFees> {
  const history = await node.call<{ baseFeePerGas?: string[] }>("eth_feeHistory", ["0x1", "latest", []]).catch(() => undefined);
  const nextBaseFee = history?.baseFeePerGas?.at(-1);
  if (nextBaseFee !== undefined) {
    const tip = await node
      .call<string>("eth_maxPriorityFeePerGas", [])
      .then(BigInt)
      .catch(() => ONE_GWEI);
    return {
      type: 2,
      maxFeePerGas: (2n * BigInt(nextBaseFee) + tip).toString(),
      maxPriorityFeePerGas: tip.toString(),
      gasPrice: null,
    };
  }
  const gasPrice = BigInt(await node.call<string>("eth_gasPrice", []));
  return { type: 0, maxFeePerGas: null, maxPriorityFeePerGas: null, gasPrice: gasPrice.toString() };
}
