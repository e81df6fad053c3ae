import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { Validator } from "@seriousme/openapi-schema-validator";
import { createLogger } from "../../shared/logger";
import { buildMerkleTree, leafOf } from "../../shared/merkle";
import { createApp } from "../../server/app";
import type { RouteSpec } from "../../server/http/route";
import { DEMO_PRODUCTS } from "../../scripts/demo/scenario";
import { startTestSystem, type TestSystem } from "../support/system";
import { databaseKind } from "../support/database";

type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};
type Parameter = { name: string; in: string; required: boolean; schema: Record<string, unknown> };
type Operation = {
  operationId: string;
  parameters: Parameter[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
  /** Alternatives; `{}` among them means no credential is needed. */
  security: Record<string, string[]>[];
};

const DOC_ID = "https://tracefin.test/openapi.json";
/** Routes that serve the documentation itself rather than the API. */
const NOT_API = new Set(["GET /openapi.json", "GET /docs", "GET /docs/init.js"]);

const pointer = (...tokens: string[]) => "#/" + tokens.map((t) => t.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  return ref
    .slice(2)
    .split("/")
    .map((token) => decodeURIComponent(token).replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, token) => (node && typeof node === "object" ? (node as Record<string, unknown>)[token] : undefined), doc);
}

function refsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item) => refsIn(item, found));
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") found.push(value);
      else refsIn(value, found);
    }
  }
  return found;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: string;
}

/** Every method and path the Express app answers, read from its router stack (nested routers included). */
function expressRoutes(stack: Layer[], prefix = ""): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      return Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${prefix}${layer.route!.path}`);
    }
    if (layer.handle?.stack) {
      const mount = layer.rawPath && layer.rawPath !== "/" ? layer.rawPath : "";
      return expressRoutes(layer.handle.stack, prefix + mount);
    }
    return [];
  });
}

const zodKeys = (schema: RouteSpec["params"]) => (schema ? Object.keys(schema.shape) : []);

describe(`OpenAPI document and docs page (${databaseKind})`, () => {
  let system: TestSystem;
  let doc: OpenApiDocument;
  let ajv: Ajv2020;
  let routeSpecs: RouteSpec[];
  let routeList: string[];
  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
  const operationById = (id: string) => {
    const found = operations().find((o) => o.operation.operationId === id);
    if (!found) throw new Error(`operation ${id} is not documented`);
    return found;
  };

  /** Asserts that a real response has a documented status, media type and body shape. */
  function expectDocumented(operationId: string, res: { status: number; body: unknown; headers: Headers }): void {
    const { path, method, operation } = operationById(operationId);
    const response = operation.responses[String(res.status)];
    expect(response, `${operationId} does not document status ${res.status}: ${JSON.stringify(res.body)}`).toBeDefined();
    const [mediaType] = Object.keys(response.content ?? {});
    expect(res.headers.get("content-type")?.split(";")[0]).toBe(mediaType);
    const validate = ajv.getSchema(DOC_ID + pointer("paths", path, method, "responses", String(res.status), "content", mediaType, "schema"))!;
    expect(validate, `no schema for ${operationId} ${res.status}`).toBeDefined();
    const valid = validate(res.body);
    expect(valid, `${operationId} ${res.status}: ${JSON.stringify(validate.errors)}\n${JSON.stringify(res.body).slice(0, 500)}`).toBe(true);
  }

  async function call(operationId: string, path: string, body?: unknown) {
    const res = body === undefined ? await system.get(path) : await system.post(path, body);
    expectDocumented(operationId, res);
    return res;
  }

  beforeAll(async () => {
    system = await startTestSystem();
    doc = (await system.get("/openapi.json")).body;
    ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
    addFormats(ajv);
    // The document's own fields and OpenAPI's extra schema keywords are not JSON Schema keywords.
    ajv.addVocabulary(["openapi", "info", "servers", "paths", "components", "tags", "example", "discriminator", "xml", "externalDocs"]);
    ajv.addSchema({ ...doc, $id: DOC_ID });
    const built = createApp({ db: system.database.db, logger: createLogger("test", "silent") });
    routeSpecs = built.routes.routes;
    routeList = expressRoutes((built.app as unknown as { router: { stack: Layer[] } }).router.stack);
  });
  afterAll(async () => {
    await system?.stop();
  });

  describe("the document", () => {
    it("is served as JSON and is a valid OpenAPI 3.1 document", async () => {
      const res = await system.get("/openapi.json");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(doc.openapi).toBe("3.1.0");
      const validator = new Validator();
      const result = await validator.validate(doc as unknown as Record<string, unknown>);
      expect(result.errors, JSON.stringify(result.errors, null, 2)).toBeUndefined();
      expect(result.valid).toBe(true);
      expect(validator.version).toBe("3.1");
      // The validator is not vacuous: a parameter without a location is refused.
      const broken = structuredClone(doc) as any;
      delete broken.paths["/api/v1/batches/{id}"].get.parameters[0].in;
      expect((await new Validator().validate(broken)).valid).toBe(false);
    });

    it("is the document the app builds from its route table", async () => {
      const { routes } = createApp({ db: system.database.db, logger: createLogger("test", "silent") });
      expect(routes.routes.map((r) => r.operationId)).toEqual(routeSpecs.map((r) => r.operationId));
      const ids = operations().map((o) => o.operation.operationId);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it("documents every route the app answers, with its path parameters", () => {
      const apiRoutes = routeList.filter((route) => !NOT_API.has(route));
      expect(apiRoutes.length).toBeGreaterThanOrEqual(12);
      for (const route of NOT_API) expect(routeList).toContain(route);
      const documented = new Set(operations().map((o) => `${o.method.toUpperCase()} ${o.path}`));
      for (const route of apiRoutes) {
        const openApi = route.replace(/:(\w+)/g, "{$1}");
        expect(documented, `${route} is not documented`).toContain(openApi);
        const [method, path] = openApi.split(" ");
        const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const documentedPathParams = doc.paths[path][method.toLowerCase()].parameters.filter((p) => p.in === "path");
        expect(documentedPathParams.map((p) => p.name)).toEqual(pathParams);
        for (const p of documentedPathParams) expect(p.required).toBe(true);
      }
      expect(documented.size).toBe(apiRoutes.length);
    });

    it("documents each route's query parameters and body from its schemas", () => {
      for (const spec of routeSpecs) {
        const { operation } = operationById(spec.operationId);
        expect(operation.parameters.filter((p) => p.in === "path").map((p) => p.name)).toEqual(zodKeys(spec.params));
        expect(operation.parameters.filter((p) => p.in === "query").map((p) => p.name)).toEqual(zodKeys(spec.query));
        for (const p of operation.parameters) expect(Object.keys(p.schema).length).toBeGreaterThan(0);
        expect(!!operation.requestBody).toBe(!!spec.body);
        for (const status of ["200", "400", "500", ...(spec.errorStatuses ?? []).map(String)]) {
          expect(operation.responses[status], `${spec.operationId} ${status}`).toBeDefined();
        }
      }
    });

    it("documents the public API's parameters as clients know them", () => {
      const expected: Record<string, { path?: string[]; query?: string[]; required?: string[]; body?: boolean }> = {
        health: {},
        readiness: {},
        listMembers: { query: ["role", "status", "limit", "cursor"] },
        getMember: { path: ["address"] },
        listProducts: { query: ["registrant", "hsCode", "limit", "cursor"] },
        getProduct: { path: ["gtin"] },
        listBatches: { query: ["gtin", "producer", "custodian", "status", "originRegion", "limit", "cursor"] },
        getBatch: { path: ["id"] },
        getBatchTimeline: { path: ["id"], query: ["type", "limit", "cursor"] },
        traceBatch: { path: ["id"], query: ["direction", "depth"] },
        listAnchors: { query: ["submitter", "limit", "cursor"] },
        getAnchor: { path: ["root"] },
        verifyAnchorProof: { body: true },
      };
      for (const [operationId, want] of Object.entries(expected)) {
        const { operation } = operationById(operationId);
        const names = (where: string) => operation.parameters.filter((p) => p.in === where).map((p) => p.name);
        expect(names("path"), operationId).toEqual(want.path ?? []);
        expect(names("query").sort(), operationId).toEqual([...(want.query ?? [])].sort());
        expect(operation.parameters.filter((p) => p.in === "query" && p.required), operationId).toEqual([]);
        expect(!!operation.requestBody, operationId).toBe(!!want.body);
      }
      const trace = operationById("traceBatch").operation.parameters;
      expect(trace.find((p) => p.name === "depth")!.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 50, default: 10 });
      expect(trace.find((p) => p.name === "direction")!.schema).toMatchObject({ enum: ["backward", "forward", "both"], default: "both" });
      const body = operationById("verifyAnchorProof").operation.requestBody!.content["application/json"].schema as any;
      expect(Object.keys(body.properties).sort()).toEqual(["content", "leaf", "proof", "root"]);
      expect(body.required.sort()).toEqual(["proof", "root"]);
    });

    it("resolves every $ref inside the document", () => {
      const refs = refsIn(doc);
      expect(refs.length).toBeGreaterThan(20);
      for (const ref of new Set(refs)) {
        expect(ref, "only local references").toMatch(/^#\//);
        const target = resolvePointer(doc, ref);
        expect(target, `${ref} does not resolve`).toBeTypeOf("object");
      }
      for (const name of ["Error", "Member", "Product", "Batch", "TraceEvent", "TraceGraph", "Anchor", "ProofVerdict"]) {
        expect(doc.components.schemas[name], name).toBeDefined();
      }
    });

    it("has component schemas that compile as strict JSON Schema 2020-12", () => {
      for (const name of Object.keys(doc.components.schemas)) {
        expect(() => ajv.getSchema(DOC_ID + pointer("components", "schemas", name)), name).not.toThrow();
      }
      for (const { path, method, operation } of operations()) {
        for (const [i] of operation.parameters.entries()) {
          expect(() => ajv.getSchema(DOC_ID + pointer("paths", path, method, "parameters", String(i), "schema"))).not.toThrow();
        }
      }
    });

    it("describes parameters that accept what the API accepts and refuse what it refuses", async () => {
      const param = (operationId: string, name: string) => {
        const { path, method, operation } = operationById(operationId);
        const index = operation.parameters.findIndex((p) => p.name === name);
        return ajv.getSchema(DOC_ID + pointer("paths", path, method, "parameters", String(index), "schema"))!;
      };
      const depth = param("traceBatch", "depth");
      expect([depth(1), depth(50), depth(0), depth(51)]).toEqual([true, true, false, false]);
      const address = param("getMember", "address");
      expect([address(system.demo.members.bank), address("0x12")]).toEqual([true, false]);
      const cursor = param("listBatches", "cursor");
      expect([cursor("WzJd"), cursor("a b"), cursor("x".repeat(201))]).toEqual([true, false, false]);
      const hsCode = param("listProducts", "hsCode");
      expect([hsCode("0808"), hsCode("8")]).toEqual([true, false]);
      // Every value an enum parameter documents is one the API accepts.
      for (const [operationId, name, path] of [
        ["listMembers", "role", "/api/v1/members"],
        ["listMembers", "status", "/api/v1/members"],
        ["listBatches", "status", "/api/v1/batches"],
        ["getBatchTimeline", "type", `/api/v1/batches/${system.demo.batches.juice}/events`],
        ["traceBatch", "direction", `/api/v1/batches/${system.demo.batches.juice}/trace`],
      ]) {
        const { operation } = operationById(operationId);
        const values = operation.parameters.find((p) => p.name === name)!.schema.enum as string[];
        expect(values.length, `${operationId} ${name}`).toBeGreaterThan(1);
        for (const value of values) await call(operationId, `${path}?${name}=${value}`);
      }
    });
  });

  describe("real responses match the documented schemas", () => {
    it("answers every documented GET operation, with example path parameters, as documented", async () => {
      const { finance } = system.demo;
      const examples: Record<string, string> = {
        id: String(system.demo.batches.juice),
        address: system.demo.members.juicePlant,
        gtin: DEMO_PRODUCTS.juice.gtin.toString(),
        root: system.demo.anchor.root,
      };
      // Where a parameter name means another resource's id.
      const examplesByPrefix: [string, Record<string, string>][] = [
        ["/api/v1/receipts/", { id: String(finance.receipts.apples) }],
        ["/api/v1/loans/", { id: finance.loans.apples }],
        ["/api/v1/financiers/", { address: system.demo.members.bank }],
        ["/api/v1/receivables/", { id: String(system.demo.receivables.supplyChain) }],
      ];
      const exampleFor = (path: string, name: string) =>
        examplesByPrefix.find(([prefix]) => path.startsWith(prefix))?.[1][name] ?? examples[name];
      let called = 0;
      for (const { path, method, operation } of operations()) {
        if (method !== "get") continue;
        // As the regulator, who reads everything: operations that need a session token, or a keystore
        // this app has not, are tested in their own files.
        if (!operation.security.some((requirement) => "apiKeyAuth" in requirement || Object.keys(requirement).length === 0)) continue;
        if (operation.operationId === "listManagedKeys") continue;
        const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        if (names.some((name) => exampleFor(path, name) === undefined)) continue;
        const url = path.replace(/\{(\w+)\}/g, (_, name: string) => exampleFor(path, name));
        const res = await system.get(url);
        expect(res.status, `${operation.operationId} ${url}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(200);
        expectDocumented(operation.operationId, res);
        called++;
      }
      expect(called).toBeGreaterThanOrEqual(20);
    });

    it("members, products and anchors", async () => {
      const { members, anchor } = system.demo;
      await call("listMembers", "/api/v1/members?limit=2");
      await call("listMembers", "/api/v1/members?role=ENTERPRISE&status=active");
      for (const address of Object.values(members)) await call("getMember", `/api/v1/members/${address}`);
      await call("getMember", `/api/v1/members/0x${"00".repeat(20)}`);
      await call("getMember", "/api/v1/members/nobody");
      await call("listProducts", "/api/v1/products?hsCode=8708");
      for (const product of Object.values(DEMO_PRODUCTS)) await call("getProduct", `/api/v1/products/${product.gtin}`);
      await call("getProduct", "/api/v1/products/6970000000018");
      await call("getProduct", "/api/v1/products/96385074");
      await call("listAnchors", "/api/v1/anchors");
      await call("getAnchor", `/api/v1/anchors/${anchor.root}`);
      await call("getAnchor", `/api/v1/anchors/0x${"ab".repeat(32)}`);
      await call("getAnchor", "/api/v1/anchors/0x12");
      const tree = buildMerkleTree(anchor.readings.map((r) => leafOf(r)));
      const verified = await call("verifyAnchorProof", "/api/v1/anchors/verify", { root: anchor.root, leaf: tree.leaves[2], proof: tree.proof(2) });
      expect(verified.body.verified).toBe(true);
      const unknown = await call("verifyAnchorProof", "/api/v1/anchors/verify", { root: "0x" + "cd".repeat(32), content: "x", proof: [] });
      expect(unknown.body.anchor).toBeNull();
      await call("verifyAnchorProof", "/api/v1/anchors/verify", { root: anchor.root, proof: [] });
      const raw = async (body: string, contentType: string) => {
        const response = await fetch(`${system.baseUrl}/api/v1/anchors/verify`, { method: "POST", headers: { "content-type": contentType }, body });
        return { status: response.status, body: await response.json(), headers: response.headers };
      };
      expect((await raw("{", "application/json")).status).toBe(400);
      expectDocumented("verifyAnchorProof", await raw("{", "application/json"));
      const tooLarge = await raw(JSON.stringify({ root: anchor.root, content: "x".repeat(1_100_000), proof: [] }), "application/json");
      expect(tooLarge.status).toBe(413);
      expectDocumented("verifyAnchorProof", tooLarge);
      const charset = await raw("{}", "application/json; charset=latin2");
      expect(charset.status).toBe(415);
      expectDocumented("verifyAnchorProof", charset);
    });

    it("every batch, its timeline and its trace", async () => {
      const count = Number(await system.chain.contracts.ledger.batchCount());
      const page = await call("listBatches", "/api/v1/batches?limit=3");
      expect(page.body.nextCursor).not.toBeNull();
      await call("listBatches", `/api/v1/batches?cursor=${page.body.nextCursor}`);
      await call("listBatches", "/api/v1/batches?cursor=garbage");
      const types = new Set<string>();
      for (let id = 1; id <= count; id++) {
        await call("getBatch", `/api/v1/batches/${id}`);
        const timeline = await call("getBatchTimeline", `/api/v1/batches/${id}/events?limit=200`);
        for (const event of timeline.body.items) types.add(event.type);
        await call("traceBatch", `/api/v1/batches/${id}/trace?depth=50`);
      }
      // The demo covers most event types, so their `details` and nullable fields are all checked.
      expect(types.size).toBeGreaterThanOrEqual(9);
      await call("getBatch", "/api/v1/batches/999999");
      await call("getBatch", "/api/v1/batches/abc");
      await call("getBatchTimeline", "/api/v1/batches/999999/events");
      await call("traceBatch", "/api/v1/batches/999999/trace");
      await call("traceBatch", "/api/v1/batches/1/trace?depth=0");
    });

    it("health, readiness and not-ready", async () => {
      await call("health", "/healthz");
      await call("readiness", "/readyz");
      try {
        for (let i = 0; i < 25; i++) await system.chain.rpc("evm_mine");
        const res = await call("readiness", "/readyz");
        expect(res.status).toBe(503);
      } finally {
        await system.sync();
      }
      expect((await call("readiness", "/readyz")).status).toBe(200);
    });

    it("the response schemas are strict: a body that drifts from them is refused", async () => {
      const { path } = operationById("getBatch");
      const validate = ajv.getSchema(DOC_ID + pointer("paths", path, "get", "responses", "200", "content", "application/json", "schema"))!;
      const batch = (await system.get(`/api/v1/batches/${system.demo.batches.juice}`)).body;
      expect(validate(batch)).toBe(true);
      expect(validate({ ...batch, quantity: 1000 })).toBe(false);
      expect(validate({ ...batch, extra: true })).toBe(false);
      const { id: _id, ...withoutId } = batch;
      expect(validate(withoutId)).toBe(false);
      expect(validate({ ...batch, status: "lost" })).toBe(false);
    });

    it("unknown routes answer the documented error shape", async () => {
      const res = await system.get("/api/v1/nothing");
      expect(res.status).toBe(404);
      const validate = ajv.getSchema(DOC_ID + pointer("components", "schemas", "Error"))!;
      expect(validate(res.body), JSON.stringify(validate.errors)).toBe(true);
    });
  });

  describe("the docs page", () => {
    it("serves an HTML page that loads Swagger UI from this server", async () => {
      const response = await fetch(`${system.baseUrl}/docs`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html).toMatch(/^<!doctype html>/i);
      expect(html).toContain('<script src="/docs/assets/swagger-ui-bundle.js"></script>');
      expect(html).toContain('<link rel="stylesheet" href="/docs/assets/swagger-ui.css">');
      expect(html).not.toMatch(/https?:\/\//);
      const csp = response.headers.get("content-security-policy")!;
      expect(csp).toContain("default-src 'self'");
      expect(csp).not.toContain("script-src 'unsafe-inline'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");

      const init = await fetch(`${system.baseUrl}/docs/init.js`);
      expect(init.status).toBe(200);
      expect(init.headers.get("content-type")).toMatch(/javascript/);
      expect(await init.text()).toContain('url: "/openapi.json"');
    });

    it("serves the Swagger UI assets, and nothing outside them", async () => {
      const bundle = await fetch(`${system.baseUrl}/docs/assets/swagger-ui-bundle.js`);
      expect(bundle.status).toBe(200);
      expect(bundle.headers.get("content-type")).toMatch(/javascript/);
      const source = await bundle.text();
      expect(source.length).toBeGreaterThan(500_000);
      expect(source).toContain("SwaggerUIBundle");
      const css = await fetch(`${system.baseUrl}/docs/assets/swagger-ui.css`);
      expect(css.status).toBe(200);
      expect(css.headers.get("content-type")).toMatch(/^text\/css/);
      await css.arrayBuffer();

      const missing = await system.get("/docs/assets/nothing-here.js");
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe("NOT_FOUND");
      const escape = await system.get("/docs/assets/%2e%2e/package.json");
      expect([403, 404]).toContain(escape.status);
      expect(JSON.stringify(escape.body)).not.toContain("swagger-ui-dist");
    });
  });
});
