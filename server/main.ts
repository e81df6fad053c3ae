import fs from "node:fs";
import { parseConfig } from "../shared/config";
import { readDeployment } from "../shared/chain/deployments";
import { RpcClient } from "../shared/chain/rpc";
import { openConfiguredDatabase } from "../shared/db/client";
import { createLogger } from "../shared/logger";
import { createApp } from "./app";
import { authOptionsFromConfig } from "./auth/settings";
import { documentOptionsFromConfig } from "./documents/document-settings";
import { createFileKeystore } from "./signing/keystore";
import { listen } from "./index";

/** Runs one API instance over the configured database; start as many as the load needs. */
async function main() {
  const config = parseConfig();
  const logger = createLogger("api", config.LOG_LEVEL);
  const database = await openConfiguredDatabase(config);
  const { app, accessLog } = createApp({
    db: database.db,
    logger,
    checkpointWatch: await database.watchCheckpoint(),
    credentialWatch: await database.watchCredentials(),
    rpc: config.RPC_URL ? new RpcClient(config.RPC_URL, config.RPC_TIMEOUT_MS) : undefined,
    // The write routes need the deployment's addresses; without the file they answer 503.
    deployment: fs.existsSync(config.deploymentsFile) ? readDeployment(config.deploymentsFile) : undefined,
    confirmations: config.CONFIRMATIONS,
    readyMaxLagBlocks: config.READY_MAX_LAG_BLOCKS,
    auth: authOptionsFromConfig(config),
    documents: documentOptionsFromConfig(config),
    managedKeys: config.MANAGED_KEYS_PASSPHRASE ? createFileKeystore(config.managedKeysDir, config.MANAGED_KEYS_PASSPHRASE) : undefined,
  });
  if (!config.AUTH_JWT_SECRET) logger.warn("AUTH_JWT_SECRET is not set: sign-in answers 503 and no session token is accepted");
  const server = await listen(app, config.API_HOST, config.API_PORT);
  logger.info(`API listening on http://${config.API_HOST}:${config.API_PORT}`);
  // The access log's last entries are written before the database closes.
  const shutdown = () => server.close(() => void accessLog.flush().then(() => database.close()).then(() => process.exit(0)));
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
