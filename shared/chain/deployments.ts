import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { CONTRACT_NAMES } from "./contracts";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);

/** The deployments file: written by the deploy script, read by the indexer, the server and the CLI. */
const deploymentSchema = z.object({
  chainId: z.number().int().positive(),
  /** First block the indexer reads: the block of the first deployment transaction. */
  startBlock: z.number().int().nonnegative(),
  deployer: address,
  deployedAt: z.string(),
  contracts: z.object(Object.fromEntries(CONTRACT_NAMES.map((name) => [name, address])) as Record<
    (typeof CONTRACT_NAMES)[number],
    typeof address
  >),
});

export type Deployment = z.infer<typeof deploymentSchema>;

export function readDeployment(file: string): Deployment {
  if (!fs.existsSync(file)) {
    throw new Error(`No deployments file at ${file}: deploy the contracts first (npm run deploy).`);
  }
  const parsed = deploymentSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`Deployments file ${file} is invalid: ${parsed.error.message}`);
  return parsed.data;
}

export function writeDeployment(file: string, deployment: Deployment): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(deploymentSchema.parse(deployment), null, 2) + "\n");
}
