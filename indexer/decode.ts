import type { LogDescription } from "ethers";
import { contractInterfaces, CONTRACT_NAMES, type ContractName } from "../shared/chain/contracts";
import type { Deployment } from "../shared/chain/deployments";
import type { RpcLog } from "../shared/chain/rpc";

/** A log decoded with the compiled ABI of the contract that emitted it. */
export interface DecodedEvent {
  contract: ContractName;
  name: string;
  args: LogDescription["args"];
  log: RpcLog;
}

export interface EventDecoder {
  addresses: string[];
  decode(log: RpcLog): DecodedEvent;
}

export function createDecoder(deployment: Deployment): EventDecoder {
  const byAddress = new Map<string, ContractName>(
    CONTRACT_NAMES.map((name) => [deployment.contracts[name].toLowerCase(), name]),
  );
  return {
    addresses: [...byAddress.keys()],
    decode(log) {
      const contract = byAddress.get(log.address);
      if (!contract) throw new Error(`Log from unexpected address ${log.address} in tx ${log.transactionHash}`);
      const parsed = contractInterfaces[contract].parseLog({ topics: log.topics, data: log.data });
      if (!parsed) {
        throw new Error(`Unknown event ${log.topics[0]} from ${contract} in tx ${log.transactionHash}`);
      }
      return { contract, name: parsed.name, args: parsed.args, log };
    },
  };
}
