import { parseConfig } from "../shared/config";
import { readDeployment } from "../shared/chain/deployments";
import { RpcClient } from "../shared/chain/rpc";
import { openConfiguredDatabase } from "../shared/db/client";
import { createLogger } from "../shared/logger";
import { createIndexer } from "./sync";

/** Runs the indexer alone (production: one indexer, any number of API instances over one database). */
async function main() {
  const config = parseConfig();
  const logger = createLogger("indexer", config.LOG_LEVEL);
  if (!config.RPC_URL) throw new Error("RPC_URL is required to run the indexer on its own");
  const deployment = readDeployment(config.deploymentsFile);
  const database = await openConfiguredDatabase(config);
  const indexer = createIndexer({
    db: database.db,
    rpc: new RpcClient(config.RPC_URL, config.RPC_TIMEOUT_MS),
    deployment,
    logger,
    confirmations: config.CONFIRMATIONS,
    reorgWindow: config.REORG_WINDOW,
    maxBlockRange: config.MAX_BLOCK_RANGE,
    pollIntervalMs: config.POLL_INTERVAL_MS,
  });
  const controller = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => controller.abort());
  logger.info("Indexing", { chainId: deployment.chainId, startBlock: deployment.startBlock, database: database.kind });
  try {
    await indexer.run(controller.signal);
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
