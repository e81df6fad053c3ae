import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hexlify, parseEther, randomBytes } from "ethers";
import { roleBits } from "../../shared/roles";
import { sha256Hex } from "../../shared/hashing";
import type { Keystore } from "../../server/signing/keystore";
import { MANAGED_APP_DOMAIN, startManagedApp, startTestSystem, type TestSystem } from "../support/system";
import { databaseKind } from "../support/database";
import { bearer, demoWallet, request as send, tokenOf as signInToken, walletAt, type MessageSigner } from "../support/sign-in";

const DOMAIN = MANAGED_APP_DOMAIN;
const anchorWrite = (root = hexlify(randomBytes(32))) => ({ contract: "ProvenanceLedger", function: "anchor", args: { root, eventCount: 3, uri: "" } });

describe(`managed signing through the API: the server signs for members who keep their key with it (${databaseKind})`, () => {
  let system: TestSystem;
  let closeApp: (() => Promise<void>) | undefined;
  let baseUrl: string;
  let keystore: Keystore;
  let managed: string;
  let managedToken: string;
  let adminToken: string;

  const target = () => ({ baseUrl, domain: DOMAIN, chainId: system.chain.deployment.chainId });
  const request = (url: string, init: RequestInit = {}) => send(baseUrl + url, init);
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    request(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const write = (body: unknown, token: string | undefined, key?: string, url = "/api/v1/writes") =>
    post(url, body, { ...(token ? bearer(token) : {}), ...(key ? { "idempotency-key": key } : {}) });
  const tokenOf = (signer: MessageSigner) => signInToken(target(), signer);

  beforeAll(async () => {
    system = await startTestSystem();
    const app = await startManagedApp(system, "tracefin-managed-");
    ({ baseUrl, keystore } = app);
    closeApp = app.close;

    // The consortium admin has the server create a key, admits its address and gives it gas.
    adminToken = await tokenOf(walletAt(0));
    const created = await post("/api/v1/managed-keys", {}, bearer(adminToken));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    managed = created.body.address;
    const registry = system.chain.contracts.registry;
    await (await registry.admit(managed, roleBits(["ENTERPRISE"]), sha256Hex("USCC managed"), "Managed Trading Co.", "", sha256Hex("profile"))).wait();
    await (await system.chain.admin.sendTransaction({ to: managed, value: parseEther("10") })).wait();
    await system.sync();
    // The member signs in with the key the server keeps (its console would do this on the server's side).
    managedToken = await tokenOf(await keystore.wallet(managed));
  });
  afterAll(async () => {
    await closeApp?.();
    await system?.stop();
  });

  it("signs, sends and answers the outcome with its events; the read API shows the result after the next sync", async () => {
    const root = hexlify(randomBytes(32));
    const answer = await write(anchorWrite(root), managedToken, "anchor-1");
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ status: "success", from: managed, contract: "ProvenanceLedger" });
    expect(answer.body.events).toEqual([expect.objectContaining({ name: "RootAnchored", args: expect.objectContaining({ root }) })]);
    await system.sync();
    expect((await request(`/api/v1/anchors/${root}`)).body).toMatchObject({ root, eventCount: 3 });
  });

  it("answers a retry with the same idempotency key with the first answer and sends nothing twice", async () => {
    const before = await system.chain.provider.getTransactionCount(managed, "pending");
    const body = anchorWrite();
    const [first, concurrent] = await Promise.all([write(body, managedToken, "retry-1"), write(body, managedToken, "retry-1")]);
    // One of two concurrent requests runs; the other is told it is still running, or replays its answer.
    const statuses = [first.status, concurrent.status].sort();
    expect([[200, 200], [200, 409]]).toContainEqual(statuses);
    const later = await write(body, managedToken, "retry-1");
    expect(later.status).toBe(200);
    expect(later.body.hash).toBe((first.status === 200 ? first : concurrent).body.hash);
    expect(await system.chain.provider.getTransactionCount(managed, "pending")).toBe(before + 1);

    const reused = await write(anchorWrite(), managedToken, "retry-1");
    expect(reused.status).toBe(422);
    expect(reused.body.error).toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED", details: { field: "header.idempotency-key" } });
  });

  it("gives 20 concurrent writes consecutive nonces while blocks are mined every 200 ms", async () => {
    const before = await system.chain.provider.getTransactionCount(managed, "pending");
    await system.chain.rpc("evm_setAutomine", [false]);
    await system.chain.rpc("evm_setIntervalMining", [200]);
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => write(anchorWrite(), managedToken, `parallel-${i}`)));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
      expect(answers.map((a) => a.body.status)).toEqual(Array(20).fill("success"));
    } finally {
      await system.chain.rpc("evm_setIntervalMining", [0]);
      await system.chain.rpc("evm_setAutomine", [true]);
    }
    expect(await system.chain.provider.getTransactionCount(managed, "latest")).toBe(before + 20);
  });

  it("answers what the contract refuses with its decoded error, sends nothing, and replays that answer", async () => {
    const before = await system.chain.provider.getTransactionCount(managed, "pending");
    // The managed member is an ENTERPRISE, not a REGULATOR: a recall is refused by the ledger.
    const recall = { contract: "ProvenanceLedger", function: "recall", args: { batchId: system.demo.batches.applesA, reasonHash: sha256Hex("no") } };
    const refused = await write(recall, managedToken, "recall-1");
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("CONTRACT_REVERT");
    expect(refused.body.error.details.error).toMatch(/MissingRole|NotProducerOrRegulator/);
    expect((await write(recall, managedToken, "recall-1")).body).toEqual(refused.body);
    expect(await system.chain.provider.getTransactionCount(managed, "pending")).toBe(before);
  });

  it("refuses callers it cannot sign for, and requests without an idempotency key", async () => {
    expect((await write(anchorWrite(), undefined, "anon-1")).status).toBe(401);
    const missing = await write(anchorWrite(), managedToken);
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([expect.objectContaining({ field: "header.idempotency-key" })]);
    // A member whose key the server does not keep signs its own transactions.
    const notManaged = await write(anchorWrite(), await tokenOf(demoWallet("orchard")), "orchard-1");
    expect(notManaged.status).toBe(403);
    expect(notManaged.body.error.details.reason).toBe("NOT_MANAGED");
    // A read-only API key of the managed member may not write.
    const key = await post(`/api/v1/members/${managed}/api-keys`, { name: "reporting", scope: "read" }, bearer(managedToken));
    expect(key.status, JSON.stringify(key.body)).toBe(200);
    const readOnly = await post("/api/v1/writes", anchorWrite(), { "x-api-key": key.body.key, "idempotency-key": "ro-1" });
    expect(readOnly.status).toBe(403);
  });

  it("lets only the consortium admin create managed keys, and the admin and regulators list them", async () => {
    const regulatorToken = await tokenOf(demoWallet("regulator"));
    expect((await post("/api/v1/managed-keys", {}, bearer(managedToken))).status).toBe(403);
    expect((await post("/api/v1/managed-keys", {}, bearer(regulatorToken))).status).toBe(403);
    const listed = await request("/api/v1/managed-keys", { headers: bearer(regulatorToken) });
    expect(listed.body.items).toEqual([{ address: managed }]);
    expect((await request("/api/v1/managed-keys", { headers: bearer(managedToken) })).status).toBe(403);
    expect((await request("/api/v1/managed-keys")).status).toBe(401);
  });
});
