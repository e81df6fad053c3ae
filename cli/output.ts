import type { ContractTransactionReceipt } from "ethers";

/** Where a command's result goes: one readable line, or one JSON object with `--json`. */
export interface Output {
  json: boolean;
  /** Prints `summary` (text mode) or `data` (JSON mode) on stdout. */
  result(summary: string, data: Record<string, unknown>): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(summary, data) {
      process.stdout.write((json ? toJson(data) : summary) + "\n");
    },
  };
}

/** JSON with bigints as decimal strings (uint96 quantities and uint256 ids do not fit a double). */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), indent);
}

/** 0x1234…abcd: enough to recognise an address in a one-line summary (`--json` has it in full). */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

export function formatNumber(value: bigint | number): string {
  return value.toLocaleString("en-US");
}

/** "in tx 0x…, gas 54,321" */
export function txSuffix(receipt: ContractTransactionReceipt): string {
  return `in tx ${receipt.hash}, gas ${formatNumber(receipt.gasUsed)}`;
}

/** The transaction fields every write reports in JSON mode. */
export function txFields(receipt: ContractTransactionReceipt): Record<string, unknown> {
  return { txHash: receipt.hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed, from: receipt.from };
}

export function formatTime(seconds: bigint | number): string {
  return new Date(Number(seconds) * 1000).toISOString();
}
