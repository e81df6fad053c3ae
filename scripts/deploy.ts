import { JsonRpcProvider, Wallet } from "ethers";
import { parseConfig } from "../shared/config";
import { deployContracts } from "../shared/chain/deploy";
import { writeDeployment } from "../shared/chain/deployments";

/**
 * Deploys the contracts to any EVM JSON-RPC network and writes the deployments file the indexer,
 * the API and the CLI read:  RPC_URL=https://... DEPLOYER_KEY=0x... [ADMIN_ADDRESS=0x...] npm run deploy
 */
async function main() {
  const config = parseConfig();
  if (!config.RPC_URL || !config.DEPLOYER_KEY) {
    throw new Error("Set RPC_URL and DEPLOYER_KEY (and optionally ADMIN_ADDRESS, DEPLOYMENTS_FILE) to deploy.");
  }
  const provider = new JsonRpcProvider(config.RPC_URL);
  const deployer = new Wallet(config.DEPLOYER_KEY, provider);
  const admin = process.env.ADMIN_ADDRESS;
  console.log(`Deploying from ${deployer.address} to chain ${(await provider.getNetwork()).chainId}...`);
  const deployment = await deployContracts(deployer, admin);
  writeDeployment(config.deploymentsFile, deployment);
  console.log(`MemberRegistry   ${deployment.contracts.MemberRegistry}`);
  console.log(`ProvenanceLedger ${deployment.contracts.ProvenanceLedger}`);
  console.log(`WarehouseReceipt ${deployment.contracts.WarehouseReceipt}`);
  console.log(`LienRegistry     ${deployment.contracts.LienRegistry}`);
  console.log(`Start block      ${deployment.startBlock}`);
  console.log(`Consortium admin ${admin ?? deployer.address}`);
  console.log(`Wrote ${config.deploymentsFile}`);
  provider.destroy();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
