import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoMemberKey } from "../../scripts/demo/scenario";
import { ACCESS_POLICY } from "../../server/access/policy";
import { startTestSystem, type Credential, type TestSystem } from "../support/system";
import { apiKeyOf, bearer, demoWallet, tokenOf, walletAt } from "../support/sign-in";
import { databaseKind } from "../support/database";

/**
 * The access policy from the outside, role by role: for each request, who must be answered and who
 * refused (401 without a credential, 403 with one: never a 404 that confirms the data, never a 200
 * with a filtered list). The callers are the demo's members, each with its own API key, and the
 * consortium admin; the resources are the demo's, whose parties the first test checks as the regulator.
 */
type CallerKey = DemoMemberKey | "admin" | "anonymous";
const CALLERS: CallerKey[] = [
  "anonymous", "admin", "regulator", "bank", "orchard", "coldStore", "juicePlant", "inspector",
  "partsMaker", "autoMaker", "steelMill", "foundry", "refractory", "carrier",
];
const EVERY_SIGNED_IN = CALLERS.filter((caller) => caller !== "anonymous");

describe(`access policy: who may read what (${databaseKind})`, () => {
  let system: TestSystem;
  let address: Record<DemoMemberKey, string>;
  const credentials = new Map<CallerKey, Credential>();

  beforeAll(async () => {
    system = await startTestSystem();
    address = Object.fromEntries(Object.entries(system.demo.members).map(([key, a]) => [key, a.toLowerCase()])) as Record<DemoMemberKey, string>;
    credentials.set("anonymous", {});
    credentials.set("admin", bearer(await tokenOf(system.signInTarget, walletAt(0))));
    for (const caller of CALLERS) {
      if (caller !== "anonymous" && caller !== "admin") credentials.set(caller, await system.as(caller));
    }
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
  });

  /** GET `path` as each caller; `allowed` must get `status`, every other signed-in caller 403, anonymous 401. */
  async function expectOnly(path: string, allowed: CallerKey[], status = 200) {
    for (const caller of CALLERS) {
      const answer = await system.get(path, credentials.get(caller)!);
      const expected = allowed.includes(caller) ? status : caller === "anonymous" ? 401 : 403;
      expect(answer.status, `${caller} GET ${path}: ${JSON.stringify(answer.body).slice(0, 300)}`).toBe(expected);
      if (expected === 403) {
        expect(answer.body.error).toMatchObject({ code: "FORBIDDEN", details: { reason: "NOT_PERMITTED" } });
        expect(answer.body.error.message).toContain(path.split("?")[0].split("/")[3]);
      }
      if (expected === 401) expect(answer.body.error).toMatchObject({ code: "UNAUTHORIZED", details: { reason: "CREDENTIAL_REQUIRED" } });
    }
  }

  it("knows the demo's parties (checked as the regulator, so the matrix below rests on facts)", async () => {
    const { finance, receivables } = system.demo;
    const receipt = (await system.get(`/api/v1/receipts/${finance.receipts.apples}`)).body;
    expect([receipt.holder.address, receipt.warehouse.address]).toEqual([address.orchard, address.coldStore]);
    const loan = (await system.get(`/api/v1/loans/${finance.loans.apples}`)).body;
    expect([loan.borrower.address, loan.financier.address]).toEqual([address.orchard, address.bank]);
    const receivable = (await system.get(`/api/v1/receivables/${receivables.supplyChain}`)).body;
    expect([receivable.creditor.address, receivable.debtor.address]).toEqual([address.partsMaker, address.autoMaker]);
    expect(receivable.holdings.map((holding: any) => holding.holder.address).sort()).toEqual(
      [address.partsMaker, address.steelMill, address.foundry, address.refractory, address.bank].sort(),
    );
  });

  it("public: the QR summary, anchors, health and sign-in need no credential", async () => {
    const { batches, anchor } = system.demo;
    for (const path of [`/api/v1/public/batches/${batches.juiceExport}`, "/api/v1/anchors", `/api/v1/anchors/${anchor.root}`, "/healthz", "/api/v1/auth/nonce"]) {
      await expectOnly(path, CALLERS);
    }
  });

  it("member: the consortium's traceability data, for every member and the admin, never anonymously", async () => {
    const { batches, members } = system.demo;
    for (const path of [
      "/api/v1/members", `/api/v1/members/${members.orchard}`, "/api/v1/products", "/api/v1/batches",
      `/api/v1/batches/${batches.juiceExport}`, `/api/v1/batches/${batches.juiceExport}/events`,
      `/api/v1/batches/${batches.juiceExport}/trace?direction=backward`, `/api/v1/batches/${batches.juiceExport}/epcis`,
    ]) {
      await expectOnly(path, EVERY_SIGNED_IN);
    }
  });

  it("a warehouse receipt: its holder, its warehouse and its financier; verification also any financier", async () => {
    const id = system.demo.finance.receipts.apples;
    for (const path of [`/api/v1/receipts/${id}`, `/api/v1/receipts/${id}/events`]) {
      await expectOnly(path, ["regulator", "orchard", "coldStore", "bank"]);
    }
    await expectOnly(`/api/v1/receipts/${id}/verification`, ["regulator", "orchard", "coldStore", "bank"]);
  });

  it("a loan: its borrower and financier; a loan book and the loans due: the financier itself", async () => {
    const { finance, members } = system.demo;
    for (const path of [`/api/v1/loans/${finance.loans.apples}`, `/api/v1/loans/${finance.loans.apples}/events`]) {
      await expectOnly(path, ["regulator", "orchard", "bank"]);
    }
    await expectOnly(`/api/v1/financiers/${members.bank}/loan-book`, ["regulator", "bank"]);
  });

  it("a receivable: creditor, debtor, every present and past holder and its financier", async () => {
    const id = system.demo.receivables.supplyChain;
    const parties: CallerKey[] = ["regulator", "partsMaker", "autoMaker", "steelMill", "foundry", "refractory", "bank"];
    for (const path of [`/api/v1/receivables/${id}`, `/api/v1/receivables/${id}/events`, `/api/v1/receivables/${id}/transfers`]) {
      await expectOnly(path, parties);
    }
    // A bank checks a supplier's part before it buys or lends on it: any financier may.
    await expectOnly(`/api/v1/receivables/${id}/verification?holder=${system.demo.members.steelMill}`, parties);
  });

  it("a member's holdings and maturity calendar: the member itself", async () => {
    const steelMill = system.demo.members.steelMill;
    await expectOnly(`/api/v1/members/${steelMill}/receivables`, ["regulator", "steelMill"]);
    await expectOnly(`/api/v1/members/${steelMill}/maturity-calendar`, ["regulator", "steelMill"]);
  });

  it("lists of party data must name the caller: never a list silently narrowed to what it may see", async () => {
    const { orchard, bank, autoMaker } = system.demo.members;
    await expectOnly("/api/v1/receipts", ["regulator"]);
    await expectOnly(`/api/v1/receipts?holder=${orchard}`, ["regulator", "orchard"]);
    await expectOnly(`/api/v1/receipts?warehouse=${system.demo.members.coldStore}&status=live`, ["regulator", "coldStore"]);
    await expectOnly("/api/v1/loans", ["regulator"]);
    await expectOnly(`/api/v1/loans?financier=${bank}`, ["regulator", "bank"]);
    await expectOnly(`/api/v1/loans?borrower=${orchard}`, ["regulator", "orchard"]);
    await expectOnly(`/api/v1/loans/due?financier=${bank}`, ["regulator", "bank"]);
    await expectOnly("/api/v1/loans/due", ["regulator"]);
    await expectOnly("/api/v1/receivables", ["regulator"]);
    await expectOnly(`/api/v1/receivables?debtor=${autoMaker}`, ["regulator", "autoMaker"]);
    // Naming yourself in one filter and someone else in another still only shows your own rows: the
    // orchard has receivables of its own, none of them owed by the auto maker.
    const own = await system.get(`/api/v1/receivables?creditor=${orchard}`, credentials.get("orchard")!);
    expect(own.body.items.length).toBeGreaterThan(0);
    expect(own.body.items.every((item: any) => item.creditor.address === orchard.toLowerCase())).toBe(true);
    const crossed = await system.get(`/api/v1/receivables?debtor=${autoMaker}&creditor=${orchard}`, credentials.get("orchard")!);
    expect(crossed.status).toBe(200);
    expect(crossed.body.items).toEqual([]);
  });

  it("oversight: the exposure view and the access log, for regulators and auditors only", async () => {
    await expectOnly("/api/v1/receivables/exposure", ["regulator"]);
    await expectOnly("/api/v1/access-log", ["regulator"]);
  });

  it("an id that does not exist is a 403 for members (no existence oracle) and a 404 for the regulator", async () => {
    for (const path of ["/api/v1/receipts/999999", `/api/v1/loans/0x${"ee".repeat(32)}`, "/api/v1/receivables/999999"]) {
      await expectOnly(path, ["regulator"], 404);
    }
  });

  it("credentials: managed keys for the admin and oversight; API keys for the member itself or the admin, by session token only", async () => {
    // This app keeps no managed keys: the admin and the regulator pass the policy and meet the 503.
    await expectOnly("/api/v1/managed-keys", ["admin", "regulator"], 503);

    const orchard = demoWallet("orchard");
    const orchardToken = bearer(await tokenOf(system.signInTarget, orchard));
    const path = `/api/v1/members/${orchard.address.toLowerCase()}/api-keys`;
    expect((await system.get(path, orchardToken)).status).toBe(200);
    expect((await system.get(path, credentials.get("admin")!)).status).toBe(200);
    const byKey = await system.get(path, credentials.get("orchard")!);
    expect(byKey.status).toBe(403);
    expect(byKey.body.error.details).toMatchObject({ reason: "TOKEN_REQUIRED" });
    for (const other of ["bank", "regulator"] as const) {
      const token = bearer(await tokenOf(system.signInTarget, demoWallet(other)));
      expect((await system.get(path, token)).status, other).toBe(403);
    }
  });

  it("writes: a read-only API key is refused before anything is read or sent", async () => {
    const orchard = demoWallet("orchard");
    const token = await tokenOf(system.signInTarget, orchard);
    const readOnly = { "x-api-key": await apiKeyOf(system.signInTarget, token, orchard.address, "read") };
    expect((await system.get(`/api/v1/batches/${system.demo.batches.juiceExport}`, readOnly)).status).toBe(200);
    const relayed = await system.post("/api/v1/transactions", { signedTransaction: "0x02" }, readOnly);
    expect(relayed.status).toBe(403);
    expect(relayed.body.error.details).toMatchObject({ reason: "READ_ONLY_CREDENTIAL" });
    const anonymous = await system.post("/api/v1/transactions/prepare", {}, {});
    expect(anonymous.status).toBe(401);
  });

  it("the access log records every read of private data, allowed or refused, and nothing else", async () => {
    const since = Math.floor(Date.now() / 1000);
    const receipt = `/api/v1/receipts/${system.demo.finance.receipts.apples}`;
    const bank = credentials.get("bank")!;
    expect((await system.get(receipt, bank)).status).toBe(200);
    expect((await system.get("/api/v1/receipts/not-a-number", bank)).status).toBe(400);
    expect((await system.get("/api/v1/receivables/exposure", credentials.get("orchard")!)).status).toBe(403);
    expect((await system.get("/api/v1/receivables/exposure", {})).status).toBe(401);
    expect((await system.get(`/api/v1/batches/${system.demo.batches.juiceExport}`, bank)).status).toBe(200);

    const log = await system.get(`/api/v1/access-log?since=${since}&limit=200`);
    expect(log.status).toBe(200);
    const entries = log.body.items;
    const bankRead = entries.find((entry: any) => entry.resource === receipt);
    expect(bankRead).toMatchObject({
      caller: { address: address.bank, name: expect.stringContaining("Bank") },
      via: "api-key",
      apiKeyId: expect.any(String),
      operation: "getReceipt",
      status: 200,
    });
    expect(bankRead.time).toBeGreaterThanOrEqual(since);
    expect(bankRead.time).toBe(Math.floor(Date.parse(bankRead.at) / 1000));
    // A request refused for bad input is logged with its 400: the attempt is what a regulator audits.
    expect(entries.some((entry: any) => entry.operation === "getReceipt" && entry.status === 400)).toBe(true);
    const exposure = entries.filter((entry: any) => entry.operation === "getReceivablesExposure");
    expect(exposure.map((entry: any) => [entry.caller?.address ?? null, entry.status])).toEqual(
      expect.arrayContaining([[address.orchard, 403], [null, 401]]),
    );
    // Shared consortium data (a batch) is not private: not logged.
    expect(entries.some((entry: any) => entry.operation === "getBatch")).toBe(false);
    // Newest first; the regulator's own read of the log is logged by the time the next page is asked for.
    const ids = entries.map((entry: any) => entry.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it("the access log filters by caller, operation, status and time, and pages without gaps", async () => {
    const orchard = credentials.get("orchard")!;
    for (let i = 0; i < 3; i++) expect((await system.get(`/api/v1/receipts?holder=${address.orchard}&limit=${i + 1}`, orchard)).status).toBe(200);
    const byOrchard = await system.get(`/api/v1/access-log?caller=${address.orchard}&operation=listReceipts&status=200`);
    expect(byOrchard.body.items.length).toBeGreaterThanOrEqual(3);
    expect(byOrchard.body.items.every((entry: any) => entry.caller.address === address.orchard && entry.operation === "listReceipts")).toBe(true);

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: number }[]; nextCursor: string | null } } = await system.get(
        `/api/v1/access-log?caller=${address.orchard}&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...page.body.items.map((entry) => entry.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = (await system.get(`/api/v1/access-log?caller=${address.orchard}&limit=200`)).body.items.map((entry: any) => entry.id);
    expect(seen).toEqual(all);

    expect((await system.get("/api/v1/access-log?until=0")).body.items).toEqual([]);
    const bad = await system.get("/api/v1/access-log?caller=me&status=99&operation=drop%20table");
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((problem: any) => problem.field).sort()).toEqual(["query.caller", "query.operation", "query.status"]);
  });

  it("every operation of the API is classified, and the policy classifies nothing that does not exist", async () => {
    const document = (await system.get("/openapi.json", {})).body;
    const operations = Object.values(document.paths).flatMap((methods: any) => Object.values(methods).map((operation: any) => operation));
    const ids = operations.map((operation: any) => operation.operationId).sort();
    expect(Object.keys(ACCESS_POLICY).sort()).toEqual(ids);
    for (const operation of operations) {
      expect(operation["x-access"].tier, operation.operationId).toBe(ACCESS_POLICY[operation.operationId].tier);
      const isPublic = operation["x-access"].tier === "public";
      expect(operation.security.some((requirement: object) => Object.keys(requirement).length === 0), operation.operationId).toBe(isPublic);
    }
  });
});
