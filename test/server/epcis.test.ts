import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { startTestSystem, type TestSystem } from "../support/system";
import { databaseKind } from "../support/database";
import { sha256Hex, ZERO_HASH } from "../../shared/hashing";
import { formatGtin } from "../../shared/trade-codes";
import { DEMO_PRODUCTS } from "../../scripts/demo/scenario";
import type { TraceEventRow } from "../../server/batches/batches.repository";
import {
  EPCIS_CONTEXT_URL,
  digitalLinkClass,
  documentUri,
  eventIdOf,
  partyUri,
  toEpcisDocument,
  toEpcisEvents,
  uuidV5,
  type BatchClass,
} from "../../server/epcis/epcis.mapper";

/**
 * GS1 material is never copied into the repository: it is read from the shared fixtures next to it
 * (../shared/fixtures/epcis, see SOURCES.md there), or from GS1_EPCIS_FIXTURES.
 */
const REPO_ROOT = path.resolve(__dirname, "../..");
const FIXTURES_DIR = path.resolve(REPO_ROOT, process.env.GS1_EPCIS_FIXTURES ?? "../shared/fixtures/epcis");
const SCHEMA_FILE = path.join(FIXTURES_DIR, "schema", "openepcis-openepcis-document-validation-service__epcis-json-schema.json");
const fixturesPresent = fs.existsSync(SCHEMA_FILE);
/** Third-party examples the official schema rejects (none so far); listed, never skipped silently. */
const KNOWN_FIXTURE_FAILURES: string[] = [];

type Doc = {
  "@context": unknown[];
  type: string;
  schemaVersion: string;
  creationDate: string;
  epcisBody: { eventList: Record<string, any>[] };
};

const apples = formatGtin(DEMO_PRODUCTS.apples.gtin);
const juice = formatGtin(DEMO_PRODUCTS.juice.gtin);
const discs = formatGtin(DEMO_PRODUCTS.discs.gtin);
const brakes = formatGtin(DEMO_PRODUCTS.brakes.gtin);
const doc = (text: string) => sha256Hex(text);

/** The parts of an event a mapping table talks about. */
const shape = (e: Record<string, any>) => [e.type, e.action ?? null, e.bizStep ?? null, e.disposition ?? null];

describe(`EPCIS 2.0 export of batch events (${databaseKind})`, () => {
  let system: TestSystem;
  let chainId: number;
  const batch = (key: string) => system.demo.batches[key];
  const member = (key: keyof TestSystem["demo"]["members"]) => partyUri(chainId, system.demo.members[key]);
  const exportOf = async (key: string, query = ""): Promise<Doc> => {
    const res = await system.get(`/api/v1/batches/${batch(key)}/epcis${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as Doc;
  };
  const eventsOf = async (key: string, query = "") => (await exportOf(key, query)).epcisBody.eventList;

  beforeAll(async () => {
    system = await startTestSystem();
    chainId = system.chain.deployment.chainId;
  });
  afterAll(async () => {
    await system?.stop();
  });

  describe("document structure and mapping", () => {
    it("serves an EPCISDocument as application/ld+json with the GS1 EPCIS context", async () => {
      const res = await system.get(`/api/v1/batches/${batch("applesC")}/epcis`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/ld\+json/);
      const body = res.body as Doc;
      expect(body["@context"]).toContain(EPCIS_CONTEXT_URL);
      expect(body["@context"]).toContain("https://ref.gs1.org/standards/epcis/epcis-context.jsonld");
      expect(body["@context"]).toContainEqual({ tracefin: expect.stringMatching(/^https:\/\//) });
      expect(body.type).toBe("EPCISDocument");
      expect(body.schemaVersion).toBe("2.0");
      expect(new Date(body.creationDate).toISOString()).toBe(body.creationDate);
      for (const event of body.epcisBody.eventList) {
        expect(event.eventTimeZoneOffset).toBe("+00:00");
        expect(new Date(event.eventTime).toISOString()).toBe(event.eventTime);
      }
    });

    it("maps commissioning, a failed inspection, a hold and a recall (apples lot C)", async () => {
      const events = await eventsOf("applesC");
      expect(events.map(shape)).toEqual([
        ["ObjectEvent", "ADD", "commissioning", "active"],
        ["ObjectEvent", "OBSERVE", "inspecting", "non_conformant"],
        ["ObjectEvent", "OBSERVE", "holding", "non_sellable_other"],
        ["ObjectEvent", "OBSERVE", "holding", "recalled"],
      ]);
      const [commissioned, inspected, held, recalled] = events;
      const lotC = `https://id.gs1.org/01/${apples}/10/QX-2026-FUJI-C`;
      expect(commissioned.quantityList).toEqual([{ epcClass: lotC, quantity: 8000, uom: "KGM" }]);
      expect(commissioned.ilmd).toMatchObject({ "cbvmda:lotNumber": "QX-2026-FUJI-C", "tracefin:originRegion": 370686 });
      expect(commissioned["tracefin:documentHash"]).toBe(doc("batch record QX-2026-FUJI-C"));
      expect(commissioned["tracefin:actor"]).toBe(member("orchard"));

      expect(inspected.certificationInfo).toBe(documentUri(doc("pesticide residue report applesC")));
      expect(inspected.quantityList).toEqual([{ epcClass: lotC }]);
      expect(inspected["tracefin:actor"]).toBe(member("inspector"));

      expect(held.persistentDisposition).toEqual({ set: ["non_sellable_other"] });
      expect(held["tracefin:reasonHash"]).toBe(doc("failed pesticide residue test"));
      expect(recalled.persistentDisposition).toEqual({ set: ["recalled"], unset: ["non_sellable_other"] });
      expect(recalled["tracefin:reasonHash"]).toBe(doc("recall order YT-MSA-2026-031"));
      expect(recalled["tracefin:actor"]).toBe(member("regulator"));
    });

    it("maps a partial shipment: picking of the split, shipping with parties, waybill and carrier, receiving", async () => {
      const events = await eventsOf("juiceExport");
      expect(events.map(shape)).toEqual([
        ["ObjectEvent", "OBSERVE", "picking", null],
        ["ObjectEvent", "OBSERVE", "shipping", "in_transit"],
        ["ObjectEvent", "OBSERVE", "receiving", "in_progress"],
      ]);
      const [split, shipped, received] = events;
      const juiceLot = { epcClass: `https://id.gs1.org/01/${juice}/10/GAJ-2026-0917`, quantity: 3000, uom: "LTR" };
      for (const event of events) expect(event.quantityList).toEqual([juiceLot]);
      expect(split).toMatchObject({ "tracefin:parentBatchId": batch("juice"), "tracefin:childBatchId": batch("juiceExport") });

      const transfer = {
        sourceList: [{ type: "possessing_party", source: member("juicePlant") }],
        destinationList: [{ type: "possessing_party", destination: member("exporter") }],
      };
      expect(shipped).toMatchObject(transfer);
      expect(shipped.bizTransactionList).toEqual([{ type: "desadv", bizTransaction: documentUri(doc("waybill juice->Yantai port")) }]);
      expect(shipped["tracefin:carrier"]).toBe(member("carrier"));
      expect(shipped["tracefin:actor"]).toBe(member("juicePlant"));
      expect(received).toMatchObject(transfer);
      expect(received["tracefin:actor"]).toBe(member("exporter"));
      // One transaction: the split's log comes first.
      expect(split["tracefin:txHash"]).toBe(shipped["tracefin:txHash"]);
      expect(split["tracefin:logIndex"]).toBeLessThan(shipped["tracefin:logIndex"]);
    });

    it("emits one TransformationEvent per transformation with the ledger's input and output quantities", async () => {
      const juiceEvents = await eventsOf("juice");
      expect(juiceEvents.map(shape)).toEqual([
        ["TransformationEvent", null, "commissioning", "active"],
        ["ObjectEvent", "OBSERVE", "inspecting", "conformant"],
        ["ObjectEvent", "OBSERVE", "picking", null],
      ]);
      const pressing = juiceEvents[0];
      expect(pressing.inputQuantityList).toEqual([
        { epcClass: `https://id.gs1.org/01/${apples}/10/QX-2026-FUJI-A`, quantity: 18000, uom: "KGM" },
        { epcClass: `https://id.gs1.org/01/${apples}/10/QX-2026-FUJI-B`, quantity: 10000, uom: "KGM" },
      ]);
      expect(pressing.outputQuantityList).toEqual([
        { epcClass: `https://id.gs1.org/01/${juice}/10/GAJ-2026-0917`, quantity: 4000, uom: "LTR" },
      ]);
      expect(pressing.transformationID).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(pressing).toMatchObject({
        "tracefin:inputBatchIds": [batch("applesA1"), batch("applesB1")],
        "tracefin:outputBatchIds": [batch("juice")],
        "tracefin:documentHash": doc("pressing record GAJ-2026-0917"),
        "tracefin:actor": member("juicePlant"),
      });

      // Seen from each input, it is the same event, complete.
      for (const input of ["applesA1", "applesB1"]) {
        const seen = (await eventsOf(input)).filter((e) => e.type === "TransformationEvent");
        expect(seen).toEqual([pressing]);
      }

      const brakeEvents = await eventsOf("brakes");
      expect(brakeEvents).toHaveLength(1);
      expect(brakeEvents[0]).toMatchObject({
        type: "TransformationEvent",
        inputQuantityList: [{ epcClass: `https://id.gs1.org/01/${discs}/10/FBS-D-2026-41`, quantity: 2000, uom: "H87" }],
        outputQuantityList: [{ epcClass: `https://id.gs1.org/01/${brakes}/10/YAW-BA-2026-11`, quantity: 1000, uom: "H87" }],
      });
      const transformationIds = new Set([pressing.transformationID, brakeEvents[0].transformationID]);
      expect(transformationIds.size).toBe(2);
    });

    it("reports the cold-store reading as sensor_reporting with the reading's hash", async () => {
      const events = await eventsOf("applesA");
      const observed = events.filter((e) => e.bizStep === "sensor_reporting");
      expect(observed).toHaveLength(1);
      expect(shape(observed[0])).toEqual(["ObjectEvent", "OBSERVE", "sensor_reporting", null]);
      expect(observed[0]["tracefin:readingHash"]).toBe(doc(system.demo.anchor.readings.join("\n")));
      expect(observed[0]["tracefin:actor"]).toBe(member("coldStore"));
    });

    it("gives every event a stable eventID derived from chain, transaction and log index", async () => {
      const first = await eventsOf("juice");
      const second = await eventsOf("juice");
      expect(second.map((e) => e.eventID)).toEqual(first.map((e) => e.eventID));
      for (const event of first) {
        expect(event.eventID).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(event.eventID).toBe(eventIdOf(chainId, event["tracefin:txHash"], event["tracefin:logIndex"]));
      }
      // The split seen from the parent and from the child is one event with one ID.
      const childSplit = (await eventsOf("juiceExport"))[0];
      expect(childSplit).toEqual(first[2]);
    });

    it("adds the upstream batches' events with lineage=true, bounded by depth", async () => {
      const own = await eventsOf("juiceExport");
      expect((await eventsOf("juiceExport", "?lineage=false")).map((e) => e.eventID)).toEqual(own.map((e) => e.eventID));

      const full = await eventsOf("juiceExport", "?lineage=true&depth=10");
      const ids = full.map((e) => e.eventID);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining(own.map((e) => e.eventID)));
      const positions = full.map((e) => [e["tracefin:blockNumber"], e["tracefin:logIndex"]] as [number, number]);
      expect(positions).toEqual([...positions].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
      const commissionedLots = full.filter((e) => e.bizStep === "commissioning" && e.type === "ObjectEvent").map((e) => e.ilmd["cbvmda:lotNumber"]);
      expect(commissionedLots).toEqual(["QX-2026-FUJI-A", "QX-2026-FUJI-B"]);
      expect(full.filter((e) => e.type === "TransformationEvent")).toHaveLength(1);
      expect(full.filter((e) => e.bizStep === "sensor_reporting")).toHaveLength(1);
      // Lot C never went into the juice.
      expect(JSON.stringify(full)).not.toContain("QX-2026-FUJI-C");

      // depth=1 reaches the juice batch it was split from, not the apples pressed into it.
      const near = await eventsOf("juiceExport", "?lineage=true&depth=1");
      expect(near.map(shape)).toEqual([
        ["TransformationEvent", null, "commissioning", "active"],
        ["ObjectEvent", "OBSERVE", "inspecting", "conformant"],
        ["ObjectEvent", "OBSERVE", "picking", null],
        ["ObjectEvent", "OBSERVE", "shipping", "in_transit"],
        ["ObjectEvent", "OBSERVE", "receiving", "in_progress"],
      ]);
      // The default depth (10) covers this story.
      expect((await eventsOf("juiceExport", "?lineage=true")).map((e) => e.eventID)).toEqual(ids);
    });

    it("answers 404 for an unknown batch and 400 for a bad id or query", async () => {
      const unknown = await system.get("/api/v1/batches/999999/epcis");
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe("NOT_FOUND");
      for (const bad of ["abc", "0", "-1", "1.5"]) {
        const res = await system.get(`/api/v1/batches/${bad}/epcis`);
        expect(res.status, bad).toBe(400);
        expect(res.body.error.code).toBe("VALIDATION_FAILED");
        expect(res.body.error.details[0].field).toBe("params.id");
      }
      for (const query of ["lineage=yes", "lineage=1", "lineage=true&depth=0", "lineage=true&depth=51", "depth=x"]) {
        const res = await system.get(`/api/v1/batches/${batch("juice")}/epcis?${query}`);
        expect(res.status, query).toBe(400);
        expect(res.body.error.details[0].field).toMatch(/^query\.(lineage|depth)$/);
      }
    });

    it("documents the operation in the OpenAPI document with its JSON-LD media type", async () => {
      const res = await system.get("/openapi.json");
      const operation = res.body.paths["/api/v1/batches/{id}/epcis"].get;
      expect(operation.operationId).toBe("exportBatchEpcis");
      expect(Object.keys(operation.responses[200].content)).toEqual(["application/ld+json"]);
      expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(["id", "lineage", "depth"]);
    });
  });

  describe("mapping of ledger events the demo story does not produce", () => {
    it("maps a rejected shipment, a hold release, a retirement and documents without hashes", () => {
      const { events } = syntheticExport();
      expect(events.map(shape)).toEqual([
        ["ObjectEvent", "ADD", "commissioning", "active"],
        ["ObjectEvent", "OBSERVE", "shipping", "in_transit"],
        ["ObjectEvent", "OBSERVE", "arriving", "returned"],
        ["ObjectEvent", "OBSERVE", "void_shipping", "active"],
        ["ObjectEvent", "OBSERVE", "inspecting", "conformant"],
        ["ObjectEvent", "OBSERVE", "holding", "non_sellable_other"],
        ["ObjectEvent", "OBSERVE", "holding", "available"],
        ["ObjectEvent", "DELETE", "decommissioning", "inactive"],
      ]);
      const [commissioned, shipped, rejected, cancelled, inspected, , released, retired] = events;
      // No lot: the GTIN alone identifies the class.
      expect(commissioned.quantityList).toEqual([{ epcClass: "https://id.gs1.org/01/09506000134352", quantity: 5, uom: "KGM" }]);
      expect(commissioned.ilmd).not.toHaveProperty("cbvmda:lotNumber");
      expect(commissioned).not.toHaveProperty("tracefin:documentHash");
      // No carrier, no waybill.
      expect(shipped).not.toHaveProperty("tracefin:carrier");
      expect(shipped).not.toHaveProperty("bizTransactionList");
      expect(rejected).toMatchObject({
        "tracefin:actor": partyUri(31337, RECIPIENT),
        "tracefin:counterparty": partyUri(31337, SHIPPER),
        "tracefin:reasonHash": doc("wrong temperature"),
      });
      expect(rejected.quantityList).toEqual([{ epcClass: "https://id.gs1.org/01/09506000134352" }]);
      expect(cancelled).toMatchObject({
        "tracefin:actor": partyUri(31337, SHIPPER),
        "tracefin:counterparty": partyUri(31337, RECIPIENT),
        "tracefin:reasonHash": doc("consignee suspended"),
      });
      expect(inspected).not.toHaveProperty("certificationInfo");
      expect(released.persistentDisposition).toEqual({ unset: ["non_sellable_other"] });
      // A retirement: the quantity taken out of the supply chain, by its custodian, with the reason's hash.
      expect(retired).toMatchObject({
        quantityList: [{ epcClass: "https://id.gs1.org/01/09506000134352", quantity: 2, uom: "KGM" }],
        "tracefin:actor": partyUri(31337, RECIPIENT),
        "tracefin:reasonHash": doc("destroyed: certificate D-17"),
        "tracefin:batchId": 42,
      });
      expect(retired).not.toHaveProperty("persistentDisposition");
    });

    it("builds identifiers as GS1 Digital Link, did:pkh, RFC 6920 ni: and RFC 4122 name-based UUIDs", () => {
      expect(digitalLinkClass("06970000000017", "A/B 1")).toBe("https://id.gs1.org/01/06970000000017/10/A%2FB%201");
      expect(digitalLinkClass("06970000000017", "(x)!")).toBe("https://id.gs1.org/01/06970000000017/10/%28x%29%21");
      expect(partyUri(1, "0x22227a31dd842196a246d8f3b775998560eaa61d")).toBe(
        "did:pkh:eip155:1:0x22227A31dd842196A246d8f3b775998560eAa61d",
      );
      expect(documentUri(sha256Hex("hello world"))).toBe("ni:///sha-256;uU0nuZNNPgilLlLX2n2r-sSE7-N6U4DukIj3rOLvzek");
      expect(uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
      expect(eventIdOf(1, "0xABC", 2)).toBe(eventIdOf(1, "0xabc", 2));
      expect(eventIdOf(1, "0xabc", 2)).not.toBe(eventIdOf(5, "0xabc", 2));
    });
  });

  describe.skipIf(!fixturesPresent)(
    fixturesPresent
      ? `validation against the official GS1 EPCIS 2.0.1 JSON schema (${path.relative(REPO_ROOT, SCHEMA_FILE)})`
      : `GS1 fixtures not found at ${FIXTURES_DIR}: skipping validation against the GS1 EPCIS 2.0 JSON schema`,
    () => {
      let validate: ValidateFunction;
      const problems = (document: unknown) =>
        validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);

      beforeAll(() => {
        const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8"));
        expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
        // Draft-07 schema: Ajv's default class; formats (uri, date-time) are enforced.
        const ajv = new Ajv({ allErrors: true });
        addFormats(ajv);
        validate = ajv.compile(schema);
      });

      it("accepts the 38 third-party example documents (checks the validator set-up)", () => {
        const files = fs.readdirSync(FIXTURES_DIR).filter((f) => /\.json(ld)?$/.test(f)).sort();
        expect(files).toHaveLength(38);
        const failures: string[] = [];
        for (const file of files) {
          const text = fs.readFileSync(path.join(FIXTURES_DIR, file), "utf8").replace(/^\uFEFF/, "");
          if (problems(JSON.parse(text)).length > 0) failures.push(file);
        }
        expect(failures).toEqual(KNOWN_FIXTURE_FAILURES);
      });

      it("rejects broken documents (the validator is not vacuous)", async () => {
        const good = await exportOf("juiceExport");
        expect(problems(good)).toEqual([]);
        const broken = (change: (d: Doc) => void) => {
          const copy = structuredClone(good);
          change(copy);
          return problems(copy);
        };
        expect(broken((d) => (d.epcisBody.eventList[1].disposition = "rejected"))).not.toEqual([]);
        expect(broken((d) => delete d.epcisBody.eventList[1].eventTimeZoneOffset)).not.toEqual([]);
        expect(broken((d) => (d.epcisBody.eventList[1].quantityList[0].uom = "kg"))).not.toEqual([]);
        expect(broken((d) => (d.epcisBody.eventList[1].ilmd = { "cbvmda:lotNumber": "x" }))).not.toEqual([]); // ilmd only with ADD
        expect(broken((d) => (d.epcisBody.eventList[1].txHash = "0x1"))).not.toEqual([]); // extensions need a namespace
        expect(broken((d) => (d.schemaVersion = 2 as never))).not.toEqual([]);
      });

      it("accepts the export of every demo batch, with and without lineage", async () => {
        for (const [key, id] of Object.entries(system.demo.batches)) {
          for (const query of ["", "?lineage=true&depth=50"]) {
            const res = await system.get(`/api/v1/batches/${id}/epcis${query}`);
            expect(res.status).toBe(200);
            expect(res.body.epcisBody.eventList.length, key).toBeGreaterThan(0);
            expect(problems(res.body), `${key}${query}`).toEqual([]);
          }
        }
      });

      it("accepts the events the demo story does not produce", () => {
        expect(problems(syntheticExport().document)).toEqual([]);
      });
    },
  );
});

const SHIPPER = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const RECIPIENT = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";

/** Rows as the indexer would write them for a rejected and a cancelled shipment, a released hold and a retirement. */
function syntheticExport() {
  let block = 100;
  const row = (type: TraceEventRow["type"], fields: Partial<TraceEventRow> = {}): TraceEventRow => {
    block += 1;
    return {
      blockNumber: block,
      blockHash: "0x" + block.toString(16).padStart(64, "0"),
      txHash: "0x" + (block * 7).toString(16).padStart(64, "0"),
      logIndex: 0,
      blockTime: 1_790_000_000 + block,
      batchId: 42,
      type,
      actor: SHIPPER,
      counterparty: null,
      quantity: null,
      documentHash: null,
      details: {},
      ...fields,
    };
  };
  const rows = [
    row("commissioned", { quantity: "5", documentHash: ZERO_HASH, details: { lot: "", originRegion: 370686, producedAt: 1_789_990_000 } }),
    row("shipped", {
      counterparty: RECIPIENT,
      quantity: "5",
      documentHash: ZERO_HASH,
      details: { carrier: "0x" + "0".repeat(40) },
    }),
    row("rejected", { actor: RECIPIENT, counterparty: SHIPPER, details: { reasonHash: doc("wrong temperature") } }),
    row("shipment_cancelled", { counterparty: RECIPIENT, details: { reasonHash: doc("consignee suspended") } }),
    row("inspected", { actor: RECIPIENT, documentHash: ZERO_HASH, details: { passed: true } }),
    row("held", { details: { reasonHash: doc("complaint") } }),
    row("hold_released", { details: { reasonHash: doc("complaint cleared") } }),
    row("retired", { actor: RECIPIENT, quantity: "2", details: { reasonHash: doc("destroyed: certificate D-17") } }),
  ];
  const batches = new Map<number, BatchClass>([[42, { gtin: "09506000134352", lot: "", unit: "KGM", initialQuantity: "5" }]]);
  const events = toEpcisEvents(rows, { chainId: 31337, batches });
  return { events: events as Record<string, any>[], document: toEpcisDocument(events, new Date("2026-01-01T00:00:00Z")) };
}
