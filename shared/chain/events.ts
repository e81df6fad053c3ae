import type { ContractTransactionReceipt, Interface, Result } from "ethers";

/** The arguments of the first `name` event in a transaction, decoded with `contract`'s ABI. */
export function eventArgs(receipt: ContractTransactionReceipt, contract: { interface: Interface }, name: string): Result {
  for (const log of receipt.logs) {
    const parsed = contract.interface.parseLog(log);
    if (parsed?.name === name) return parsed.args;
  }
  throw new Error(`No ${name} event in transaction ${receipt.hash}`);
}
