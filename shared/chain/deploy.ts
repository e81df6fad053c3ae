import type { Signer } from "ethers";
import { MemberRegistry__factory, ProvenanceLedger__factory } from "../../typechain-types";
import type { Deployment } from "./deployments";

/**
 * Deploys the TraceFin contracts with `deployer` and makes `admin` (default: the deployer) the
 * consortium admin. Production, the demo and every test deploy through this one routine.
 */
export async function deployContracts(deployer: Signer, admin?: string): Promise<Deployment> {
  const deployerAddress = await deployer.getAddress();
  const registry = await new MemberRegistry__factory(deployer).deploy(admin ?? deployerAddress);
  const registryReceipt = await registry.deploymentTransaction()!.wait();
  const ledger = await new ProvenanceLedger__factory(deployer).deploy(await registry.getAddress());
  await ledger.waitForDeployment();
  const network = await deployer.provider!.getNetwork();
  return {
    chainId: Number(network.chainId),
    startBlock: registryReceipt!.blockNumber,
    deployer: deployerAddress,
    deployedAt: new Date().toISOString(),
    contracts: {
      MemberRegistry: await registry.getAddress(),
      ProvenanceLedger: await ledger.getAddress(),
    },
  };
}
