import { getAddress, getCreateAddress, type Signer } from "ethers";
import {
  LienRegistry__factory,
  MemberRegistry__factory,
  ProvenanceLedger__factory,
  Receivables__factory,
  WarehouseReceipt__factory,
} from "../../typechain-types";
import type { Deployment } from "./deployments";

/**
 * Deploys the TraceFin contracts with `deployer` and makes `admin` (default: the deployer) the
 * consortium admin. Production, the demo and every test deploy through this one routine.
 *
 * The ledger and the lien registry must know the warehouse-receipt contract, which itself needs
 * both of their addresses, and the lien registry accepts the receivables as collateral from the start.
 * So the five contracts are deployed at consecutive nonces of the deployer (registry n, ledger n+1,
 * lien registry n+2, receipts n+3, receivables n+4) and the addresses of the last two are predicted
 * before they exist. Each transaction carries its nonce explicitly, so another
 * transaction of the deployer slipping in between makes the check at the end fail loudly instead of
 * binding the ledger to someone else's address.
 */
export async function deployContracts(deployer: Signer, admin?: string): Promise<Deployment> {
  const deployerAddress = await deployer.getAddress();
  const provider = deployer.provider!;
  const nonce = await provider.getTransactionCount(deployerAddress, "pending");
  const predictedReceipts = getCreateAddress({ from: deployerAddress, nonce: nonce + 3 });
  const predictedReceivables = getCreateAddress({ from: deployerAddress, nonce: nonce + 4 });

  const registry = await new MemberRegistry__factory(deployer).deploy(admin ?? deployerAddress, { nonce });
  const registryAddress = await registry.getAddress();
  const ledger = await new ProvenanceLedger__factory(deployer).deploy(registryAddress, predictedReceipts, {
    nonce: nonce + 1,
  });
  const liens = await new LienRegistry__factory(deployer).deploy(registryAddress, [predictedReceipts, predictedReceivables], {
    nonce: nonce + 2,
  });
  const receipts = await new WarehouseReceipt__factory(deployer).deploy(
    registryAddress,
    await ledger.getAddress(),
    await liens.getAddress(),
    { nonce: nonce + 3 },
  );
  const receivables = await new Receivables__factory(deployer).deploy(registryAddress, await liens.getAddress(), {
    nonce: nonce + 4,
  });

  const [registryReceipt, , , receiptsReceipt, receivablesReceipt] = await Promise.all(
    [registry, ledger, liens, receipts, receivables].map((contract) => contract.deploymentTransaction()!.wait()),
  );
  // The addresses the node actually created, not the ones ethers derives from the nonces we asked for.
  for (const [name, created, predicted] of [
    ["WarehouseReceipt", receiptsReceipt?.contractAddress, predictedReceipts],
    ["Receivables", receivablesReceipt?.contractAddress, predictedReceivables],
  ] as const) {
    if (!created || getAddress(created) !== predicted) {
      throw new Error(
        `${name} was deployed at ${created ?? "no address"}, not at ${predicted} as the contracts before it ` +
          `were told: another transaction of ${deployerAddress} took one of the nonces ${nonce}-${nonce + 4}. ` +
          `Deploy again from an account nothing else sends from.`,
      );
    }
  }

  const network = await provider.getNetwork();
  return {
    chainId: Number(network.chainId),
    startBlock: registryReceipt!.blockNumber,
    deployer: deployerAddress,
    deployedAt: new Date().toISOString(),
    contracts: {
      MemberRegistry: registryAddress,
      ProvenanceLedger: await ledger.getAddress(),
      LienRegistry: await liens.getAddress(),
      WarehouseReceipt: predictedReceipts,
      Receivables: predictedReceivables,
    },
  };
}
