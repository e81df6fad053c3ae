import type { ContractTransactionResponse } from "ethers";

/** One line of the gas table; `target` is the most gas the operation may use. */
export interface Row {
  operation: string;
  gas: bigint | number;
  target?: number;
  note: string;
}

/** `gasUsed` of the mined transaction (including the 21,000 base cost and calldata). */
export async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (!receipt || receipt.status !== 1) throw new Error("transaction failed");
  return receipt.gasUsed;
}
