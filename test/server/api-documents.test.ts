import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { randomBytes } from "ethers";
import { sha256Hex } from "../../shared/hashing";
import { createLocalDocumentStore } from "../../server/documents/document-store";
import type { DemoMemberKey } from "../../scripts/demo/scenario";
import { startAppOver, startTestSystem, type TestSystem } from "../support/system";
import { databaseKind } from "../support/database";
import { apiKeyOf, bearer, demoWallet, request, tokenOf, type Answer, type SignInTarget } from "../support/sign-in";

const DOMAIN = "tracefin.test";
const MAX_BYTES = 64 * 1024;
const PDF = Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% harvest report QX-2026-FUJI-A\n%%EOF\n", "latin1");
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("IHDR....")]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);

describe(`documents: upload, content-addressed store, anchored status, integrity, access (${databaseKind})`, () => {
  let system: TestSystem;
  let closeApp: (() => Promise<void>) | undefined;
  let target: SignInTarget;
  let dir: string;
  let store: ReturnType<typeof createLocalDocumentStore>;
  const tokens = new Map<DemoMemberKey, string>();
  const as = (key: DemoMemberKey) => bearer(tokens.get(key)!);
  const address = (key: DemoMemberKey) => system.demo.members[key].toLowerCase();

  const upload = (bytes: Uint8Array, contentType: string | undefined, headers: Record<string, string> = {}) =>
    request(`${target.baseUrl}/api/v1/documents`, {
      method: "POST",
      headers: { ...(contentType ? { "content-type": contentType } : {}), ...headers },
      body: bytes,
    });
  const metadata = (sha256: string, headers: Record<string, string> = {}) => request(`${target.baseUrl}/api/v1/documents/${sha256}`, { headers });
  const download = (sha256: string, headers: Record<string, string> = {}) => fetch(`${target.baseUrl}/api/v1/documents/${sha256}/content`, { headers });
  /** The files of a document's folder that are it or a temporary copy of it (other documents may share the folder). */
  const storedFiles = async (sha256: string) =>
    (await fs.readdir(path.join(dir, sha256.slice(2, 4)))).filter((name) => name.startsWith(sha256.slice(2)));
  const expectError = (answer: Answer, status: number, code: string) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    expect(answer.body.error.code).toBe(code);
  };

  beforeAll(async () => {
    system = await startTestSystem();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "tracefin-documents-"));
    store = createLocalDocumentStore(dir);
    const app = await startAppOver(system, {
      auth: { jwtSecret: new Uint8Array(randomBytes(32)), domain: DOMAIN, rateLimit: { max: 10_000, windowMs: 60_000 } },
      documents: { store, maxBytes: MAX_BYTES },
    });
    closeApp = app.close;
    target = {
      baseUrl: app.baseUrl,
      domain: DOMAIN,
      chainId: system.chain.deployment.chainId,
    };
    for (const key of ["orchard", "juicePlant", "inspector", "coldStore", "regulator", "bank", "steelMill"] as const) {
      expect(demoWallet(key).address.toLowerCase()).toBe(address(key));
      tokens.set(key, await tokenOf(target, demoWallet(key)));
    }
  });
  afterAll(async () => {
    await closeApp?.();
    await system?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  describe("upload and download", () => {
    const sha256 = sha256Hex(PDF);

    it("stores a PDF uploaded by the orchard (201), content-addressed in the folder; not anchored", async () => {
      const answer = await upload(PDF, "application/pdf", { ...as("orchard"), "x-filename": "harvest-report.pdf" });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      expect(answer.body).toEqual({ sha256, size: PDF.length, contentType: "application/pdf", anchored: false, references: [] });
      const file = path.join(dir, sha256.slice(2, 4), sha256.slice(2));
      expect(store.pathOf(sha256)).toBe(file);
      expect(await fs.readFile(file)).toEqual(PDF);
      // Only the document itself: no temporary file left behind.
      expect(await storedFiles(sha256)).toEqual([sha256.slice(2)]);
    });

    it("the same bytes again are idempotent (200) and record the new uploader; each uploader sees its own upload, regulators all", async () => {
      const again = await upload(PDF, "application/pdf", { ...as("juicePlant"), "x-filename": "%E6%94%B6%E8%B4%A7%E5%8D%95.pdf" });
      expect(again.status, JSON.stringify(again.body)).toBe(200);
      expect(again.body).toMatchObject({ sha256, size: PDF.length, anchored: false });
      expect((await upload(PDF, "application/pdf", as("orchard"))).status).toBe(200);
      expect(await storedFiles(sha256)).toEqual([sha256.slice(2)]);

      const byRegulator = await metadata(sha256, as("regulator"));
      expect(byRegulator.status, JSON.stringify(byRegulator.body)).toBe(200);
      expect(byRegulator.body).toMatchObject({ sha256, size: PDF.length, contentType: "application/pdf", anchored: false, references: [], uploadCount: 2 });
      const uploads = byRegulator.body.uploads.map((u: any) => [u.uploader, u.filename]);
      expect(uploads).toEqual([
        [address("orchard"), "harvest-report.pdf"],
        [address("juicePlant"), "收货单.pdf"],
      ]);
      const byOrchard = await metadata(sha256, as("orchard"));
      expect(byOrchard.body.uploadCount).toBe(2);
      expect(byOrchard.body.uploads.map((u: any) => u.uploader)).toEqual([address("orchard")]);
      // Without 0x, upper-case: the same document.
      expect((await metadata(sha256.slice(2).toUpperCase(), as("juicePlant"))).body.sha256).toBe(sha256);
    });

    it("concurrent uploads of the same new bytes store one file and one document: one 201, the others 200", async () => {
      const bytes = Buffer.from(`%PDF-1.4\n% bill of lading ${Date.now()}\n%%EOF\n`);
      const uploaders = ["orchard", "juicePlant", "coldStore", "bank"] as const;
      const answers = await Promise.all(uploaders.map((key) => upload(bytes, "application/pdf", as(key))));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 201]);
      expect(await storedFiles(sha256Hex(bytes))).toEqual([sha256Hex(bytes).slice(2)]);
      const byRegulator = await metadata(sha256Hex(bytes), as("regulator"));
      expect(byRegulator.body.uploads.map((u: any) => u.uploader).sort()).toEqual(uploaders.map(address).sort());
    });

    it("downloads the bytes with their Content-Type and a Repr-Digest header", async () => {
      const response = await download(sha256, as("juicePlant"));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/pdf");
      expect(response.headers.get("repr-digest")).toBe(`sha-256=:${Buffer.from(sha256.slice(2), "hex").toString("base64")}:`);
      expect(response.headers.get("content-disposition")).toBe("attachment");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes).toEqual(PDF);
      expect(sha256Hex(bytes)).toBe(sha256);
    });

    it("keeps JSON documents byte for byte (the JSON parser leaves uploads alone)", async () => {
      const json = Buffer.from('{ "reading":  4.5,\n  "unit": "CEL" }\n');
      const answer = await upload(json, "application/json; charset=utf-8", as("coldStore"));
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      expect(answer.body.sha256).toBe(sha256Hex(json));
      const response = await download(answer.body.sha256, as("coldStore"));
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(Buffer.from(await response.arrayBuffer())).toEqual(json);
    });

    it("answers 500 DOCUMENT_CORRUPTED, and none of the bytes, when the stored file was tampered with or lost", async () => {
      const original = Buffer.from("cold room 3 log: all readings within 0-4 C\n");
      const { body } = await upload(original, "text/plain", as("coldStore"));
      const file = store.pathOf(body.sha256);
      await fs.writeFile(file, "cold room 3 log: all readings within 0-4 C, except 14:00-16:00\n");
      const tampered = await download(body.sha256, as("coldStore"));
      expect(tampered.status).toBe(500);
      expect(tampered.headers.get("content-type")).toMatch(/^application\/json/);
      expect(tampered.headers.get("repr-digest")).toBeNull();
      const text = await tampered.text();
      expect(JSON.parse(text).error).toMatchObject({ code: "DOCUMENT_CORRUPTED", details: { sha256: body.sha256, reason: "HASH_MISMATCH" } });
      expect(text).not.toContain("readings");
      // The metadata is still there: it is the bytes that cannot be trusted.
      expect((await metadata(body.sha256, as("coldStore"))).status).toBe(200);
      // Uploading the genuine bytes again repairs the stored file.
      expect((await upload(original, "text/plain", as("coldStore"))).status).toBe(200);
      expect(await fs.readFile(file)).toEqual(original);

      await fs.rm(file);
      const lost = await request(`${target.baseUrl}/api/v1/documents/${body.sha256}/content`, { headers: as("coldStore") });
      expectError(lost, 500, "DOCUMENT_CORRUPTED");
      expect(lost.body.error.details.reason).toBe("MISSING");
      // Uploading the genuine bytes again restores the document.
      expect((await upload(original, "text/plain", as("coldStore"))).status).toBe(200);
      expect((await download(body.sha256, as("coldStore"))).status).toBe(200);
    });
  });

  describe("anchored documents and access", () => {
    // The demo put sha256("phytosanitary certificate applesA") on chain with the inspection of batch applesA.
    const certificate = Buffer.from("phytosanitary certificate applesA");
    const sha256 = sha256Hex(certificate);

    it("a document whose hash an on-chain event carries is anchored, with the ledger objects that reference it", async () => {
      const answer = await upload(certificate, "text/plain", as("inspector"));
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      expect(answer.body.anchored).toBe(true);
      expect(answer.body.references).toEqual([
        expect.objectContaining({ kind: "batch", id: String(system.demo.batches.applesA), eventType: "inspected", field: "documentHash" }),
      ]);
      expect(answer.body.references[0].txHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(answer.body.references[0].blockNumber).toBeGreaterThan(0);
    });

    it("is readable by the uploader, the inspected batch's producer and a regulator", async () => {
      for (const key of ["inspector", "orchard", "regulator"] as const) {
        const answer = await metadata(sha256, as(key));
        expect(answer.status, `${key}: ${JSON.stringify(answer.body)}`).toBe(200);
        expect(answer.body.anchored).toBe(true);
        const response = await download(sha256, as(key));
        expect(response.status, key).toBe(200);
        expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
        expect(Buffer.from(await response.arrayBuffer())).toEqual(certificate);
      }
      // The producer is a party, not an uploader: it sees no upload details.
      expect((await metadata(sha256, as("orchard"))).body).toMatchObject({ uploadCount: 1, uploads: [] });
      expect((await metadata(sha256, as("regulator"))).body.uploads.map((u: any) => u.uploader)).toEqual([address("inspector")]);
    });

    it("refuses an unrelated member (403, not 404) and anonymous callers (401)", async () => {
      expectError(await metadata(sha256, as("steelMill")), 403, "FORBIDDEN");
      expectError(await request(`${target.baseUrl}/api/v1/documents/${sha256}/content`, { headers: as("steelMill") }), 403, "FORBIDDEN");
      const anonymous = await metadata(sha256);
      expectError(anonymous, 401, "UNAUTHORIZED");
      expect(anonymous.body.error.details.reason).toBe("CREDENTIAL_REQUIRED");
      expectError(await request(`${target.baseUrl}/api/v1/documents/${sha256}/content`), 401, "UNAUTHORIZED");
      // A fresh upload by someone else is not readable by the steel mill either, but is by its uploader.
      const fresh = await upload(Buffer.from(`orchard note ${Date.now()}`), "text/plain", as("orchard"));
      expect(fresh.body).toMatchObject({ anchored: false, references: [] });
      expectError(await metadata(fresh.body.sha256, as("steelMill")), 403, "FORBIDDEN");
      expect((await metadata(fresh.body.sha256, as("orchard"))).status).toBe(200);
    });

    it("a receipt's attestation: readable by its warehouse, holder and the financier of the loan on it", async () => {
      const ticket = Buffer.from("weighbridge ticket and camera check, cold room 3");
      const answer = await upload(ticket, "text/plain", as("coldStore"));
      expect(answer.body.anchored).toBe(true);
      expect(answer.body.references).toEqual([
        expect.objectContaining({ kind: "receipt", id: String(system.demo.finance.receipts.apples), eventType: "attested", field: "documentHash" }),
      ]);
      for (const key of ["orchard", "bank", "regulator"] as const) {
        expect((await metadata(answer.body.sha256, as(key))).status, key).toBe(200);
      }
      expectError(await metadata(answer.body.sha256, as("steelMill")), 403, "FORBIDDEN");
    });

    it("a loan's repayment slip: readable by the borrower and the financier", async () => {
      const slip = Buffer.from("repayment 1, bank slip 2026-10-03");
      const answer = await upload(slip, "text/plain", as("bank"));
      expect(answer.body.references).toEqual([
        expect.objectContaining({ kind: "loan", id: system.demo.finance.loans.apples, eventType: "repayment", field: "referenceHash" }),
      ]);
      expect((await metadata(answer.body.sha256, as("orchard"))).status).toBe(200);
      expectError(await metadata(answer.body.sha256, as("juicePlant")), 403, "FORBIDDEN");
    });

    it("answers a regulator 404 for a hash with no stored document, a member 403 (no existence oracle), 400 for a malformed one", async () => {
      expectError(await metadata("0x" + "ab".repeat(32), as("regulator")), 404, "NOT_FOUND");
      expectError(await metadata("0x" + "ab".repeat(32), as("steelMill")), 403, "FORBIDDEN");
      const malformed = await metadata("0x1234", as("orchard"));
      expectError(malformed, 400, "VALIDATION_FAILED");
      expect(malformed.body.error.details[0].field).toBe("params.sha256");
    });
  });

  describe("upload limits and credentials", () => {
    it("refuses an empty body (400)", async () => {
      const answer = await upload(new Uint8Array(0), "application/pdf", as("orchard"));
      expectError(answer, 400, "VALIDATION_FAILED");
      expect(answer.body.error.details[0].field).toBe("body");
    });

    it("refuses a body over the configured limit (413), and accepts one at the limit", async () => {
      const tooLarge = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(MAX_BYTES, 0x20)]);
      expectError(await upload(tooLarge, "application/pdf", as("orchard")), 413, "PAYLOAD_TOO_LARGE");
      const atLimit = tooLarge.subarray(0, MAX_BYTES);
      expect((await upload(atLimit, "application/pdf", as("orchard"))).status).toBe(201);
    });

    it("refuses media types outside the allow-list, and non-UTF-8 charsets (415)", async () => {
      for (const contentType of ["text/html", "application/octet-stream", "image/svg+xml", undefined]) {
        const answer = await upload(Buffer.from("<p>hello</p>"), contentType, as("orchard"));
        expectError(answer, 415, "UNSUPPORTED_MEDIA_TYPE");
        expect(answer.body.error.details.field).toBe("header.content-type");
      }
      expectError(await upload(Buffer.from("name;qty\n"), "text/csv; charset=latin1", as("orchard")), 415, "UNSUPPORTED_MEDIA_TYPE");
    });

    it("refuses bytes that contradict the declared type (400 naming the header), accepts those that match", async () => {
      const cases: [Uint8Array, string][] = [
        [Buffer.from("hello, not a PDF"), "application/pdf"],
        [JPEG, "image/png"],
        [PNG, "image/jpeg"],
        [Buffer.from('{"open": '), "application/json"],
        [Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]), "text/plain"],
        [Buffer.from([0xff, 0xfe, 0x3c, 0x00]), "application/xml"],
      ];
      for (const [bytes, contentType] of cases) {
        const answer = await upload(bytes, contentType, as("orchard"));
        expectError(answer, 400, "VALIDATION_FAILED");
        expect(answer.body.error.details[0].field, contentType).toBe("header.content-type");
        expect(answer.body.error.message).toContain("header.content-type");
      }
      expect((await upload(PNG, "image/png", as("orchard"))).status).toBe(201);
      expect((await upload(JPEG, "image/jpeg", as("orchard"))).status).toBe(201);
      expect((await upload(Buffer.from("gtin,lot\n6970000000017,QX-2026-FUJI-A\n"), "text/csv", as("orchard"))).status).toBe(201);
      expect((await upload(Buffer.from('<?xml version="1.0"?><bill/>'), "application/xml", as("orchard"))).status).toBe(201);
    });

    it("needs a signed-in member with write access: anonymous 401, read-only API key 403, read-write key accepted", async () => {
      const bytes = Buffer.from(`bill of lading ${Date.now()}`);
      const anonymous = await upload(bytes, "text/plain");
      expectError(anonymous, 401, "UNAUTHORIZED");
      expect(anonymous.body.error.details.reason).toBe("CREDENTIAL_REQUIRED");
      const readKey = await apiKeyOf(target, tokens.get("juicePlant")!, address("juicePlant"), "read");
      expectError(await upload(bytes, "text/plain", { "x-api-key": readKey }), 403, "FORBIDDEN");
      const writeKey = await apiKeyOf(target, tokens.get("juicePlant")!, address("juicePlant"), "read-write");
      const stored = await upload(bytes, "text/plain", { "x-api-key": writeKey });
      expect(stored.status, JSON.stringify(stored.body)).toBe(201);
      // A read-only key reads what its member may read.
      expect((await metadata(stored.body.sha256, { "x-api-key": readKey })).status).toBe(200);
    });

    it("refuses a file name with a path (400)", async () => {
      const answer = await upload(PDF, "application/pdf", { ...as("orchard"), "x-filename": "../../etc/passwd" });
      expectError(answer, 400, "VALIDATION_FAILED");
      expect(answer.body.error.details[0].field).toBe("header.x-filename");
    });
  });

  describe("OpenAPI", () => {
    it("documents the routes under Documents, with binary bodies, credentials, and the answers' shapes", async () => {
      const doc = (await request(`${target.baseUrl}/openapi.json`)).body;
      const uploadOp = doc.paths["/api/v1/documents"].post;
      expect(uploadOp.tags).toEqual(["Documents"]);
      expect(uploadOp.security).toEqual([{ bearerAuth: [] }, { apiKeyAuth: [] }]);
      expect(Object.keys(uploadOp.requestBody.content).sort()).toEqual(
        ["application/json", "application/pdf", "application/xml", "image/jpeg", "image/png", "text/csv", "text/plain"],
      );
      expect(uploadOp.requestBody.content["application/pdf"]).toEqual({});
      for (const status of ["200", "201", "400", "401", "403", "413", "415", "500"]) expect(uploadOp.responses[status], status).toBeDefined();
      const contentOp = doc.paths["/api/v1/documents/{sha256}/content"].get;
      expect(contentOp.responses["200"].content["application/pdf"]).toEqual({});
      expect(contentOp.responses["200"].headers["Repr-Digest"]).toBeDefined();
      expect(doc.paths["/api/v1/documents/{sha256}"].get.parameters.map((p: any) => p.name)).toEqual(["sha256"]);

      const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
      addFormats(ajv);
      ajv.addVocabulary(["openapi", "info", "servers", "paths", "components", "tags", "example", "discriminator", "xml", "externalDocs"]);
      ajv.addSchema({ ...doc, $id: "https://tracefin.test/openapi.json" });
      const schema = (name: string) => ajv.getSchema(`https://tracefin.test/openapi.json#/components/schemas/${name}`)!;
      const sha256 = sha256Hex(Buffer.from("phytosanitary certificate applesA"));
      const got = await metadata(sha256, as("regulator"));
      expect(schema("Document")(got.body), JSON.stringify(schema("Document").errors)).toBe(true);
      const uploaded = await upload(Buffer.from("phytosanitary certificate applesA"), "text/plain", as("regulator"));
      expect(schema("UploadedDocument")(uploaded.body), JSON.stringify(schema("UploadedDocument").errors)).toBe(true);
      expect(schema("Error")((await metadata(sha256)).body)).toBe(true);
    });
  });
});
