import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectContracts } from "../../shared/chain/contracts";
import { sha256Hex } from "../../shared/hashing";
import { buildMerkleTree, leafOf } from "../../shared/merkle";
import { gtinCheckDigit } from "../../shared/trade-codes";
import { DEMO_MEMBERS, DEMO_PRODUCTS, type DemoMemberKey } from "../../scripts/demo/scenario";
import { startTestSystem, type TestSystem } from "../support/system";
import { databaseKind } from "../support/database";

type Response = Awaited<ReturnType<TestSystem["get"]>>;

/** Every error answers `{ error: { code, message, details } }`; a validation error names its field in both. */
function expectError(res: Response, status: number, code: string, field?: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(Object.keys(res.body)).toEqual(["error"]);
  expect(Object.keys(res.body.error).sort()).toEqual(["code", "details", "message"]);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe("string");
  expect(res.body.error.message.length).toBeGreaterThan(0);
  if (field !== undefined) {
    expect(res.body.error.message).toContain(field);
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  }
}

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString("base64url");
const signerIndexOf = (key: DemoMemberKey) => DEMO_MEMBERS.findIndex((member) => member.key === key) + 1;
const gtin13 = (gtin: bigint) => gtin.toString();
const gtin14 = (gtin: bigint) => gtin.toString().padStart(14, "0");

describe(`API resources on a real node and indexer (${databaseKind})`, () => {
  let system: TestSystem;
  let members: Record<DemoMemberKey, string>;
  let ids: Record<string, number>;
  /** Every batch, from an unfiltered listing, to check filters against. */
  let allBatches: any[];
  let secondAnchorRoot: string;

  /** Follows nextCursor from `path` to the end, asserting each page is at most `limit` long. */
  async function walk(path: string, limit: number): Promise<any[]> {
    const items: any[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 1000; page++) {
      const separator = path.includes("?") ? "&" : "?";
      const res = await system.get(`${path}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (cursor === null) return items;
      expect(res.body.items).toHaveLength(limit);
    }
    throw new Error(`pagination of ${path} did not end`);
  }

  /** A POST whose body is sent as given, not serialized. */
  async function postRaw(path: string, body: string, contentType = "application/json"): Promise<Response> {
    const response = await fetch(system.baseUrl + path, { method: "POST", headers: { "content-type": contentType }, body });
    return { status: response.status, body: (await response.json()) as any, headers: response.headers };
  }

  beforeAll(async () => {
    system = await startTestSystem();
    members = Object.fromEntries(
      Object.entries(system.demo.members).map(([key, address]) => [key, address.toLowerCase()]),
    ) as Record<DemoMemberKey, string>;
    ids = system.demo.batches;
    // A suspended member for the status filter, and a second anchor for anchor paging and filtering.
    await (await system.chain.contracts.registry.suspend(system.demo.members.bank, sha256Hex("overdue audit"))).wait();
    const exporter = connectContracts(system.chain.deployment, await system.chain.signer(signerIndexOf("exporter")));
    secondAnchorRoot = buildMerkleTree([leafOf("customs declaration 1"), leafOf("customs declaration 2")]).root;
    await (await exporter.ledger.anchor(secondAnchorRoot, 2, "https://tracefin.example/anchors/customs.json")).wait();
    await system.sync();
    const res = await system.get("/api/v1/batches?limit=200");
    allBatches = res.body.items;
  });
  afterAll(async () => {
    await system?.stop();
  });

  describe("operations", () => {
    it("GET /healthz answers ok", async () => {
      const res = await system.get("/healthz");
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: "ok" });
    });

    it("GET /readyz is ready with no lag once the indexer has caught up", async () => {
      const res = await system.get("/readyz");
      expect(res.status).toBe(200);
      const head = await system.chain.provider.getBlockNumber();
      expect(res.body).toMatchObject({ status: "ready", indexedBlock: head, chainHead: head, lagBlocks: 0 });
      expect(Number.isNaN(Date.parse(res.body.indexerUpdatedAt))).toBe(false);
    });

    it("GET /readyz is not ready (503) when the chain runs more than 20 blocks ahead of the index", async () => {
      const before = await system.chain.provider.getBlockNumber();
      try {
        for (let i = 0; i < 25; i++) await system.chain.rpc("evm_mine");
        const res = await system.get("/readyz");
        expectError(res, 503, "NOT_READY");
        expect(res.body.error.message).toContain("25 blocks behind");
        expect(res.body.error.details).toMatchObject({ indexedBlock: before, chainHead: before + 25, lagBlocks: 25 });
      } finally {
        await system.sync();
      }
      const res = await system.get("/readyz");
      expect(res.status).toBe(200);
      expect(res.body.lagBlocks).toBe(0);
    });
  });

  describe("members", () => {
    it("lists every member in address order with its roles and profile", async () => {
      const res = await system.get("/api/v1/members");
      expect(res.status).toBe(200);
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.items).toHaveLength(DEMO_MEMBERS.length);
      const addresses = res.body.items.map((m: any) => m.address);
      expect(addresses).toEqual([...addresses].sort());
      expect(new Set(addresses)).toEqual(new Set(Object.values(members)));
      const regulator = res.body.items.find((m: any) => m.address === members.regulator);
      expect(regulator).toMatchObject({
        name: "Yantai Market Supervision Administration",
        roles: ["REGULATOR", "AUDITOR"],
        status: "active",
        metadataUri: "https://tracefin.example/members/regulator",
      });
      expect(regulator.creditCodeHash).toBe(sha256Hex("USCC Yantai Market Supervision Administration"));
    });

    it("filters by role", async () => {
      const enterprises = await system.get("/api/v1/members?role=ENTERPRISE");
      expect(enterprises.status).toBe(200);
      const expected = DEMO_MEMBERS.filter((m) => (m.roles as readonly string[]).includes("ENTERPRISE")).map((m) => members[m.key]);
      expect(enterprises.body.items.map((m: any) => m.address).sort()).toEqual(expected.sort());
      const auditors = await system.get("/api/v1/members?role=AUDITOR");
      expect(auditors.body.items.map((m: any) => m.address)).toEqual([members.regulator]);
      const insurers = await system.get("/api/v1/members?role=INSURER");
      expect(insurers.body).toEqual({ items: [], nextCursor: null });
      expectError(await system.get("/api/v1/members?role=KING"), 400, "VALIDATION_FAILED", "query.role");
    });

    it("filters by status", async () => {
      const suspended = await system.get("/api/v1/members?status=suspended");
      expect(suspended.body.items.map((m: any) => [m.address, m.status])).toEqual([[members.bank, "suspended"]]);
      const active = await system.get("/api/v1/members?status=active");
      expect(active.body.items).toHaveLength(DEMO_MEMBERS.length - 1);
      expect(active.body.items.every((m: any) => m.status === "active")).toBe(true);
      const combined = await system.get("/api/v1/members?status=suspended&role=ENTERPRISE");
      expect(combined.body.items).toEqual([]);
      expectError(await system.get("/api/v1/members?status=asleep"), 400, "VALIDATION_FAILED", "query.status");
    });

    it("pages through members with a cursor", async () => {
      const paged = await walk("/api/v1/members", 3);
      const all = (await system.get("/api/v1/members")).body.items;
      expect(paged).toEqual(all);
    });

    it("gets one member, whatever the case of its address", async () => {
      const res = await system.get(`/api/v1/members/${system.demo.members.juicePlant}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ address: members.juicePlant, name: "Yantai Golden Apple Juice Co.", roles: ["ENTERPRISE"] });
      const upper = await system.get(`/api/v1/members/0x${members.juicePlant.slice(2).toUpperCase()}`);
      expect(upper.body).toEqual(res.body);
    });

    it("answers 404 for an unknown address and 400 naming params.address for a malformed one", async () => {
      const unknown = "0x" + "00".repeat(19) + "01";
      const res = await system.get(`/api/v1/members/${unknown}`);
      expectError(res, 404, "NOT_FOUND");
      expect(res.body.error.message).toContain(unknown);
      expect(res.body.error.details).toEqual({ resource: "Member", id: unknown });
      for (const bad of ["0x12", "0x" + "zz".repeat(20), members.orchard.slice(2), members.orchard + "00"]) {
        expectError(await system.get(`/api/v1/members/${bad}`), 400, "VALIDATION_FAILED", "params.address");
      }
    });
  });

  describe("products", () => {
    it("lists every product in GTIN order with its registrant", async () => {
      const res = await system.get("/api/v1/products");
      expect(res.status).toBe(200);
      expect(res.body.items.map((p: any) => p.gtin)).toEqual(Object.values(DEMO_PRODUCTS).map((p) => gtin14(p.gtin)).sort());
      const juice = res.body.items.find((p: any) => p.gtin === gtin14(DEMO_PRODUCTS.juice.gtin));
      expect(juice).toMatchObject({
        name: DEMO_PRODUCTS.juice.name,
        hsCode: "200979",
        uri: "https://tracefin.example/p/juice",
        registrant: { address: members.juicePlant, name: "Yantai Golden Apple Juice Co." },
      });
      expect(juice.txHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(await walk("/api/v1/products", 2)).toEqual(res.body.items);
    });

    it("filters by HS code prefix", async () => {
      const parts = await system.get("/api/v1/products?hsCode=8708");
      expect(parts.body.items.map((p: any) => p.name).sort()).toEqual([DEMO_PRODUCTS.brakes.name, DEMO_PRODUCTS.discs.name].sort());
      const apples = await system.get("/api/v1/products?hsCode=080810");
      expect(apples.body.items.map((p: any) => p.gtin)).toEqual([gtin14(DEMO_PRODUCTS.apples.gtin)]);
      const chapter = await system.get("/api/v1/products?hsCode=08");
      expect(chapter.body.items).toHaveLength(1);
      expect((await system.get("/api/v1/products?hsCode=99")).body.items).toEqual([]);
      for (const bad of ["8", "0808%25", "08a", "1".repeat(11)]) {
        expectError(await system.get(`/api/v1/products?hsCode=${bad}`), 400, "VALIDATION_FAILED", "query.hsCode");
      }
    });

    it("filters by registrant", async () => {
      const res = await system.get(`/api/v1/products?registrant=${system.demo.members.steelMill}`);
      expect(res.body.items.map((p: any) => p.gtin)).toEqual([gtin14(DEMO_PRODUCTS.steel.gtin)]);
      expect((await system.get(`/api/v1/products?registrant=${system.demo.members.bank}`)).body.items).toEqual([]);
      expectError(await system.get("/api/v1/products?registrant=steel"), 400, "VALIDATION_FAILED", "query.registrant");
    });

    it("gets a product by its GTIN-13 or GTIN-14 form", async () => {
      const by13 = await system.get(`/api/v1/products/${gtin13(DEMO_PRODUCTS.apples.gtin)}`);
      expect(by13.status).toBe(200);
      expect(by13.body).toMatchObject({ gtin: gtin14(DEMO_PRODUCTS.apples.gtin), name: DEMO_PRODUCTS.apples.name, hsCode: "080810" });
      const by14 = await system.get(`/api/v1/products/${gtin14(DEMO_PRODUCTS.apples.gtin)}`);
      expect(by14.body).toEqual(by13.body);
    });

    it("answers 400 for a bad check digit and 404 for an unknown product", async () => {
      const apples = gtin13(DEMO_PRODUCTS.apples.gtin);
      const badCheck = apples.slice(0, -1) + String((Number(apples.at(-1)) + 1) % 10);
      expectError(await system.get(`/api/v1/products/${badCheck}`), 400, "VALIDATION_FAILED", "params.gtin");
      for (const bad of ["abc", "123", "6".repeat(15)]) {
        expectError(await system.get(`/api/v1/products/${bad}`), 400, "VALIDATION_FAILED", "params.gtin");
      }
      const body = "697000000099";
      const unknown = body + gtinCheckDigit(body);
      const res = await system.get(`/api/v1/products/${unknown}`);
      expectError(res, 404, "NOT_FOUND");
      expect(res.body.error.message).toContain(unknown.padStart(14, "0"));
    });
  });

  describe("batches", () => {
    it("lists every batch in id order with product, parties and lineage pointers", async () => {
      const count = Number(await system.chain.contracts.ledger.batchCount());
      expect(count).toBeGreaterThan(10);
      expect(allBatches.map((b) => b.id)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
      const applesB1 = allBatches.find((b) => b.id === ids.applesB1);
      expect(applesB1).toMatchObject({
        product: { gtin: gtin14(DEMO_PRODUCTS.apples.gtin), name: DEMO_PRODUCTS.apples.name, hsCode: "080810" },
        lot: "QX-2026-FUJI-B",
        quantity: "0",
        initialQuantity: "10000",
        unit: "KGM",
        originRegion: 370686,
        producer: { address: members.orchard, name: "Qixia Red Fuji Orchard Cooperative" },
        custodian: { address: members.juicePlant, name: "Yantai Golden Apple Juice Co." },
        pendingRecipient: null,
        status: "consumed",
        parentId: ids.applesB,
        transformationId: null,
      });
      const juice = allBatches.find((b) => b.id === ids.juice);
      expect(juice).toMatchObject({ quantity: "1000", initialQuantity: "4000", unit: "LTR", transformationId: 1, parentId: null });
    });

    const filters: [string, (b: any) => boolean, () => string][] = [
      ["gtin (GTIN-13)", (b) => b.product.gtin === gtin14(DEMO_PRODUCTS.apples.gtin), () => `gtin=${gtin13(DEMO_PRODUCTS.apples.gtin)}`],
      ["gtin (GTIN-14)", (b) => b.product.gtin === gtin14(DEMO_PRODUCTS.juice.gtin), () => `gtin=${gtin14(DEMO_PRODUCTS.juice.gtin)}`],
      ["producer", (b) => b.producer.address === members.orchard, () => `producer=${members.orchard}`],
      ["custodian", (b) => b.custodian.address === members.juicePlant, () => `custodian=${members.juicePlant.toUpperCase().replace("0X", "0x")}`],
      ["status", (b) => b.status === "consumed", () => "status=consumed"],
      ["originRegion", (b) => b.originRegion === 370686, () => "originRegion=370686"],
      ["several at once", (b) => b.producer.address === members.orchard && b.status === "active", () => `producer=${members.orchard}&status=active`],
    ];
    it.each(filters)("filters by %s", async (_name, predicate, query) => {
      const expected = allBatches.filter(predicate);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(allBatches.length);
      const res = await system.get(`/api/v1/batches?${query()}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.items).toEqual(expected);
    });

    it("checks the filters' values", async () => {
      expect((await system.get("/api/v1/batches?status=recalled")).body.items.map((b: any) => b.id)).toEqual([ids.applesC, ids.applesE]);
      expect((await system.get("/api/v1/batches?originRegion=110101")).body.items).toEqual([]);
      expectError(await system.get("/api/v1/batches?status=lost"), 400, "VALIDATION_FAILED", "query.status");
      expectError(await system.get("/api/v1/batches?gtin=6970000000018"), 400, "VALIDATION_FAILED", "query.gtin");
      expectError(await system.get("/api/v1/batches?producer=orchard"), 400, "VALIDATION_FAILED", "query.producer");
      expectError(await system.get("/api/v1/batches?custodian=0x1"), 400, "VALIDATION_FAILED", "query.custodian");
      expectError(await system.get("/api/v1/batches?originRegion=0"), 400, "VALIDATION_FAILED", "query.originRegion");
      expectError(await system.get("/api/v1/batches?originRegion=Qixia"), 400, "VALIDATION_FAILED", "query.originRegion");
      expectError(await system.get("/api/v1/batches?limit=0"), 400, "VALIDATION_FAILED", "query.limit");
      expectError(await system.get("/api/v1/batches?limit=201"), 400, "VALIDATION_FAILED", "query.limit");
      expectError(await system.get("/api/v1/batches?limit=ten"), 400, "VALIDATION_FAILED", "query.limit");
    });

    it("walks every batch with limit=2 without gaps or duplicates", async () => {
      const paged = await walk("/api/v1/batches", 2);
      expect(paged).toEqual(allBatches);
      const filtered = await walk(`/api/v1/batches?producer=${members.orchard}`, 2);
      expect(filtered).toEqual(allBatches.filter((b) => b.producer.address === members.orchard));
    });

    it("answers 400 naming query.cursor for a tampered cursor", async () => {
      const first = await system.get("/api/v1/batches?limit=2");
      const cursor: string = first.body.nextCursor;
      const tampered = [
        "not-a-cursor",
        cursor.slice(0, -1) + (cursor.at(-1) === "A" ? "B" : "A") + "x",
        cursorOf(["3"]),
        cursorOf([1, 2]),
        cursorOf(["1) OR (1=1"]),
        cursorOf([1.5]),
        cursorOf([{ id: 1 }]),
        Buffer.from("[1e400]").toString("base64url"),
        "x".repeat(201),
        "abc$",
      ];
      for (const bad of tampered) {
        expectError(await system.get(`/api/v1/batches?limit=2&cursor=${encodeURIComponent(bad)}`), 400, "VALIDATION_FAILED", "query.cursor");
      }
    });

    it("gets one batch", async () => {
      const res = await system.get(`/api/v1/batches/${ids.juiceExport}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(allBatches.find((b) => b.id === ids.juiceExport));
      expect(res.body).toMatchObject({
        custodian: { address: members.exporter, name: "Yantai Port International Trading Co." },
        producer: { address: members.juicePlant },
        parentId: ids.juice,
        quantity: "3000",
        status: "active",
      });
    });

    it("answers 404 for an unknown batch and 400 naming params.id for a malformed id", async () => {
      const res = await system.get("/api/v1/batches/999999");
      expectError(res, 404, "NOT_FOUND");
      expect(res.body.error.message).toContain("999999");
      expect(res.body.error.details).toEqual({ resource: "Batch", id: "999999" });
      for (const bad of ["abc", "0", "-1", "1.5", "9".repeat(5000), "99999999999999999999", "Infinity", "NaN", "0x10", "1e3", " 7", "007"]) {
        expectError(await system.get(`/api/v1/batches/${bad}`), 400, "VALIDATION_FAILED", "params.id");
        expectError(await system.get(`/api/v1/batches/${bad}/events`), 400, "VALIDATION_FAILED", "params.id");
      }
    });
  });

  describe("timelines", () => {
    it("tells the apples batch A's story, oldest first", async () => {
      const res = await system.get(`/api/v1/batches/${ids.applesA}/events`);
      expect(res.status).toBe(200);
      expect(res.body.nextCursor).toBeNull();
      const events = res.body.items;
      expect(events.map((e: any) => e.type)).toEqual(["commissioned", "inspected", "shipped", "received", "observed", "split"]);
      const positions = events.map((e: any) => [e.blockNumber, e.logIndex]);
      expect(positions).toEqual([...positions].sort((a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1]));
      expect(events.every((e: any) => e.batchId === ids.applesA)).toBe(true);
      const [commissioned, inspected, shipped, received, observed, split] = events;
      expect(commissioned).toMatchObject({
        actor: { address: members.orchard, name: "Qixia Red Fuji Orchard Cooperative" },
        quantity: "20000",
        documentHash: sha256Hex("batch record QX-2026-FUJI-A"),
        details: { lot: "QX-2026-FUJI-A", originRegion: 370686 },
      });
      expect(inspected).toMatchObject({ actor: { address: members.inspector }, details: { passed: true } });
      expect(shipped).toMatchObject({
        actor: { address: members.orchard },
        counterparty: { address: members.coldStore, name: "Yantai Bohai Cold-Chain Warehouse" },
        quantity: "20000",
        details: { carrier: members.carrier },
      });
      expect(received).toMatchObject({ actor: { address: members.coldStore }, counterparty: { address: members.orchard } });
      expect(observed).toMatchObject({ actor: { address: members.coldStore }, documentHash: sha256Hex(system.demo.anchor.readings.join("\n")) });
      expect(split).toMatchObject({ actor: { address: members.coldStore }, quantity: "18000", details: { childId: ids.applesA1 } });
      for (const event of events) {
        expect(event.txHash).toMatch(/^0x[0-9a-f]{64}$/);
        expect(event.blockHash).toMatch(/^0x[0-9a-f]{64}$/);
        expect(event.time).toBeGreaterThan(1_600_000_000);
      }
    });

    it("shows a transformation from both sides", async () => {
      const output = (await system.get(`/api/v1/batches/${ids.juice}/events`)).body.items;
      expect(output.map((e: any) => e.type)).toEqual(["transformed_output", "inspected", "split"]);
      expect(output[0].details).toEqual({
        transformationId: 1,
        inputs: [
          { batchId: ids.applesA1, quantity: "18000" },
          { batchId: ids.applesB1, quantity: "10000" },
        ],
      });
      const input = (await system.get(`/api/v1/batches/${ids.applesA1}/events?type=transformed_input`)).body.items;
      expect(input).toHaveLength(1);
      expect(input[0]).toMatchObject({ quantity: "18000", details: { transformationId: 1, outputs: [ids.juice] } });
      const recalled = (await system.get(`/api/v1/batches/${ids.applesC}/events`)).body.items;
      expect(recalled.map((e: any) => e.type)).toEqual(["commissioned", "inspected", "held", "recalled"]);
      expect(recalled[3].actor.address).toBe(members.regulator);
    });

    it("pages with a cursor and filters by type", async () => {
      const all = (await system.get(`/api/v1/batches/${ids.applesA}/events`)).body.items;
      expect(await walk(`/api/v1/batches/${ids.applesA}/events`, 2)).toEqual(all);
      expect(await walk(`/api/v1/batches/${ids.applesA}/events`, 1)).toEqual(all);
      const inspections = await system.get(`/api/v1/batches/${ids.applesA}/events?type=inspected`);
      expect(inspections.body.items).toEqual(all.filter((e: any) => e.type === "inspected"));
      expect(inspections.body.items).toHaveLength(1);
      const recalls = await system.get(`/api/v1/batches/${ids.applesA}/events?type=recalled`);
      expect(recalls.body).toEqual({ items: [], nextCursor: null });
      expect(await walk(`/api/v1/batches/${ids.applesA}/events?type=split`, 1)).toEqual(all.filter((e: any) => e.type === "split"));
    });

    it("rejects bad timeline queries and answers 404 for an unknown batch", async () => {
      expectError(await system.get(`/api/v1/batches/${ids.applesA}/events?type=teleported`), 400, "VALIDATION_FAILED", "query.type");
      for (const bad of ["garbage", cursorOf([1]), cursorOf(["a", "b"]), cursorOf([1, 2.5]), cursorOf([1, -0.5])]) {
        expectError(
          await system.get(`/api/v1/batches/${ids.applesA}/events?cursor=${bad}`),
          400,
          "VALIDATION_FAILED",
          "query.cursor",
        );
      }
      expectError(await system.get("/api/v1/batches/999999/events"), 404, "NOT_FOUND");
    });
  });

  describe("anchors", () => {
    it("lists anchored roots oldest first, filters by submitter and pages", async () => {
      const res = await system.get("/api/v1/anchors");
      expect(res.status).toBe(200);
      expect(res.body.items.map((a: any) => a.root)).toEqual([system.demo.anchor.root, secondAnchorRoot]);
      expect(res.body.items[0]).toMatchObject({
        submitter: { address: members.coldStore, name: "Yantai Bohai Cold-Chain Warehouse" },
        eventCount: 24,
        uri: system.demo.anchor.uri,
      });
      expect(await walk("/api/v1/anchors", 1)).toEqual(res.body.items);
      const byExporter = await system.get(`/api/v1/anchors?submitter=${members.exporter}`);
      expect(byExporter.body.items.map((a: any) => a.root)).toEqual([secondAnchorRoot]);
      expectError(await system.get("/api/v1/anchors?submitter=me"), 400, "VALIDATION_FAILED", "query.submitter");
      expectError(await system.get(`/api/v1/anchors?cursor=${cursorOf(["x", "y"])}`), 400, "VALIDATION_FAILED", "query.cursor");
    });

    it("gets one anchor by root, and answers 404 for an unknown root and 400 for a malformed one", async () => {
      const res = await system.get(`/api/v1/anchors/${system.demo.anchor.root}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ root: system.demo.anchor.root, eventCount: 24, submitter: { address: members.coldStore } });
      expect(res.body.txHash).toMatch(/^0x[0-9a-f]{64}$/);
      const upper = await system.get(`/api/v1/anchors/0x${system.demo.anchor.root.slice(2).toUpperCase()}`);
      expect(upper.body).toEqual(res.body);
      const unknown = "0x" + "ab".repeat(32);
      const missing = await system.get(`/api/v1/anchors/${unknown}`);
      expectError(missing, 404, "NOT_FOUND");
      expect(missing.body.error.message).toContain(unknown);
      expectError(await system.get("/api/v1/anchors/0x1234"), 400, "VALIDATION_FAILED", "params.root");
    });

    it("verifies a real inclusion proof for each reading of the anchored day", async () => {
      const { readings, root } = system.demo.anchor;
      const tree = buildMerkleTree(readings.map((reading) => leafOf(reading)));
      expect(tree.root).toBe(root);
      for (const i of [0, 7, readings.length - 1]) {
        const res = await system.post("/api/v1/anchors/verify", { root, leaf: leafOf(readings[i]), proof: tree.proof(i) });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body).toMatchObject({ root, leaf: leafOf(readings[i]), anchored: true, included: true, verified: true });
        expect(res.body.anchor).toMatchObject({ root, eventCount: 24, submitter: { address: members.coldStore } });
      }
    });

    it("accepts the content instead of the leaf", async () => {
      const { readings, root } = system.demo.anchor;
      const tree = buildMerkleTree(readings.map((reading) => leafOf(reading)));
      const res = await system.post("/api/v1/anchors/verify", { root, content: readings[5], proof: tree.proof(5) });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ leaf: leafOf(readings[5]), anchored: true, included: true, verified: true });
      const altered = readings[5].replace(/"celsius":[\d.]+/, '"celsius":9.5');
      expect(altered).not.toBe(readings[5]);
      const tamperedContent = await system.post("/api/v1/anchors/verify", { root, content: altered, proof: tree.proof(5) });
      expect(tamperedContent.body).toMatchObject({ anchored: true, included: false, verified: false });
    });

    it("reports a wrong leaf as not included and an unknown root as not anchored", async () => {
      const { readings, root } = system.demo.anchor;
      const tree = buildMerkleTree(readings.map((reading) => leafOf(reading)));
      const wrongLeaf = await system.post("/api/v1/anchors/verify", { root, leaf: leafOf(readings[3]), proof: tree.proof(4) });
      expect(wrongLeaf.status).toBe(200);
      expect(wrongLeaf.body).toMatchObject({ anchored: true, included: false, verified: false });
      expect(wrongLeaf.body.anchor.root).toBe(root);

      const other = buildMerkleTree(["a", "b", "c"].map((x) => leafOf(x)));
      const notAnchored = await system.post("/api/v1/anchors/verify", { root: other.root, leaf: leafOf("b"), proof: other.proof(1) });
      expect(notAnchored.status).toBe(200);
      expect(notAnchored.body).toEqual({ root: other.root, leaf: leafOf("b"), anchored: false, included: true, verified: false, anchor: null });
    });

    it("rejects both or neither of leaf and content, and malformed proofs", async () => {
      const { readings, root } = system.demo.anchor;
      const leaf = leafOf(readings[0]);
      expectError(await system.post("/api/v1/anchors/verify", { root, leaf, content: readings[0], proof: [] }), 400, "VALIDATION_FAILED", "body.leaf");
      expectError(await system.post("/api/v1/anchors/verify", { root, proof: [] }), 400, "VALIDATION_FAILED", "body.leaf");
      expectError(await system.post("/api/v1/anchors/verify", { root: "0x12", leaf, proof: [] }), 400, "VALIDATION_FAILED", "body.root");
      expectError(await system.post("/api/v1/anchors/verify", { root, leaf }), 400, "VALIDATION_FAILED", "body.proof");
      expectError(await system.post("/api/v1/anchors/verify", { root, leaf, proof: ["0x00"] }), 400, "VALIDATION_FAILED", "body.proof.0");
      expectError(await system.post("/api/v1/anchors/verify", { root, leaf, proof: Array(65).fill(leaf) }), 400, "VALIDATION_FAILED", "body.proof");
      expectError(await system.post("/api/v1/anchors/verify", [root, leaf]), 400, "VALIDATION_FAILED", "body");
    });

    it("answers MALFORMED_JSON for a body that is not JSON", async () => {
      for (const bad of ['{"root": "0x', "{root: 1}", "not json", '"just a string"']) {
        const res = await postRaw("/api/v1/anchors/verify", bad);
        expectError(res, 400, "MALFORMED_JSON");
        expect(res.body.error.message).toContain("body");
      }
      // Without a JSON content type the body is not read at all: every required field is missing.
      expectError(await postRaw("/api/v1/anchors/verify", "root=0x00", "application/x-www-form-urlencoded"), 400, "VALIDATION_FAILED", "body.root");
    });
  });

  describe("HTTP hygiene", () => {
    it("answers unknown routes and methods with a JSON 404", async () => {
      for (const path of ["/nope", "/api/v1", "/api/v1/batch/1", "/api/v2/batches", "/api/v1/batches/1/unknown"]) {
        const res = await system.get(path);
        expectError(res, 404, "NOT_FOUND");
        expect(res.body.error.message).toContain(path);
      }
      expectError(await system.post("/api/v1/batches", {}), 404, "NOT_FOUND");
      const del = await fetch(`${system.baseUrl}/api/v1/batches/1`, { method: "DELETE" });
      expect(del.status).toBe(404);
      expect(((await del.json()) as any).error.code).toBe("NOT_FOUND");
    });

    it("sends conservative security headers on success and on errors", async () => {
      for (const path of ["/api/v1/batches/1", "/nope", "/api/v1/batches/abc"]) {
        const { headers } = await system.get(path);
        expect(headers.get("x-content-type-options")).toBe("nosniff");
        expect(headers.get("x-frame-options")).toBe("DENY");
        expect(headers.get("referrer-policy")).toBe("no-referrer");
        expect(headers.get("cross-origin-resource-policy")).toBe("same-origin");
        expect(headers.get("content-security-policy")).toContain("default-src 'none'");
        expect(headers.get("x-powered-by")).toBeNull();
      }
    });

    it("answers 400, never 500, to SQL-injection-looking parameters, and they change nothing", async () => {
      const injections = ["' OR '1'='1", "1; DROP TABLE batches; --", "1 UNION SELECT * FROM members", "%' --", "\\x00"];
      for (const injection of injections) {
        const q = encodeURIComponent(injection);
        expectError(await system.get(`/api/v1/batches?gtin=${q}`), 400, "VALIDATION_FAILED", "query.gtin");
        expectError(await system.get(`/api/v1/batches?producer=${q}`), 400, "VALIDATION_FAILED", "query.producer");
        expectError(await system.get(`/api/v1/batches?status=${q}`), 400, "VALIDATION_FAILED", "query.status");
        expectError(await system.get(`/api/v1/batches?originRegion=${q}`), 400, "VALIDATION_FAILED", "query.originRegion");
        expectError(await system.get(`/api/v1/batches?cursor=${q}`), 400, "VALIDATION_FAILED", "query.cursor");
        expectError(await system.get(`/api/v1/products?hsCode=${q}`), 400, "VALIDATION_FAILED", "query.hsCode");
        expectError(await system.get(`/api/v1/members?role=${q}`), 400, "VALIDATION_FAILED", "query.role");
        expectError(await system.get(`/api/v1/members/${q}`), 400, "VALIDATION_FAILED", "params.address");
        expectError(await system.get(`/api/v1/batches/${q}`), 400, "VALIDATION_FAILED", "params.id");
        expectError(await system.get(`/api/v1/batches/1/events?type=${q}`), 400, "VALIDATION_FAILED", "query.type");
        // A string key is a legal member cursor: it is bound as a parameter and only moves the page start.
        const members = await system.get(`/api/v1/members?cursor=${cursorOf([injection])}`);
        expect(members.status).toBe(200);
      }
      for (const nul of [cursorOf(["\u0000"]), cursorOf(["0x\u0000' --"])]) {
        expectError(await system.get(`/api/v1/members?cursor=${nul}`), 400, "VALIDATION_FAILED", "query.cursor");
        expectError(await system.get(`/api/v1/products?cursor=${nul}`), 400, "VALIDATION_FAILED", "query.cursor");
      }
      const after = await system.get("/api/v1/batches?limit=200");
      expect(after.body.items).toEqual(allBatches);
      expect((await system.get("/api/v1/members")).body.items).toHaveLength(DEMO_MEMBERS.length);
    });

    it("answers 400, never 500, to over-long parameters, and ignores unknown ones", async () => {
      const long = "9".repeat(5000);
      expectError(await system.get(`/api/v1/batches?gtin=${long}`), 400, "VALIDATION_FAILED", "query.gtin");
      expectError(await system.get(`/api/v1/batches?originRegion=${long}`), 400, "VALIDATION_FAILED", "query.originRegion");
      expectError(await system.get(`/api/v1/batches?limit=${long}`), 400, "VALIDATION_FAILED", "query.limit");
      expectError(await system.get(`/api/v1/batches?cursor=${"A".repeat(5000)}`), 400, "VALIDATION_FAILED", "query.cursor");
      expectError(await system.get(`/api/v1/products?hsCode=${long}`), 400, "VALIDATION_FAILED", "query.hsCode");
      expectError(await system.get(`/api/v1/products/${long}`), 400, "VALIDATION_FAILED", "params.gtin");
      expectError(await system.get(`/api/v1/members/0x${"a".repeat(5000)}`), 400, "VALIDATION_FAILED", "params.address");
      expectError(await system.get(`/api/v1/anchors/0x${"a".repeat(5000)}`), 400, "VALIDATION_FAILED", "params.root");
      expectError(await system.get(`/api/v1/batches/1/trace?depth=${long}`), 400, "VALIDATION_FAILED", "query.depth");
      const ignored = await system.get(`/api/v1/batches?limit=2&${"z".repeat(2000)}=${"y".repeat(5000)}`);
      expect(ignored.status).toBe(200);
      expect(ignored.body.items).toEqual(allBatches.slice(0, 2));
      // A repeated parameter arrives as a list: refused, not half-applied.
      expectError(await system.get("/api/v1/batches?status=active&status=recalled"), 400, "VALIDATION_FAILED", "query.status");
    });

    it("answers 400, never 500, to malformed percent-encoding in the path", async () => {
      for (const path of ["/api/v1/members/%E0%A4%A", "/api/v1/batches/%", "/api/v1/anchors/%zz"]) {
        const res = await system.get(path);
        expectError(res, 400, "VALIDATION_FAILED");
        expect(res.body.error.message).toContain("path");
      }
    });

    it("answers 413 to a body over 1 MB", async () => {
      const { root } = system.demo.anchor;
      const res = await system.post("/api/v1/anchors/verify", { root, content: "x".repeat(1_100_000), proof: [] });
      expectError(res, 413, "PAYLOAD_TOO_LARGE");
      expect(res.body.error.message).toContain("body");
    });

    it("answers 415, never 500, to a JSON body in an unsupported charset or encoding", async () => {
      const res = await postRaw("/api/v1/anchors/verify", "{}", "application/json; charset=latin2");
      expectError(res, 415, "UNSUPPORTED_MEDIA_TYPE");
      expect(res.body.error.message).toContain("charset");
      const response = await fetch(`${system.baseUrl}/api/v1/anchors/verify`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-encoding": "compress" },
        body: "{}",
      });
      const encoded = { status: response.status, body: (await response.json()) as any, headers: response.headers };
      expectError(encoded, 415, "UNSUPPORTED_MEDIA_TYPE");
      expect(encoded.body.error.message).toContain("encoding");
    });
  });
});
