import express, { type Express } from "express";
import type { Database } from "../shared/db/client";
import type { CheckpointWatch } from "../shared/db/checkpoint-watch";
import type { RpcClient } from "../shared/chain/rpc";
import type { Deployment } from "../shared/chain/deployments";
import type { Logger } from "../shared/logger";
import { RouteTable } from "./http/route";
import { createAuth, type AuthOptions } from "./auth";
import { createIdempotencyStore } from "./signing/idempotency";
import type { Keystore } from "./signing/keystore";
import { createManagedSigner } from "./signing/managed-signer";
import { createManagedWrites } from "./signing/managed-writes";
import { managedWriteRoutes } from "./signing/managed-writes.routes";
import { errorHandler, notFoundHandler } from "./http/error-handler";
import { securityHeaders } from "./http/security-headers";
import { buildOpenApiDocument } from "./openapi/document";
import { docsRouter } from "./openapi/docs";
import { createMembersRepository } from "./members/members.repository";
import { createMembersService } from "./members/members.service";
import { memberRoutes } from "./members/members.routes";
import { createProductsRepository } from "./products/products.repository";
import { createProductsService } from "./products/products.service";
import { productRoutes } from "./products/products.routes";
import { createBatchesRepository } from "./batches/batches.repository";
import { createBatchesService } from "./batches/batches.service";
import { batchRoutes } from "./batches/batches.routes";
import { createTraceRepository } from "./trace/trace.repository";
import { createTraceService } from "./trace/trace.service";
import { traceRoutes } from "./trace/trace.routes";
import { createEpcisRepository } from "./epcis/epcis.repository";
import { createEpcisService } from "./epcis/epcis.service";
import { epcisRoutes } from "./epcis/epcis.routes";
import { createCaptureRepository } from "./epcis/capture/capture.repository";
import { createEpcisCapture } from "./epcis/capture/capture.service";
import { epcisCaptureRoutes } from "./epcis/capture/capture.routes";
import { createAnchorsRepository } from "./anchors/anchors.repository";
import { createAnchorsService } from "./anchors/anchors.service";
import { anchorRoutes } from "./anchors/anchors.routes";
import { createReceiptsRepository } from "./receipts/receipts.repository";
import { createReceiptsService, VERIFICATION_CACHE_ENTRIES } from "./receipts/receipts.service";
import { createIndexedCache } from "./http/indexed-cache";
import { createLedgerClock } from "./http/ledger-clock";
import { receiptRoutes } from "./receipts/receipts.routes";
import { createLoansRepository } from "./loans/loans.repository";
import { createLoansService } from "./loans/loans.service";
import { loanRoutes } from "./loans/loans.routes";
import { createReceivablesRepository } from "./receivables/receivables.repository";
import {
  createReceivablesService, DEBTOR_RECORD_CACHE_ENTRIES, RECEIVABLE_VERIFICATION_CACHE_ENTRIES,
} from "./receivables/receivables.service";
import { receivableRoutes } from "./receivables/receivables.routes";
import { createProvenanceRepository } from "./provenance/provenance.repository";
import { createProvenanceService } from "./provenance/provenance.service";
import { provenanceRoutes } from "./provenance/provenance.routes";
import { healthRoutes } from "./health/health.routes";
import { createNodeClient } from "./transactions/node-client";
import { createTransactionsService } from "./transactions/transactions.service";
import { transactionRoutes } from "./transactions/transactions.routes";
import { createDocumentsRepository } from "./documents/documents.repository";
import { createDocumentsService } from "./documents/documents.service";
import { createPartyResolver } from "./access/parties";
import { createAccessControl } from "./access/access-control";
import { createAccessLog, type AccessLog } from "./access/access-log";
import { accessLogRoutes } from "./access/access-log.routes";
import { documentRoutes } from "./documents/documents.routes";
import type { DocumentOptions } from "./documents/document-settings";

export interface AppOptions {
  db: Database;
  logger: Logger;
  /** The indexer's checkpoint announcements; without it, caches read the checkpoint per request. */
  checkpointWatch?: CheckpointWatch;
  /** API key revocations announced by any instance; without it, every request reads its key's row. */
  credentialWatch?: CheckpointWatch;
  /** Used by /readyz to measure the indexer's lag; without it the last head the indexer saw is used. */
  rpc?: RpcClient;
  /** With `rpc`, enables the write routes (prepare and relay); without either they answer 503. */
  deployment?: Deployment;
  confirmations?: number;
  readyMaxLagBlocks?: number;
  version?: string;
  /**
   * Sign-in and API keys (server/auth/settings.ts). Deployments pass the configuration; without this
   * option the app signs tokens with a random in-memory key (one instance, tokens die with it).
   */
  auth?: AuthOptions;
  /** Document store and upload limit (documentOptionsFromConfig); without it the document routes answer 503. */
  documents?: DocumentOptions;
  /** Keys of the members the server signs for (managed signing); without it POST /api/v1/writes answers 503. */
  managedKeys?: Keystore;
  /** Where reads of private data are logged; default a log in `db` (flush it before closing the database). */
  accessLog?: AccessLog;
}

/** Builds the HTTP API. Stateless: any number of instances can serve one database. */
export function createApp(options: AppOptions): { app: Express; routes: RouteTable; accessLog: AccessLog } {
  const { db } = options;
  const membersRepository = createMembersRepository(db);
  const documentsRepository = createDocumentsRepository(db);
  const accessLog = options.accessLog ?? createAccessLog(db, options.logger);
  const batchesRepository = createBatchesRepository(db);
  const batches = createBatchesService(batchesRepository, membersRepository);

  const nodeClient = options.rpc ? createNodeClient(options.rpc.url, options.rpc.timeoutMs) : undefined;
  const auth = createAuth({
    db,
    auth: options.auth,
    node: nodeClient,
    deployment: options.deployment,
    checkpointWatch: options.checkpointWatch,
    credentialWatch: options.credentialWatch,
  });

  const routes = new RouteTable(createAccessControl({ parties: createPartyResolver(db, documentsRepository), log: accessLog }));
  healthRoutes(routes, {
    db,
    rpc: options.rpc,
    confirmations: options.confirmations ?? 0,
    maxLagBlocks: options.readyMaxLagBlocks ?? 20,
  });
  memberRoutes(routes, createMembersService(membersRepository));
  productRoutes(routes, createProductsService(createProductsRepository(db)));
  batchRoutes(routes, batches);
  traceRoutes(routes, createTraceService(createTraceRepository(db)));
  provenanceRoutes(routes, createProvenanceService(createProvenanceRepository(db)));
  epcisRoutes(routes, createEpcisService(batchesRepository, batches, createEpcisRepository(db)));
  anchorRoutes(routes, createAnchorsService(createAnchorsRepository(db), membersRepository));
  receiptRoutes(
    routes,
    createReceiptsService(createReceiptsRepository(db), membersRepository, createIndexedCache(db, VERIFICATION_CACHE_ENTRIES, options.checkpointWatch)),
  );
  const clock = createLedgerClock(db);
  loanRoutes(routes, createLoansService(createLoansRepository(db), membersRepository, clock));
  receivableRoutes(
    routes,
    createReceivablesService(
      createReceivablesRepository(db),
      membersRepository,
      {
        verification: createIndexedCache(db, RECEIVABLE_VERIFICATION_CACHE_ENTRIES, options.checkpointWatch),
        debtorRecords: createIndexedCache(db, DEBTOR_RECORD_CACHE_ENTRIES, options.checkpointWatch),
      },
      clock,
    ),
  );
  transactionRoutes(
    routes,
    nodeClient && options.deployment ? createTransactionsService(nodeClient, options.deployment) : undefined,
  );
  auth.addRoutes(routes);
  documentRoutes(
    routes,
    options.documents ? createDocumentsService(documentsRepository, options.documents.store) : undefined,
    options.documents,
  );
  const managedWrites =
    options.managedKeys && nodeClient && options.deployment
      ? createManagedWrites({
          signer: createManagedSigner(nodeClient, options.deployment, options.managedKeys),
          keystore: options.managedKeys,
          idempotency: createIdempotencyStore(db),
        })
      : undefined;
  managedWriteRoutes(routes, managedWrites, options.managedKeys);
  epcisCaptureRoutes(
    routes,
    managedWrites && nodeClient && options.deployment
      ? createEpcisCapture({ writes: managedWrites, node: nodeClient, deployment: options.deployment, repository: createCaptureRepository(db) })
      : undefined,
  );
  accessLogRoutes(routes, accessLog, membersRepository);

  const openApiDocument = buildOpenApiDocument(routes.routes, { version: options.version ?? "0.1.0" });

  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use(securityHeaders);
  // Counted before the body is parsed: a flood of malformed sign-ins is limited too.
  app.use("/api/v1/auth", auth.rateLimit);
  // application/ld+json too: EPCIS documents are JSON-LD.
  const jsonBody = express.json({ limit: "1mb", type: ["application/json", "application/ld+json"] });
  // Operations with a raw body (documents) read it themselves, whatever its media type.
  app.use((req, res, next) => (routes.takesRawBody(req) ? next() : jsonBody(req, res, next)));
  app.use(auth.authenticate);
  app.get("/openapi.json", (_req, res) => void res.json(openApiDocument));
  app.use(docsRouter());
  const router = express.Router();
  routes.mount(router);
  app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler(options.logger));
  return { app, routes, accessLog };
}
