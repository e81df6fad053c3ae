import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { JsonRpcProvider, Wallet, type Signer } from "ethers";
import { parseConfig, type AppConfig } from "../shared/config";
import { deployContracts } from "../shared/chain/deploy";
import { readDeployment, writeDeployment, type Deployment } from "../shared/chain/deployments";
import { startLocalNode, type LocalNodeKind } from "../shared/chain/local-node";
import { RpcClient } from "../shared/chain/rpc";
import { openConfiguredDatabase } from "../shared/db/client";
import { resetReadModel } from "../shared/db/reset";
import { createLogger, type Logger } from "../shared/logger";
import { createIndexer, FatalIndexerError } from "../indexer/sync";
import { createApp } from "../server/app";
import { authOptionsFromConfig } from "../server/auth/settings";
import { loadOrCreateJwtSecret, loadOrCreateSecret } from "../server/auth/secrets-file";
import { documentOptionsFromConfig } from "../server/documents/document-settings";
import { createFileKeystore } from "../server/signing/keystore";
import { issueDemoCredentials, type DemoCredentials } from "./demo/credentials";
import { listen } from "../server/index";
import { DEMO_MEMBERS, loadDemoScenario, type DemoResult } from "./demo/scenario";

const USAGE = `Usage: npm start [-- --chain hardhat|anvil] [--fresh] [--no-demo]

  --chain hardhat  embedded Hardhat node (default); it keeps no state, so every start is fresh
  --chain anvil    embedded anvil whose state file under DATA_DIR survives restarts: a restart resumes
  --fresh          discard the embedded chain's state and the read model, and start over
  --no-demo        do not load the demo story on a fresh chain
With RPC_URL set, the external chain is used instead and a restart always resumes from the checkpoint.`;

interface ChainSetup {
  url: string;
  description: string;
  deployment: Deployment;
  /** True when the chain starts from genesis, so the read model must start empty too. */
  fresh: boolean;
  demoSigners?: Signer[];
  stop(): Promise<void>;
}

async function externalChain(config: AppConfig, logger: Logger): Promise<ChainSetup> {
  const url = config.RPC_URL!;
  let deployment: Deployment;
  if (fs.existsSync(config.deploymentsFile)) {
    deployment = readDeployment(config.deploymentsFile);
    logger.info(`Using the deployment in ${config.deploymentsFile}; indexing resumes from its checkpoint`);
  } else if (config.DEPLOYER_KEY) {
    const provider = new JsonRpcProvider(url);
    deployment = await deployContracts(new Wallet(config.DEPLOYER_KEY, provider));
    writeDeployment(config.deploymentsFile, deployment);
    provider.destroy();
    logger.info(`Deployed the contracts; wrote ${config.deploymentsFile}`);
  } else {
    throw new Error(`No deployments file at ${config.deploymentsFile}: set DEPLOYER_KEY to deploy, or DEPLOYMENTS_FILE.`);
  }
  return { url, description: `external chain ${deployment.chainId}`, deployment, fresh: false, stop: async () => {} };
}

async function embeddedChain(config: AppConfig, kind: LocalNodeKind, fresh: boolean, logger: Logger): Promise<ChainSetup> {
  const stateFile = path.resolve(config.DATA_DIR, "anvil-state.json");
  if (fresh) fs.rmSync(stateFile, { force: true });
  fs.mkdirSync(config.DATA_DIR, { recursive: true });
  const node = await startLocalNode({ kind, port: config.CHAIN_PORT, stateFile: kind === "anvil" ? stateFile : undefined });
  const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, pollingInterval: 100 });
  const signers = await Promise.all(Array.from({ length: DEMO_MEMBERS.length + 1 }, (_, i) => provider.getSigner(i)));

  const previous = fs.existsSync(config.deploymentsFile) ? readDeployment(config.deploymentsFile) : undefined;
  const resumable =
    kind === "anvil" && previous !== undefined && (await provider.getCode(previous.contracts.ProvenanceLedger)) !== "0x";
  let deployment: Deployment;
  if (resumable) {
    deployment = previous;
    logger.info(`Resuming the embedded anvil chain from ${stateFile}`);
  } else {
    logger.info(
      kind === "hardhat"
        ? "The embedded Hardhat chain starts from genesis (it keeps no state): deploying afresh and rebuilding the read model"
        : "Starting a new embedded anvil chain: deploying and rebuilding the read model",
    );
    deployment = await deployContracts(signers[0]);
    writeDeployment(config.deploymentsFile, deployment);
  }
  return {
    url: node.url,
    description: `embedded ${kind} node, chain id ${deployment.chainId}`,
    deployment,
    fresh: !resumable,
    demoSigners: signers,
    stop: async () => {
      provider.destroy();
      await node.stop();
    },
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      chain: { type: "string", default: process.env.CHAIN ?? "hardhat" },
      fresh: { type: "boolean", default: false },
      "no-demo": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  if (values.chain !== "hardhat" && values.chain !== "anvil") throw new Error(`--chain must be hardhat or anvil\n\n${USAGE}`);
  const config = parseConfig();
  const logger = createLogger("tracefin", config.LOG_LEVEL);
  const embedded = !config.RPC_URL;
  if (values.fresh && embedded && !config.DATABASE_URL) fs.rmSync(config.pgliteDir, { recursive: true, force: true });

  const chain = embedded
    ? await embeddedChain(config, values.chain, values.fresh, logger)
    : await externalChain(config, logger);
  const stops: (() => Promise<void>)[] = [chain.stop];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => logger.warn(`Shutdown: ${error.message}`));
  };

  try {
    const database = await openConfiguredDatabase(config);
    stops.push(() => database.close());
    if (chain.fresh) await resetReadModel(database.db);

    const rpc = new RpcClient(chain.url, config.RPC_TIMEOUT_MS);
    const indexer = createIndexer({
      db: database.db,
      rpc,
      deployment: chain.deployment,
      logger: createLogger("indexer", config.LOG_LEVEL),
      confirmations: config.CONFIRMATIONS,
      reorgWindow: config.REORG_WINDOW,
      maxBlockRange: config.MAX_BLOCK_RANGE,
      pollIntervalMs: embedded ? Math.min(config.POLL_INTERVAL_MS, 250) : config.POLL_INTERVAL_MS,
    });
    try {
      await indexer.syncToHead();
    } catch (error) {
      // On the embedded chain the database is only ever a projection of it: rebuild rather than refuse.
      if (!(error instanceof FatalIndexerError) || !embedded) throw error;
      logger.warn(`The read model disagrees with the embedded chain (${error.message}); rebuilding it`);
      await resetReadModel(database.db);
      await indexer.syncToHead();
    }

    const controller = new AbortController();
    const indexing = indexer.run(controller.signal).catch((error) => {
      logger.error(`Indexer stopped: ${error.message}`);
      process.kill(process.pid, "SIGTERM");
    });
    stops.push(async () => {
      controller.abort();
      await indexing;
    });

    // No secret in the repository: without AUTH_JWT_SECRET, the token key is generated once into DATA_DIR/secrets.json.
    const jwtSecret = config.AUTH_JWT_SECRET ?? loadOrCreateJwtSecret(config.secretsFile).secret;
    const managedKeysPassphrase = config.MANAGED_KEYS_PASSPHRASE ?? loadOrCreateSecret(config.secretsFile, "managedKeysPassphrase").value;
    const checkpointWatch = await database.watchCheckpoint();
    stops.push(() => checkpointWatch.close());
    const credentialWatch = await database.watchCredentials();
    stops.push(() => credentialWatch.close());
    const { app, accessLog } = createApp({
      db: database.db,
      logger: createLogger("api", config.LOG_LEVEL),
      checkpointWatch,
      credentialWatch,
      rpc,
      deployment: chain.deployment,
      confirmations: config.CONFIRMATIONS,
      readyMaxLagBlocks: config.READY_MAX_LAG_BLOCKS,
      auth: authOptionsFromConfig(config, jwtSecret),
      documents: documentOptionsFromConfig(config),
      managedKeys: createFileKeystore(config.managedKeysDir, managedKeysPassphrase),
    });
    const server = await listen(app, config.API_HOST, config.API_PORT);
    stops.push(() => accessLog.flush());
    stops.push(() => new Promise((resolve) => server.close(() => resolve())));

    let demo: DemoResult | undefined;
    let credentials: DemoCredentials | undefined;
    if (chain.fresh && chain.demoSigners && !values["no-demo"]) {
      logger.info("Loading the demo story (Yantai apples to juice for export; steel to brake assemblies; receipts and pledges; receivables)...");
      demo = await loadDemoScenario(chain.deployment, chain.demoSigners);
      credentials = await issueDemoCredentials({
        db: database.db,
        managedKeys: { dir: config.managedKeysDir, passphrase: managedKeysPassphrase },
        members: demo.members,
        admin: chain.deployment.deployer,
        file: config.demoCredentialsFile,
      });
      const head = await rpc.blockNumber();
      while (indexer.status().checkpoint < head - config.CONFIRMATIONS) await new Promise((r) => setTimeout(r, 100));
    }
    printBanner(config, chain, database.kind, demo, credentials);

    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    logger.info("Stopping...");
  } finally {
    await stopAll();
  }
}

function printBanner(config: AppConfig, chain: ChainSetup, databaseKind: string, demo?: DemoResult, credentials?: DemoCredentials) {
  const api = `http://${config.API_HOST}:${config.API_PORT}`;
  const database = databaseKind === "postgres" ? "PostgreSQL (DATABASE_URL)" : `PGlite at ${path.resolve(config.pgliteDir)}`;
  const lines = [
    "",
    "TraceFin is running",
    `  API        ${api}/api/v1`,
    `  API docs   ${api}/docs`,
    `  OpenAPI    ${api}/openapi.json`,
    `  Chain      ${chain.url} (${chain.description})`,
    `  Contracts  MemberRegistry ${chain.deployment.contracts.MemberRegistry}`,
    `             ProvenanceLedger ${chain.deployment.contracts.ProvenanceLedger}`,
    `             WarehouseReceipt ${chain.deployment.contracts.WarehouseReceipt}`,
    `             LienRegistry ${chain.deployment.contracts.LienRegistry}`,
    `             Receivables ${chain.deployment.contracts.Receivables}`,
    `  Database   ${database}`,
    `  Deployment ${path.resolve(config.deploymentsFile)}`,
    `  Sign-in    ${api}/api/v1/auth/nonce (EIP-4361 domain ${config.authDomain}); token key ${
      config.AUTH_JWT_SECRET ? "from AUTH_JWT_SECRET" : `generated in ${path.resolve(config.secretsFile)} (mode 0600)`
    }`,
    `  Managed keys ${path.resolve(config.managedKeysDir)} (encrypted; passphrase ${
      config.MANAGED_KEYS_PASSPHRASE ? "from MANAGED_KEYS_PASSPHRASE" : `generated in ${path.resolve(config.secretsFile)}`
    })`,
  ];
  if (demo && credentials) {
    const file = path.resolve(config.demoCredentialsFile);
    const keyOf = (member: string) => `$(node -p "require('${file}').members.${member}.apiKey")`;
    const { batches, finance, receivables, members } = demo;
    lines.push(
      "",
      `Demo story loaded. Its credentials: ${file} (mode 0600), a read-write API key per demo member; the`,
      "server keeps their (development) keys, so they can also write through the API without a wallet.",
      "Reads other than the public ones need a credential (README \"Access\"); in a shell:",
      `  REGULATOR=${keyOf("regulator")} BANK=${keyOf("bank")} ORCHARD=${keyOf("orchard")}`,
      `  curl ${api}/api/v1/public/batches/${batches.juiceExport}   # the public QR-page summary, no credential`,
      `  curl -H "x-api-key: $ORCHARD" "${api}/api/v1/batches/${batches.juiceExport}/trace?direction=backward"   # juice for export, back to Qixia apples`,
      `  curl -H "x-api-key: $ORCHARD" "${api}/api/v1/batches/${batches.applesA}/trace?direction=forward"   # everything made from apple lot A`,
      `  curl -H "x-api-key: $ORCHARD" ${api}/api/v1/batches/${batches.applesC}/events   # the recalled lot`,
      `  curl -H "x-api-key: $ORCHARD" "${api}/api/v1/batches/${batches.brakes}/trace?direction=backward"   # brake assembly back to the steel coil`,
      `  curl -H "x-api-key: $BANK" ${api}/api/v1/receipts/${finance.receipts.discs}/verification   # a bank's check of a warehouse receipt`,
      `  curl -H "x-api-key: $BANK" ${api}/api/v1/receipts/${finance.receipts.recalledApples}/verification   # not eligible: the apples were recalled`,
      `  curl -H "x-api-key: $BANK" ${api}/api/v1/loans/${finance.loans.apples}/events   # the bank's pledge: offer, margin call, repayments, release`,
      `  curl -H "x-api-key: $BANK" "${api}/api/v1/receivables/${receivables.outstanding}/verification?holder=${members.steelMill}"   # a bank's check of a supplier's part`,
      `  curl -H "x-api-key: $REGULATOR" ${api}/api/v1/receivables/${receivables.supplyChain}/transfers   # auto maker's payable: passed down 2 tiers, discounted, pledged, paid, settled`,
      `  curl -H "x-api-key: $REGULATOR" ${api}/api/v1/receivables/exposure   # the regulator's view: outstanding by debtor and by financier, overdue`,
      `  curl -H "x-api-key: $REGULATOR" ${api}/api/v1/access-log   # who read which private data, when (also the refused attempts)`,
      `  curl -H "x-api-key: $ORCHARD" ${api}/api/v1/receivables/exposure   # 403: the exposure view is for regulators and auditors`,
      `  curl -X POST ${api}/api/v1/writes -H "x-api-key: $ORCHARD" -H "idempotency-key: try-1" \\`,
      `       -H 'content-type: application/json' -d '{"contract":"ProvenanceLedger","function":"anchor","args":{"root":"0x${"ab".repeat(32)}","eventCount":1,"uri":""}}'`,
      `  Receivables: overdue ${receivables.overdue}, disputed ${receivables.disputed}; lot ${receivables.lotId}, sale ${receivables.saleId} (the demo moved the chain's clock 4 days ahead)`,
    );
  }
  lines.push("", "Press Ctrl-C to stop.", "");
  console.log(lines.join("\n"));
}

main().catch((error) => {
  console.error(`\nCould not start TraceFin: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
