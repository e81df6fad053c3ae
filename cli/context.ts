import {
  isError,
  JsonRpcProvider,
  type Interface,
  type ContractTransactionReceipt,
  type ContractTransactionResponse,
  type LogDescription,
  type Signer,
} from "ethers";
import type { Command } from "commander";
import { connectContracts, type LedgerContracts } from "../shared/chain/contracts";
import { readDeployment, type Deployment } from "../shared/chain/deployments";
import { parseConfig } from "../shared/config";
import { CliError, UsageError } from "./errors";
import { createOutput, type Output } from "./output";
import { loadWallet } from "./signer";

export const DEFAULT_RPC_URL = "http://127.0.0.1:8545";

/** Options defined on the program and valid after any command. */
export interface GlobalOptions {
  rpc?: string;
  deployments?: string;
  keystore?: string;
  json?: boolean;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

export function outputFor(command: Command): Output {
  return createOutput(Boolean(globalOptions(command).json));
}

export function rpcUrlOf(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string {
  return options.rpc ?? env.RPC_URL ?? DEFAULT_RPC_URL;
}

/** The signing member: its address, its wallet (for off-chain signatures) and the contracts bound to it. */
export interface Member {
  address: string;
  signer: Signer;
  contracts: LedgerContracts;
}

export interface ChainContext {
  out: Output;
  rpcUrl: string;
  provider: JsonRpcProvider;
  deployment: Deployment;
  /** Read-only contracts. */
  contracts: LedgerContracts;
  /** The member's wallet and contracts bound to it (loads the key on first use). */
  member(): Promise<Member>;
  /** Waits for a transaction; a mined-but-reverted one is replayed to recover its custom error. */
  send(pending: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt>;
  /** The timestamp of the latest block: durations such as `90d` count from it. */
  now(): Promise<bigint>;
  /** Events of the deployed contracts in a receipt, by name. */
  events(receipt: ContractTransactionReceipt, name: string): LogDescription[];
}

/** The one `name` event a transaction must have emitted, or a clear failure if it is missing. */
export function requireEvent(chain: ChainContext, receipt: ContractTransactionReceipt, name: string): LogDescription {
  const [found] = chain.events(receipt, name);
  if (!found) throw new CliError(`transaction ${receipt.hash} emitted no ${name} event`);
  return found;
}

const openProviders = new Set<JsonRpcProvider>();

/** Stops every provider opened by this process, so the CLI exits promptly. */
export function closeConnections(): void {
  for (const provider of openProviders) provider.destroy();
  openProviders.clear();
}

export async function openChain(command: Command): Promise<ChainContext> {
  const options = globalOptions(command);
  const out = createOutput(Boolean(options.json));
  const rpcUrl = rpcUrlOf(options);
  const deploymentsFile = options.deployments ?? parseConfig().deploymentsFile;
  let deployment: Deployment;
  try {
    deployment = readDeployment(deploymentsFile);
  } catch (error) {
    throw new UsageError(`--deployments: ${(error as Error).message}`);
  }

  // No response cache: a command sending several transactions must see each one's nonce used.
  const provider = new JsonRpcProvider(rpcUrl, deployment.chainId, { staticNetwork: true, pollingInterval: 1000, cacheTimeout: -1 });
  openProviders.add(provider);
  const [chainId, code] = await Promise.all([
    provider.send("eth_chainId", []) as Promise<string>,
    provider.getCode(deployment.contracts.ProvenanceLedger),
  ]);
  if (BigInt(chainId) !== BigInt(deployment.chainId)) {
    throw new CliError(`the node at ${rpcUrl} runs chain ${BigInt(chainId)}, but ${deploymentsFile} is for chain ${deployment.chainId}`);
  }
  if (code === "0x") {
    throw new CliError(`no ProvenanceLedger at ${deployment.contracts.ProvenanceLedger} on ${rpcUrl}: is ${deploymentsFile} from this chain?`);
  }

  const contracts = connectContracts(deployment, provider);
  const interfaceByAddress = new Map<string, Interface>(
    [contracts.registry, contracts.ledger, contracts.receipts, contracts.liens].map((contract) => [
      String(contract.target).toLowerCase(),
      contract.interface as unknown as Interface,
    ]),
  );
  let member: Promise<Member> | undefined;
  return {
    out,
    rpcUrl,
    provider,
    deployment,
    contracts,
    member() {
      member ??= loadWallet(options.keystore).then((wallet) => {
        const connected = wallet.connect(provider);
        return { address: connected.address, signer: connected, contracts: connectContracts(deployment, connected) };
      });
      return member;
    },
    async send(pending) {
      const tx = await pending;
      try {
        const receipt = await tx.wait();
        if (!receipt) throw new CliError(`transaction ${tx.hash} was not mined`);
        return receipt;
      } catch (error) {
        if (isError(error, "CALL_EXCEPTION") && error.receipt) {
          // Re-run the call at the state it was mined on, to get the revert data.
          await provider.call({ from: tx.from, to: tx.to, data: tx.data, blockTag: error.receipt.blockNumber - 1 });
        }
        throw error;
      }
    },
    async now() {
      const block = await provider.getBlock("latest");
      if (!block) throw new CliError(`the node at ${rpcUrl} returned no latest block`);
      return BigInt(block.timestamp);
    },
    events(receipt, name) {
      const found: LogDescription[] = [];
      for (const log of receipt.logs) {
        const parsed = interfaceByAddress.get(log.address.toLowerCase())?.parseLog(log) as LogDescription | null | undefined;
        if (parsed?.name === name) found.push(parsed);
      }
      return found;
    },
  };
}
