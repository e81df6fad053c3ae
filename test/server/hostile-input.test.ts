import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "ethers";
import { createLocalDocumentStore } from "../../server/documents/document-store";
import { DEMO_PRODUCTS } from "../../scripts/demo/scenario";
import { startAppOver, startTestSystem, type TestSystem } from "../support/system";
import { databaseKind } from "../support/database";
import { bearer, demoWallet, request, tokenOf } from "../support/sign-in";

const DOMAIN = "tracefin.test";

/** What an attacker types into a parameter: SQL, over-long, NUL, odd Unicode, path tricks. */
const HOSTILE = [
  "' OR '1'='1",
  "1; DROP TABLE members; --",
  "1 UNION SELECT address, name FROM members --",
  "%' --",
  "0x' OR 1=1 --",
  "\u0000",
  "../../etc/passwd",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢\u202e",
  "9".repeat(400),
  "x".repeat(10_000),
];

interface Operation {
  operationId: string;
  parameters: { name: string; in: "path" | "query" }[];
}

/**
 * Every read the API documents, every parameter, every hostile value: the answer is never a 5xx,
 * an error is the documented JSON shape, and nothing in the database changes. Callers sign in as a
 * regulator, so that operations needing a credential are swept too.
 */
describe(`hostile input on every parameter of every read (${databaseKind})`, () => {
  let system: TestSystem;
  let baseUrl: string;
  let close: () => Promise<void>;
  let token: string;
  let dir: string;

  beforeAll(async () => {
    system = await startTestSystem();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tracefin-hostile-"));
    const app = await startAppOver(system, {
      auth: { jwtSecret: new Uint8Array(randomBytes(32)), domain: DOMAIN, rateLimit: { max: 100_000, windowMs: 60_000 } },
      documents: { store: createLocalDocumentStore(dir), maxBytes: 1024 },
    });
    ({ baseUrl, close } = app);
    token = await tokenOf({ baseUrl, domain: DOMAIN, chainId: system.chain.deployment.chainId }, demoWallet("regulator"));
  });
  afterAll(async () => {
    await close?.();
    await system?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("never answers 5xx, always answers errors in the documented shape, and changes nothing", async () => {
    const doc = (await request(`${baseUrl}/openapi.json`)).body;
    const before = {
      members: (await system.get("/api/v1/members?limit=200")).body.items.length,
      batches: (await system.get("/api/v1/batches?limit=200")).body.items.length,
      receivables: (await system.get("/api/v1/receivables?limit=200")).body.items.length,
    };
    // A valid value for each path parameter, so that one parameter at a time is hostile.
    const valid: Record<string, string> = {
      id: "1",
      address: system.demo.members.bank,
      member: system.demo.members.bank,
      gtin: DEMO_PRODUCTS.juice.gtin.toString(),
      root: system.demo.anchor.root,
      sha256: "0x" + "00".repeat(32),
      hash: "0x" + "00".repeat(32),
    };
    let requests = 0;
    for (const [template, methods] of Object.entries<Record<string, Operation>>(doc.paths)) {
      const operation = methods.get;
      if (!operation) continue;
      const params = operation.parameters ?? [];
      for (const target of params) {
        for (const hostile of HOSTILE) {
          const url = template.replace(/\{(\w+)\}/g, (_, name: string) =>
            encodeURIComponent(name === target.name && target.in === "path" ? hostile : (valid[name] ?? "1")),
          );
          const query = target.in === "query" ? `?${target.name}=${encodeURIComponent(hostile)}` : "";
          const answer = await request(baseUrl + url + query, { headers: bearer(token) });
          requests++;
          const where = `${operation.operationId} ${target.in}.${target.name}=${JSON.stringify(hostile.slice(0, 40))}`;
          expect(answer.status, `${where}: ${JSON.stringify(answer.body).slice(0, 300)}`).toBeLessThan(500);
          if (answer.status >= 400) {
            expect(answer.body.error, where).toMatchObject({ code: expect.any(String), message: expect.any(String) });
          }
        }
      }
    }
    expect(requests).toBeGreaterThan(300);
    expect({
      members: (await system.get("/api/v1/members?limit=200")).body.items.length,
      batches: (await system.get("/api/v1/batches?limit=200")).body.items.length,
      receivables: (await system.get("/api/v1/receivables?limit=200")).body.items.length,
    }).toEqual(before);
  });

  it("refuses over-long and hostile credentials with a 401, never a 5xx", async () => {
    for (const hostile of HOSTILE) {
      const headers: Record<string, string>[] = [{ authorization: `Bearer ${hostile}` }, { "x-api-key": hostile }];
      for (const header of headers) {
        // Header values must be ByteStrings: what fetch cannot send, no client can.
        const value = Object.values(header)[0];
        if (/[^\u0020-\u00ff]/.test(value)) continue;
        const answer = await request(`${baseUrl}/api/v1/auth/me`, { headers: header });
        expect(answer.status, `${Object.keys(header)[0]}: ${hostile.slice(0, 40)}`).toBe(401);
        expect(answer.body.error.code).toBe("UNAUTHORIZED");
      }
    }
  });
});
