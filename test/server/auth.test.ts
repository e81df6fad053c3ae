import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { type HDNodeWallet, getAddress, id, randomBytes, zeroPadValue } from "ethers";
import { roleBits } from "../../shared/roles";
import { sql } from "drizzle-orm";
import { SignJWT } from "jose";
import { RpcClient } from "../../shared/chain/rpc";
import { createLogger } from "../../shared/logger";
import { createApp, type AppOptions } from "../../server/app";
import { listen } from "../../server/index";
import type { AuthOptions } from "../../server/auth/settings";
import { formatSiweMessage, parseSiweMessage, type SiweMessage } from "../../server/auth/siwe-message";
import { DEMO_MEMBERS, type DemoMemberKey } from "../../scripts/demo/scenario";
import { startTestSystem, type TestSystem } from "../support/system";
import { bearer, request as fetchAnswer, signIn as signInAt, signerIndexOf, siweMessageFor, walletAt, type Answer } from "../support/sign-in";
import { databaseKind } from "../support/database";

/** The hardhat node's default accounts: index 0 is the MemberRegistry admin, 1.. the demo members. */

const DOMAIN = "tracefin.test";
const SECRET = new Uint8Array(randomBytes(32));
const AUDIENCE = "tracefin-api";
const ISSUER = "tracefin";


describe(`member sign-in (EIP-4361), session tokens and API keys (${databaseKind})`, () => {
  let system: TestSystem;
  const servers: Server[] = [];
  let baseUrl: string;
  let chainId: number;
  const wallets = new Map<DemoMemberKey, HDNodeWallet>();
  const wallet = (key: DemoMemberKey) => wallets.get(key)!;
  const address = (key: DemoMemberKey) => wallet(key).address.toLowerCase();
  const admin = walletAt(0);
  const outsider = walletAt(40);

  /** An app over the test system's database with the given auth settings; answers its base URL. */
  async function startApp(auth: Partial<AuthOptions> = {}, options: Partial<AppOptions> = {}): Promise<string> {
    const { app } = createApp({
      ...options,
      db: system.database.db,
      logger: createLogger("test", "silent"),
      rpc: new RpcClient(system.chain.node.url),
      deployment: system.chain.deployment,
      auth: { jwtSecret: SECRET, domain: DOMAIN, rateLimit: { max: 10_000, windowMs: 60_000 }, ...auth },
    });
    const server = await listen(app, "127.0.0.1", 0);
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  const request = (path: string, init: RequestInit = {}, base = baseUrl): Promise<Answer> => fetchAnswer(base + path, init);
  const get = (path: string, headers: Record<string, string> = {}, base = baseUrl) => request(path, { headers }, base);
  const post = (path: string, body: unknown, headers: Record<string, string> = {}, base = baseUrl) =>
    request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }, base);

  /** A message as a wallet library writes it, for `signer`, with a fresh nonce from `base` unless overridden. */
  const messageFor = (signer: HDNodeWallet, overrides: Partial<SiweMessage> = {}, base = baseUrl) =>
    siweMessageFor({ baseUrl: base, domain: DOMAIN, chainId }, signer, overrides);
  const signIn = (signer: HDNodeWallet, overrides: Partial<SiweMessage> = {}, base = baseUrl) =>
    signInAt({ baseUrl: base, domain: DOMAIN, chainId }, signer, overrides);
  async function tokenOf(signer: HDNodeWallet): Promise<string> {
    const answer = await signIn(signer);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.token;
  }
  function expectRefused(answer: Answer, reason: string, field?: string) {
    expect(answer.status, JSON.stringify(answer.body)).toBe(401);
    expect(answer.body.error.code).toBe("UNAUTHORIZED");
    expect(answer.body.error.details.reason).toBe(reason);
    if (field) {
      expect(answer.body.error.details.field).toBe(field);
      expect(answer.body.error.message).toContain(field);
    }
  }

  beforeAll(async () => {
    system = await startTestSystem();
    chainId = system.chain.deployment.chainId;
    for (const { key } of DEMO_MEMBERS) {
      const index = signerIndexOf(key);
      const hd = walletAt(index);
      expect(hd.address).toBe((await system.chain.signer(index)).address);
      wallets.set(key, hd);
    }
    expect(admin.address).toBe(system.chain.admin.address);
    baseUrl = await startApp();
  });
  afterAll(async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    await system?.stop();
  });

  describe("sign-in", () => {
    it("issues a nonce that says what the message must state", async () => {
      const { status, body } = await get("/api/v1/auth/nonce");
      expect(status).toBe(200);
      expect(body.nonce).toMatch(/^[A-Za-z0-9]{22}$/);
      expect(body).toMatchObject({ domain: DOMAIN, uri: `https://${DOMAIN}`, chainId, version: "1" });
      const ttl = Date.parse(body.expiresAt) - Date.parse(body.issuedAt);
      expect(ttl).toBe(300_000);
      const other = await get("/api/v1/auth/nonce");
      expect(other.body.nonce).not.toBe(body.nonce);
    });

    it("signs a member in; /auth/me answers who it is", async () => {
      const answer = await signIn(wallet("bank"));
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body).toMatchObject({
        tokenType: "Bearer",
        member: { address: address("bank"), name: DEMO_MEMBERS.find((m) => m.key === "bank")!.name, roles: ["FINANCIER"] },
        admin: false,
      });
      const expiresIn = Date.parse(answer.body.expiresAt) - Date.now();
      expect(expiresIn).toBeGreaterThan(890_000);
      expect(expiresIn).toBeLessThanOrEqual(900_000);
      const me = await get("/api/v1/auth/me", bearer(answer.body.token));
      expect(me.status).toBe(200);
      expect(me.body).toEqual({
        kind: "member",
        address: address("bank"),
        name: answer.body.member.name,
        roles: ["FINANCIER"],
        via: "token",
        scope: "read-write",
      });
      // The token is accepted on the existing public routes too.
      expect((await get(`/api/v1/members/${address("bank")}`, bearer(answer.body.token))).status).toBe(200);
    });

    it("accepts a message without statement and with expiration, not-before, request id and resources", async () => {
      const now = Date.now();
      const answer = await signIn(wallet("regulator"), {
        statement: undefined,
        expirationTime: new Date(now + 60_000).toISOString(),
        notBefore: new Date(now - 1_000).toISOString(),
        requestId: "req-42",
        resources: ["https://tracefin.test/api/v1/batches", "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"],
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.member.roles).toEqual(["REGULATOR", "AUDITOR"]);
    });

    it("refuses a reused nonce", async () => {
      const message = await messageFor(wallet("orchard"));
      const signature = await wallet("orchard").signMessage(message);
      expect((await post("/api/v1/auth/sign-in", { message, signature })).status).toBe(200);
      expectRefused(await post("/api/v1/auth/sign-in", { message, signature }), "NONCE_USED", "body.message");
    });

    it("refuses an unknown nonce", async () => {
      expectRefused(await signIn(wallet("orchard"), { nonce: "abcdefgh12345678" }), "NONCE_UNKNOWN", "body.message");
    });

    it("refuses an expired nonce, issued by another instance over the same database", async () => {
      const shortLived = await startApp({ nonceTtlSeconds: 1 });
      const nonce = (await get("/api/v1/auth/nonce", {}, shortLived)).body.nonce;
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expectRefused(await signIn(wallet("orchard"), { nonce }), "NONCE_EXPIRED", "body.message");
    });

    it("refuses a wrong domain, URI, chain id or version", async () => {
      const orchard = wallet("orchard");
      expectRefused(await signIn(orchard, { domain: "evil.example" }), "DOMAIN_MISMATCH", "body.message");
      expectRefused(await signIn(orchard, { uri: "https://evil.example/login" }), "URI_MISMATCH", "body.message");
      expectRefused(await signIn(orchard, { chainId: chainId + 1 }), "CHAIN_ID_MISMATCH", "body.message");
      expectRefused(await signIn(orchard, { version: "2" }), "UNSUPPORTED_VERSION", "body.message");
    });

    it("refuses messages out of their validity window", async () => {
      const orchard = wallet("orchard");
      const hour = 3_600_000;
      expectRefused(await signIn(orchard, { expirationTime: new Date(Date.now() - 1_000).toISOString() }), "MESSAGE_EXPIRED", "body.message");
      expectRefused(await signIn(orchard, { notBefore: new Date(Date.now() + hour).toISOString() }), "MESSAGE_NOT_YET_VALID", "body.message");
      expectRefused(await signIn(orchard, { issuedAt: new Date(Date.now() + hour).toISOString() }), "ISSUED_IN_FUTURE", "body.message");
    });

    it("refuses a signature by another key, and garbage signatures", async () => {
      const message = await messageFor(wallet("orchard"));
      const byBank = await wallet("bank").signMessage(message);
      expectRefused(await post("/api/v1/auth/sign-in", { message, signature: byBank }), "BAD_SIGNATURE", "body.signature");
      expectRefused(await post("/api/v1/auth/sign-in", { message, signature: "0x" + "11".repeat(65) }), "BAD_SIGNATURE", "body.signature");
      // The nonce was not consumed by the failed attempts: the real signature still signs in.
      expect((await post("/api/v1/auth/sign-in", { message, signature: await wallet("orchard").signMessage(message) })).status).toBe(200);
      const notHex = await post("/api/v1/auth/sign-in", { message, signature: "nope" });
      expect(notHex.status).toBe(400);
      expect(notHex.body.error.details[0].field).toBe("body.signature");
    });

    it("refuses an address that is not a member", async () => {
      expectRefused(await signIn(outsider), "NOT_A_MEMBER", "body.message");
    });

    it("refuses malformed messages, naming the problem", async () => {
      const orchard = wallet("orchard");
      const good = await messageFor(orchard);
      const variants = [
        "hello",
        good.replace(orchard.address, orchard.address.toLowerCase()), // not EIP-55
        good.replace("\nURI:", "\nUri:"),
        good.replace(/Issued At: .*/, "Issued At: yesterday"),
        good.replace(/Nonce: .*/, "Nonce: short"),
        good.replace(/\n/g, "\r\n"),
        good + "\nSomething: else",
        good.replace("Sign in to TraceFin.\n\n", "Sign in to TraceFin.\n"),
      ];
      for (const message of variants) {
        const answer = await post("/api/v1/auth/sign-in", { message, signature: await orchard.signMessage(message) });
        expectRefused(answer, "MALFORMED_MESSAGE", "body.message");
      }
      // The parser and formatter agree on every well-formed message used above.
      expect(formatSiweMessage(parseSiweMessage(good))).toBe(good);
    });

    it("lets exactly one of two concurrent sign-ins with one nonce succeed", async () => {
      const message = await messageFor(wallet("carrier"));
      const signature = await wallet("carrier").signMessage(message);
      const answers = await Promise.all([1, 2, 3].map(() => post("/api/v1/auth/sign-in", { message, signature })));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401]);
      for (const refused of answers.filter((a) => a.status === 401)) expectRefused(refused, "NONCE_USED");
    });

    it("verifies a contract wallet's signature by EIP-1271 isValidSignature", async () => {
      /** Deploys `runtime` with a minimal constructor (CODECOPY + RETURN) and admits it as a member. */
      async function memberContract(runtime: string, name: string): Promise<string> {
        const size = (runtime.length / 2).toString(16).padStart(2, "0");
        const initCode = `0x60${size}600c600039${"60" + size}6000f3${runtime}`;
        const deployed = await (await system.chain.admin.sendTransaction({ data: initCode })).wait();
        const contract = getAddress(deployed!.contractAddress!);
        await (await system.chain.contracts.registry.admit(contract, roleBits(["ENTERPRISE"]), id(`USCC ${name}`), name, "https://tracefin.example/m", id(name))).wait();
        return contract;
      }
      // Answers the EIP-1271 magic value (0x1626ba7e) to any call, and answers zero to any call.
      const accepting = await memberContract("631626ba7e60e01b60005260206000f3", "Multisig Treasury Co.");
      const refusing = await memberContract("60206000f3", "Locked Wallet Co.");
      await system.sync();
      const nonceOf = async () => (await get("/api/v1/auth/nonce")).body.nonce;
      const messageOf = async (address: string) =>
        formatSiweMessage({ domain: DOMAIN, address, uri: `https://${DOMAIN}`, version: "1", chainId, nonce: await nonceOf(), issuedAt: new Date().toISOString() });
      const signedIn = await post("/api/v1/auth/sign-in", { message: await messageOf(accepting), signature: "0x" + "ab".repeat(70) });
      expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
      expect(signedIn.body.member).toMatchObject({ address: accepting.toLowerCase(), name: "Multisig Treasury Co.", roles: ["ENTERPRISE"] });
      const refused = await post("/api/v1/auth/sign-in", { message: await messageOf(refusing), signature: "0x" + "ab".repeat(70) });
      expectRefused(refused, "BAD_SIGNATURE", "body.signature");
    });

    it("signs in the consortium admin (the MemberRegistry owner, read from the chain)", async () => {
      const answer = await signIn(admin);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.admin).toBe(true);
      const me = await get("/api/v1/auth/me", bearer(answer.body.token));
      expect(me.body).toMatchObject({ kind: "admin", address: admin.address.toLowerCase(), via: "token", roles: [] });
    });
  });

  describe("session tokens", () => {
    const forge = (claims: { key?: Uint8Array; aud?: string; iss?: string; exp?: number; sub?: string }) => {
      const iat = Math.floor(Date.now() / 1000) - 10;
      return new SignJWT({})
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setIssuer(claims.iss ?? ISSUER)
        .setAudience(claims.aud ?? AUDIENCE)
        .setSubject(claims.sub ?? address("bank"))
        .setIssuedAt(iat)
        .setExpirationTime(claims.exp ?? iat + 600)
        .setJti("test")
        .sign(claims.key ?? SECRET);
    };

    it("accepts a token of this API's key, issuer and audience (the forging helper is sound)", async () => {
      const me = await get("/api/v1/auth/me", bearer(await forge({})));
      expect(me.status).toBe(200);
      expect(me.body.address).toBe(address("bank"));
    });

    it("refuses forged, expired, wrong-audience, wrong-issuer and alg-none tokens with 401, on any route", async () => {
      const cases: [string, string][] = [
        [await forge({ key: new Uint8Array(randomBytes(32)) }), "TOKEN_SIGNATURE"],
        [await forge({ exp: Math.floor(Date.now() / 1000) - 1 }), "TOKEN_EXPIRED"],
        [await forge({ aud: "someone-else" }), "TOKEN_CLAIM_INVALID"],
        [await forge({ iss: "someone-else" }), "TOKEN_CLAIM_INVALID"],
      ];
      const [, payload] = (await forge({})).split(".");
      const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
      cases.push([`${header}.${payload}.`, "TOKEN_ALGORITHM"]);
      for (const [token, reason] of cases) {
        for (const path of ["/api/v1/auth/me", `/api/v1/members/${address("bank")}`]) {
          expectRefused(await get(path, bearer(token)), reason, "header.authorization");
        }
      }
      expectRefused(await get("/api/v1/auth/me", { authorization: "Bearer not-a-jwt" }), "TOKEN_MALFORMED");
      expectRefused(await get("/api/v1/auth/me", { authorization: "Basic dXNlcjpwYXNz" }), "TOKEN_MALFORMED");
    });

    it("answers anonymous when no credential is presented", async () => {
      const me = await get("/api/v1/auth/me");
      expect(me.status).toBe(200);
      expect(me.body).toEqual({ kind: "anonymous" });
    });

    it("refuses every token when no key is configured, and sign-in answers 503", async () => {
      const unconfigured = await startApp({ jwtSecret: undefined });
      expect((await get("/api/v1/auth/nonce", {}, unconfigured)).status).toBe(503);
      const signInAnswer = await post("/api/v1/auth/sign-in", { message: "x", signature: "0x00" }, {}, unconfigured);
      expect(signInAnswer.status).toBe(503);
      expect(signInAnswer.body.error.code).toBe("NOT_READY");
      expectRefused(await get("/api/v1/auth/me", bearer(await forge({})), unconfigured), "TOKENS_DISABLED");
      expect((await get("/api/v1/auth/me", {}, unconfigured)).body).toEqual({ kind: "anonymous" });
    });

    it("gives a member suspended on chain 403 at once, even with its unexpired token", async () => {
      const token = await tokenOf(wallet("refractory"));
      expect((await get("/api/v1/auth/me", bearer(token))).status).toBe(200);
      await (await system.chain.contracts.registry.suspend(wallet("refractory").address, zeroPadValue("0x01", 32))).wait();
      await system.sync();
      const refused = await get("/api/v1/auth/me", bearer(token));
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe("MEMBER_NOT_ACTIVE");
      expect(refused.body.error.details).toEqual({ address: address("refractory"), status: "suspended" });
      // Nor can it sign in again.
      expectRefused(await signIn(wallet("refractory")), "MEMBER_NOT_ACTIVE", "body.message");
      await (await system.chain.contracts.registry.reinstate(wallet("refractory").address, zeroPadValue("0x02", 32))).wait();
      await system.sync();
      expect((await get("/api/v1/auth/me", bearer(token))).status).toBe(200);
    });
  });

  describe("API keys", () => {
    it("issues a key shown once, which then authenticates and is listed with lastUsedAt but no secret; revoked, it is refused", async () => {
      const token = await tokenOf(wallet("juicePlant"));
      const member = address("juicePlant");
      const issued = await post(`/api/v1/members/${member}/api-keys`, { name: "ERP connector", scope: "read" }, bearer(token));
      expect(issued.status, JSON.stringify(issued.body)).toBe(200);
      expect(issued.body).toMatchObject({ member, name: "ERP connector", scope: "read", createdBy: member, lastUsedAt: null, revokedAt: null });
      expect(issued.body.key).toMatch(new RegExp(`^tfk_${issued.body.id}\\.[A-Za-z0-9_-]{43}$`));
      const key: string = issued.body.key;

      const me = await get("/api/v1/auth/me", { "x-api-key": key });
      expect(me.status, JSON.stringify(me.body)).toBe(200);
      expect(me.body).toMatchObject({ kind: "member", address: member, via: "api-key", scope: "read", apiKeyId: issued.body.id, roles: ["ENTERPRISE"] });

      const listed = await get(`/api/v1/members/${member}/api-keys`, bearer(token));
      expect(listed.status).toBe(200);
      const row = listed.body.items.find((item: any) => item.id === issued.body.id);
      expect(row.lastUsedAt).not.toBeNull();
      expect(JSON.stringify(listed.body)).not.toContain(key.split(".")[1]);
      expect(Object.keys(row).sort()).toEqual(["createdAt", "createdBy", "id", "lastUsedAt", "member", "name", "revokedAt", "scope"]);
      const stored = await system.database.db.execute(sql`SELECT * FROM api_keys WHERE id = ${issued.body.id}`);
      expect(JSON.stringify(stored)).not.toContain(key.split(".")[1]);

      // A wrong secret for a real id, and a malformed key.
      expectRefused(await get("/api/v1/auth/me", { "x-api-key": `tfk_${issued.body.id}.${"A".repeat(43)}` }), "API_KEY_UNKNOWN", "header.x-api-key");
      expectRefused(await get("/api/v1/auth/me", { "x-api-key": "letmein" }), "API_KEY_MALFORMED", "header.x-api-key");
      expectRefused(await get("/api/v1/auth/me", { "x-api-key": key, ...bearer(token) }), "AMBIGUOUS_CREDENTIALS");

      // An API key cannot manage keys.
      const byKey = await post(`/api/v1/members/${member}/api-keys`, { name: "more", scope: "read-write" }, { "x-api-key": key });
      expect(byKey.status).toBe(403);

      const revoked = await post(`/api/v1/members/${member}/api-keys/${issued.body.id}/revoke`, {}, bearer(token));
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).not.toBeNull();
      expectRefused(await get("/api/v1/auth/me", { "x-api-key": key }), "API_KEY_REVOKED", "header.x-api-key");
      expectRefused(await get(`/api/v1/members/${member}`, { "x-api-key": key }), "API_KEY_REVOKED");
    });

    it("a key revoked through one instance is refused at once by another that had verified and kept it", async () => {
      const watches = [await system.database.watchCredentials(), await system.database.watchCredentials()];
      try {
        const [first, second] = [
          await startApp({}, { credentialWatch: watches[0] }),
          await startApp({}, { credentialWatch: watches[1] }),
        ];
        const member = address("carrier");
        const token = await tokenOf(wallet("carrier"));
        const issued = await post(`/api/v1/members/${member}/api-keys`, { name: "fleet system", scope: "read" }, bearer(token), first);
        const key = { "x-api-key": issued.body.key };
        // Both instances verify the key once and keep it: the row can change under them without their noticing...
        for (const base of [first, second]) expect((await get("/api/v1/auth/me", key, base)).status).toBe(200);
        await system.database.db.execute(sql`UPDATE api_keys SET scope = 'read-write' WHERE id = ${issued.body.id}`);
        expect((await get("/api/v1/auth/me", key, second)).body.scope).toBe("read");
        // ...but a revocation is announced: the other instance refuses the key as soon as the announcement arrives.
        expect((await post(`/api/v1/members/${member}/api-keys/${issued.body.id}/revoke`, {}, bearer(token), first)).status).toBe(200);
        expectRefused(await get("/api/v1/auth/me", key, first), "API_KEY_REVOKED", "header.x-api-key");
        const deadline = Date.now() + 2_000;
        let answer = await get("/api/v1/auth/me", key, second);
        while (answer.status === 200 && Date.now() < deadline) answer = await get("/api/v1/auth/me", key, second);
        expectRefused(answer, "API_KEY_REVOKED", "header.x-api-key");
      } finally {
        await Promise.all(watches.map((watch) => watch.close()));
      }
    });

    it("lets neither another member nor an anonymous caller issue, list or revoke a member's keys; the admin can", async () => {
      const member = address("exporter");
      const own = await tokenOf(wallet("exporter"));
      const other = await tokenOf(wallet("bank"));
      const issued = await post(`/api/v1/members/${member}/api-keys`, { name: "customs broker link", scope: "read-write" }, bearer(own));
      expect(issued.status).toBe(200);

      for (const headers of [bearer(other), {}]) {
        const expected = "authorization" in headers ? 403 : 401;
        expect((await post(`/api/v1/members/${member}/api-keys`, { name: "x", scope: "read" }, headers)).status).toBe(expected);
        expect((await get(`/api/v1/members/${member}/api-keys`, headers)).status).toBe(expected);
        expect((await post(`/api/v1/members/${member}/api-keys/${issued.body.id}/revoke`, {}, headers)).status).toBe(expected);
      }
      // The other member's own key list cannot reach the exporter's key either.
      expect((await post(`/api/v1/members/${address("bank")}/api-keys/${issued.body.id}/revoke`, {}, bearer(other))).status).toBe(404);

      const adminToken = await tokenOf(admin);
      const byAdmin = await post(`/api/v1/members/${member}/api-keys`, { name: "issued by the admin", scope: "read" }, bearer(adminToken));
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body.createdBy).toBe(admin.address.toLowerCase());
      const listed = await get(`/api/v1/members/${member}/api-keys`, bearer(adminToken));
      expect(listed.body.items.map((item: any) => item.id).sort()).toEqual([issued.body.id, byAdmin.body.id].sort());
      const revoked = await post(`/api/v1/members/${member}/api-keys/${issued.body.id}/revoke`, {}, bearer(adminToken));
      expect(revoked.status).toBe(200);
      expectRefused(await get("/api/v1/auth/me", { "x-api-key": issued.body.key }), "API_KEY_REVOKED");
      // Not a member: nothing to issue keys to.
      const nobody = await post(`/api/v1/members/${outsider.address.toLowerCase()}/api-keys`, { name: "x", scope: "read" }, bearer(adminToken));
      expect(nobody.status).toBe(404);
    });

    it("stops a suspended member's API key at once", async () => {
      const member = address("foundry");
      const token = await tokenOf(wallet("foundry"));
      const { body } = await post(`/api/v1/members/${member}/api-keys`, { name: "MES", scope: "read" }, bearer(token));
      expect((await get("/api/v1/auth/me", { "x-api-key": body.key })).status).toBe(200);
      await (await system.chain.contracts.registry.suspend(wallet("foundry").address, zeroPadValue("0x03", 32))).wait();
      await system.sync();
      const refused = await get("/api/v1/auth/me", { "x-api-key": body.key });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe("MEMBER_NOT_ACTIVE");
    });
  });

  describe("rate limit", () => {
    it("answers 429 with Retry-After past the per-IP limit of /api/v1/auth/*, and leaves other routes alone", async () => {
      const limited = await startApp({ rateLimit: { max: 3, windowMs: 60_000 } });
      for (let i = 0; i < 3; i++) expect((await get("/api/v1/auth/nonce", {}, limited)).status).toBe(200);
      const refused = await get("/api/v1/auth/nonce", {}, limited);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe("TOO_MANY_REQUESTS");
      const retryAfter = Number(refused.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect((await post("/api/v1/auth/sign-in", { message: "x", signature: "0x00" }, {}, limited)).status).toBe(429);
      expect((await get("/healthz", {}, limited)).status).toBe(200);
    });
  });

  it("documents the routes and both security schemes in OpenAPI, and answers as documented", async () => {
    const doc = (await get("/openapi.json")).body;
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    expect(doc.components.securitySchemes.apiKeyAuth).toMatchObject({ type: "apiKey", in: "header", name: "X-API-Key" });
    expect(doc.paths["/api/v1/members/{member}/api-keys"].post.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths["/api/v1/batches"].get.security).toEqual([{ bearerAuth: [] }, { apiKeyAuth: [] }]);
    expect(doc.paths["/api/v1/public/batches/{id}"].get.security).toEqual([{}, { bearerAuth: [] }, { apiKeyAuth: [] }]);

    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
    addFormats(ajv);
    ajv.addVocabulary(["openapi", "info", "servers", "paths", "components", "tags", "example", "discriminator", "xml", "externalDocs"]);
    const id = "https://tracefin.test/openapi.json";
    ajv.addSchema({ ...doc, $id: id });
    const expectDocumented = (path: string, method: "get" | "post", res: Answer) => {
      const operation = doc.paths[path][method];
      expect(operation.tags).toEqual(["Sign-in and API keys"]);
      const status = String(res.status);
      expect(operation.responses[status], `${operation.operationId} ${status}`).toBeDefined();
      const pointer = ["paths", path, method, "responses", status, "content", "application/json", "schema"]
        .map((t) => t.replace(/~/g, "~0").replace(/\//g, "~1"))
        .join("/");
      const validate = ajv.getSchema(`${id}#/${pointer}`)!;
      expect(validate(res.body), `${operation.operationId} ${status}: ${JSON.stringify(validate.errors)}`).toBe(true);
    };

    expectDocumented("/api/v1/auth/nonce", "get", await get("/api/v1/auth/nonce"));
    const signedIn = await signIn(wallet("steelMill"));
    expectDocumented("/api/v1/auth/sign-in", "post", signedIn);
    expectDocumented("/api/v1/auth/sign-in", "post", await signIn(wallet("steelMill"), { nonce: "unknownnonce1234" }));
    expectDocumented("/api/v1/auth/sign-in", "post", await post("/api/v1/auth/sign-in", { message: "x" }));
    const token = signedIn.body.token;
    expectDocumented("/api/v1/auth/me", "get", await get("/api/v1/auth/me"));
    expectDocumented("/api/v1/auth/me", "get", await get("/api/v1/auth/me", bearer(token)));
    expectDocumented("/api/v1/auth/me", "get", await get("/api/v1/auth/me", bearer(token + "x")));
    const member = address("steelMill");
    const issued = await post(`/api/v1/members/${member}/api-keys`, { name: "treasury", scope: "read-write" }, bearer(token));
    expectDocumented("/api/v1/members/{member}/api-keys", "post", issued);
    expectDocumented("/api/v1/auth/me", "get", await get("/api/v1/auth/me", { "x-api-key": issued.body.key }));
    expectDocumented("/api/v1/members/{member}/api-keys", "get", await get(`/api/v1/members/${member}/api-keys`, bearer(token)));
    expectDocumented("/api/v1/members/{member}/api-keys", "get", await get(`/api/v1/members/${member}/api-keys`));
    expectDocumented("/api/v1/members/{member}/api-keys", "get", await get(`/api/v1/members/${address("bank")}/api-keys`, bearer(token)));
    const revokePath = "/api/v1/members/{member}/api-keys/{id}/revoke";
    expectDocumented(revokePath, "post", await post(`/api/v1/members/${member}/api-keys/${issued.body.id}/revoke`, {}, bearer(token)));
    expectDocumented(revokePath, "post", await post(`/api/v1/members/${member}/api-keys/${"0".repeat(12)}/revoke`, {}, bearer(token)));
    expectDocumented(revokePath, "post", await post(`/api/v1/members/${member}/api-keys/nope/revoke`, {}, bearer(token)));
  });
});
