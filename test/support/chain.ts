import { JsonRpcProvider, type JsonRpcSigner } from "ethers";
import { deployContracts } from "../../shared/chain/deploy";
import type { Deployment } from "../../shared/chain/deployments";
import { connectContracts, type LedgerContracts } from "../../shared/chain/contracts";
import { startLocalNode, type LocalNode, type LocalNodeKind } from "../../shared/chain/local-node";
import { freePort } from "../../shared/ports";

export interface TestChain {
  node: LocalNode;
  provider: JsonRpcProvider;
  deployment: Deployment;
  admin: JsonRpcSigner;
  signer(index: number): Promise<JsonRpcSigner>;
  contracts: LedgerContracts;
  rpc(method: string, params?: unknown[]): Promise<unknown>;
  stop(): Promise<void>;
}

/** A real JSON-RPC node (hardhat node by default) with the contracts deployed by the production routine. */
export async function startTestChain(kind: LocalNodeKind = "hardhat"): Promise<TestChain> {
  const node = await startLocalNode({ kind, port: await freePort() });
  const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
  const admin = await provider.getSigner(0);
  const deployment = await deployContracts(admin);
  return {
    node,
    provider,
    deployment,
    admin,
    signer: (index) => provider.getSigner(index),
    contracts: connectContracts(deployment, admin),
    rpc: (method, params = []) => provider.send(method, params),
    async stop() {
      provider.destroy();
      await node.stop();
    },
  };
}
