import { CONTRACT_NAMES, contractInterfaces, type ContractName } from "../../shared/chain/contracts";
import type { Deployment } from "../../shared/chain/deployments";
import { namedValues } from "./json-values";

/** A transaction as eth_getTransactionByHash answers it (the fields used here). */
export interface RawTransaction {
  hash: string;
  from: string;
  to: string | null;
  input: string;
  value: string;
  gas: string;
  blockNumber: string | null;
}

/** A receipt as eth_getTransactionReceipt answers it (the fields used here). */
export interface RawReceipt {
  transactionHash: string;
  blockNumber: string;
  gasUsed: string;
  status: string;
  from: string;
  to: string | null;
  logs: { address: string; topics: string[]; data: string }[];
}

export interface TransactionEvent {
  contract: ContractName;
  name: string;
  args: Record<string, unknown>;
}

export interface TransactionOutcome {
  hash: string;
  status: "success" | "reverted" | "pending";
  blockNumber: number | null;
  gasUsed: string | null;
  from: string;
  to: string | null;
  contract: ContractName | null;
  events: TransactionEvent[];
}

/** The deployment's contract at `address`, by name; null for any other address. */
export function contractAt(deployment: Deployment, address: string | null | undefined): ContractName | null {
  if (!address) return null;
  const lower = address.toLowerCase();
  return CONTRACT_NAMES.find((name) => deployment.contracts[name].toLowerCase() === lower) ?? null;
}

/** The events of the deployment's contracts in a receipt, decoded with their ABIs and named arguments. */
export function decodeEvents(deployment: Deployment, logs: RawReceipt["logs"]): TransactionEvent[] {
  const events: TransactionEvent[] = [];
  for (const log of logs) {
    const contract = contractAt(deployment, log.address);
    if (!contract) continue;
    const parsed = contractInterfaces[contract].parseLog({ topics: log.topics, data: log.data });
    if (!parsed) continue;
    events.push({ contract, name: parsed.name, args: namedValues(parsed.fragment.inputs, parsed.args) });
  }
  return events;
}

/** What happened to a transaction: pending without a receipt, else its status, gas and events. */
export function outcomeOf(deployment: Deployment, transaction: { hash: string; from: string; to: string | null }, receipt: RawReceipt | null): TransactionOutcome {
  const base = {
    hash: transaction.hash.toLowerCase(),
    from: transaction.from.toLowerCase(),
    to: transaction.to ? transaction.to.toLowerCase() : null,
    contract: contractAt(deployment, transaction.to),
  };
  if (!receipt) return { ...base, status: "pending", blockNumber: null, gasUsed: null, events: [] };
  const success = BigInt(receipt.status) === 1n;
  return {
    ...base,
    status: success ? "success" : "reverted",
    blockNumber: Number(receipt.blockNumber),
    gasUsed: BigInt(receipt.gasUsed).toString(),
    events: success ? decodeEvents(deployment, receipt.logs) : [],
  };
}
