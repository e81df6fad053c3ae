import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { digitalLinkClass, documentUri, partyUri, TRACEFIN_EPCIS_NAMESPACE } from "../../server/epcis/epcis.mapper";
import { parseDocumentUri, parseItemId, parsePartyUri } from "../../server/epcis/capture/identifiers";
import { MAX_EVENTS, parseCaptureDocument, pointerTo } from "../../server/epcis/capture/document";
import { planCapture, type BatchState } from "../../server/epcis/capture/planner";
import { sha256Hex } from "../../shared/hashing";
import { canonicalJson } from "../../shared/merkle";

/** The capture's parser alone (no chain, no database): identifiers and the problems it names. */

const FIXTURES_DIR = path.resolve(__dirname, "../..", process.env.GS1_EPCIS_FIXTURES ?? "../shared/fixtures/epcis");
const fixturesPresent = fs.existsSync(FIXTURES_DIR);
const CHAIN_ID = 31337;
const ADDRESS = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

const documentOf = (events: unknown[], context: unknown[] = ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"]) => ({
  "@context": context,
  type: "EPCISDocument",
  schemaVersion: "2.0",
  creationDate: "2026-11-26T08:00:00Z",
  epcisBody: { eventList: events },
});
const observation = (fields: Record<string, unknown>) => ({
  type: "ObjectEvent",
  eventTime: "2026-09-01T08:00:00.123+08:00",
  eventTimeZoneOffset: "+08:00",
  action: "OBSERVE",
  quantityList: [{ epcClass: digitalLinkClass("06970000000017", "LOT 1/A"), quantity: 5, uom: "KGM" }],
  ...fields,
});

describe("EPCIS capture: identifiers read back what the export writes, and GS1's EPC forms", () => {
  it("reads lots from Digital Link (any resolver, path prefix, percent-encoding) and LGTIN / SGTIN-pattern URNs", () => {
    expect(parseItemId(digitalLinkClass("06970000000017", "QX/2026 (A)"))).toEqual({ kind: "class", gtin: "06970000000017", lot: "QX/2026 (A)" });
    expect(parseItemId("https://id.gs1.org/01/06970000000017")).toEqual({ kind: "class", gtin: "06970000000017", lot: "" });
    expect(parseItemId("https://brand.example/dl/01/04012345123456/10/987?linkType=all")).toEqual({ kind: "class", gtin: "04012345123456", lot: "987" });
    expect(parseItemId("urn:epc:class:lgtin:4012345.011111.4444")).toEqual({ kind: "class", gtin: "04012345111118", lot: "4444" });
    expect(parseItemId("urn:epc:idpat:sgtin:4012345.066666.*")).toEqual({ kind: "class", gtin: "04012345666663", lot: "" });
  });

  it("tells serialised items, other GS1 keys and malformed identifiers apart", () => {
    expect(parseItemId("urn:epc:id:sgtin:0614141.107346.2017")).toEqual({ kind: "instance", gtin: "10614141073464", serial: "2017" });
    expect(parseItemId("https://id.gs1.org/01/09506000134352/10/L1/21/12345")).toEqual({ kind: "instance", gtin: "09506000134352", serial: "12345" });
    expect(parseItemId("urn:epc:id:sscc:0614141.1234567890")).toEqual({ kind: "other", scheme: "id:sscc" });
    expect(parseItemId("https://id.gs1.org/00/106141412345678908")).toEqual({ kind: "other", scheme: "digital link AI 00" });
    expect(parseItemId("https://id.gs1.org/01/06970000000018/10/A")).toMatchObject({ kind: "invalid", message: expect.stringContaining("check digit") });
    expect(parseItemId("urn:epc:class:lgtin:4012345.0111.4444")).toMatchObject({ kind: "invalid" });
    expect(parseItemId("lot 7")).toMatchObject({ kind: "invalid" });
  });

  it("reads parties and document URIs as the export writes them", () => {
    expect(parsePartyUri(partyUri(CHAIN_ID, ADDRESS), CHAIN_ID)).toEqual({ address: ADDRESS.toLowerCase() });
    expect(parsePartyUri(partyUri(1, ADDRESS), CHAIN_ID)).toMatchObject({ message: expect.stringContaining("chain 1") });
    expect(parsePartyUri("urn:epc:id:pgln:9520001.11111", CHAIN_ID)).toMatchObject({ message: expect.stringContaining("did:pkh") });
    const hash = sha256Hex("certificate");
    expect(parseDocumentUri(documentUri(hash))).toBe(hash);
    expect(parseDocumentUri("https://example.com/cert.pdf")).toBeUndefined();
  });
});

describe("EPCIS capture: the document parser", () => {
  it("reads CBV terms in any of their forms, and extension fields under the prefix the context gives them", () => {
    const { events, problems } = parseCaptureDocument(
      documentOf(
        [
          observation({
            bizStep: "https://ref.gs1.org/cbv/BizStep-shipping",
            disposition: "urn:epcglobal:cbv:disp:in_transit",
            destinationList: [{ type: "possessing_party", destination: partyUri(CHAIN_ID, ADDRESS) }],
            "tf:documentHash": sha256Hex("waybill"),
          }),
        ],
        ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", { tf: TRACEFIN_EPCIS_NAMESPACE }],
      ),
      CHAIN_ID,
    );
    expect(problems).toEqual([]);
    expect(events[0].intent).toMatchObject({ kind: "ship", to: ADDRESS.toLowerCase(), documentHash: sha256Hex("waybill"), item: { lot: "LOT 1/A", quantity: 5 } });
    expect(events[0].eventTime).toBe(Math.floor(Date.parse("2026-09-01T08:00:00.123+08:00") / 1000));
  });

  it("keeps an observation whole, as the SHA-256 of its canonical JSON, or the hash it states", () => {
    const event = observation({ bizStep: "storing", readPoint: { id: "urn:epc:id:sgln:0614141.00777.0" }, "example:x": { b: 1, a: 2 } });
    const [parsed] = parseCaptureDocument(documentOf([event]), CHAIN_ID).events;
    expect(parsed.intent).toMatchObject({ kind: "observe", readingHash: sha256Hex(canonicalJson(event)) });
    expect(parsed.notKept).toEqual([]);
    const stated = sha256Hex("reading");
    const [exported] = parseCaptureDocument(documentOf([{ ...event, "tracefin:readingHash": stated }]), CHAIN_ID).events;
    expect(exported.intent).toMatchObject({ readingHash: stated });
  });

  it("reads an ObjectEvent DELETE as a retirement of one lot's quantity, its reason stated or the event's hash", () => {
    const destroyed = observation({ action: "DELETE", bizStep: "urn:epcglobal:cbv:bizstep:destroying", disposition: "destroyed", readPoint: { id: "urn:epc:id:sgln:0614141.00777.0" } });
    const [parsed] = parseCaptureDocument(documentOf([destroyed]), CHAIN_ID).events;
    expect(parsed.intent).toEqual({
      kind: "retire",
      item: { pointer: "/epcisBody/eventList/0/quantityList/0", gtin: "06970000000017", lot: "LOT 1/A", quantity: 5, uom: "KGM" },
      reasonHash: sha256Hex(canonicalJson(destroyed)),
    });
    // Kept whole, as its hash: nothing of it is lost.
    expect(parsed.notKept).toEqual([]);
    const stated = "0x" + "AB".repeat(32);
    const [withReason] = parseCaptureDocument(documentOf([{ ...destroyed, "tracefin:reasonHash": stated }]), CHAIN_ID).events;
    expect(withReason.intent).toMatchObject({ kind: "retire", reasonHash: stated.toLowerCase() });
    // The ledger keeps the retirement and its reason; the kind of retirement and the read point are not kept.
    expect(withReason.notKept.sort()).toEqual(["bizStep", "disposition", "readPoint"]);
    const decommissioned = observation({ action: "DELETE", bizStep: "decommissioning", disposition: "inactive", "tracefin:reasonHash": stated });
    expect(parseCaptureDocument(documentOf([decommissioned]), CHAIN_ID).events[0].notKept).toEqual([]);
    const bare = observation({ action: "DELETE" });
    expect(parseCaptureDocument(documentOf([bare]), CHAIN_ID)).toMatchObject({ problems: [], events: [{ intent: { kind: "retire" } }] });

    const { problems } = parseCaptureDocument(
      documentOf([
        observation({ action: "DELETE", bizStep: "receiving" }),
        observation({ action: "DELETE", quantityList: [] }),
        observation({ action: "DELETE", epcList: ["urn:epc:id:sgtin:0614141.107346.2017"] }),
        observation({ action: "REMOVE" }),
      ]),
      CHAIN_ID,
    );
    expect(problems.map((p) => p.field)).toEqual([
      "/epcisBody/eventList/0/bizStep",
      "/epcisBody/eventList/1/quantityList",
      "/epcisBody/eventList/2/epcList/0",
      "/epcisBody/eventList/3/action",
    ]);
  });

  it("plans a partial retirement as retire on the caller's active batch (the part retired a new batch); a retired lot can still be recalled", () => {
    const caller = ADDRESS.toLowerCase();
    const batch = (id: number, status: BatchState["status"], quantity: bigint, lot = "LOT 1/A"): BatchState => ({
      id, gtin: "06970000000017", lot, unit: "KGM", quantity, producer: caller, custodian: caller,
      pendingRecipient: null, status, originRegion: 370686,
    });
    const recallOf = (lot: string) =>
      observation({ bizStep: "holding", disposition: "recalled", quantityList: [{ epcClass: digitalLinkClass("06970000000017", lot) }] });
    const { events, problems } = parseCaptureDocument(
      documentOf([observation({ action: "DELETE", bizStep: "disposing" }), recallOf("LOT 2/B"), recallOf("LOT 1/A")]),
      CHAIN_ID,
    );
    expect(problems).toEqual([]);
    // Lot 1/A: batch 1 active with 30 KGM; lot 2/B: batch 2, sold to consumers (retired) earlier.
    const snapshot = { products: new Set(["06970000000017"]), batches: [batch(1, "active", 30n), batch(2, "retired", 20n, "LOT 2/B")] };
    const plan = planCapture(events, caller, snapshot, 3);
    expect(plan.calls.map((c) => [c.function, c.args])).toEqual([
      ["retire", { batchId: 1, quantity: 5, reasonHash: sha256Hex(canonicalJson(events[0].raw)) }],
      ["recall", { batchId: 2, reasonHash: "0x" + "0".repeat(64) }],
    ]);
    expect(plan.outcomes.slice(0, 2).map((o) => [o.recordedAs, o.batchIds, o.createdBatchIds])).toEqual([
      ["retire", [3], [3]],
      ["recall", [2], []],
    ]);
    // Lot 1/A is now two batches (the active rest and the part retired): a recall names the one it means.
    expect(plan.problems).toEqual([
      { field: "/epcisBody/eventList/2/quantityList/0/epcClass", message: expect.stringMatching(/^batches 1, 3 are all lot "LOT 1\/A".*tracefin:batchId$/) },
    ]);
  });

  it("names escaped JSON pointers, refuses documents that are not capture documents, and bounds the event count", () => {
    expect(pointerTo("ilmd", "a/b~c")).toBe("/ilmd/a~1b~0c");
    expect(parseCaptureDocument([], CHAIN_ID).problems).toEqual([{ field: "", message: expect.any(String) }]);
    const tooMany = parseCaptureDocument(documentOf(Array(MAX_EVENTS + 1).fill(observation({ bizStep: "storing" }))), CHAIN_ID);
    expect(tooMany.problems.map((p) => p.field)).toEqual(["/epcisBody/eventList"]);
    const { problems } = parseCaptureDocument({ type: "EPCISQueryDocument", schemaVersion: "1.2", epcisBody: { eventList: [] } }, CHAIN_ID);
    expect(problems.map((p) => p.field)).toEqual(["/type", "/schemaVersion", "/@context", "/epcisBody/eventList"]);
  });

  it("refuses an event exported from the ledger, so a document is never applied twice", () => {
    const { problems } = parseCaptureDocument(documentOf([observation({ bizStep: "storing", "tracefin:txHash": sha256Hex("tx") })]), CHAIN_ID);
    expect(problems).toEqual([{ field: "/epcisBody/eventList/0/tracefin:txHash", message: expect.stringContaining("on the ledger already") }]);
  });

  it.skipIf(!fixturesPresent)("reads every GS1 example: those that fit the model parse clean, the others name their problems", () => {
    const clean: string[] = [];
    for (const name of fs.readdirSync(FIXTURES_DIR).filter((f) => /\.json(ld)?$/.test(f)).sort()) {
      const document = JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, name), "utf8").replace(/^\uFEFF/, ""));
      const { problems } = parseCaptureDocument(document, CHAIN_ID);
      if (problems.length === 0) clean.push(name);
      for (const problem of problems) expect(problem.field, name).toMatch(/^(\/[^/]+)*$/);
    }
    expect(clean).toEqual([
      "RalphTro-epcis-event-hash-generator__epcisDocWithShippingAndTransportingEvent.jsonld",
      "gs1-EPCIS__Example-TransactionEvents-2020_07_03y.jsonld",
      "gs1-EPCIS__SensorDataExample4.jsonld",
      "openepcis-openepcis-event-sentry__ACME_ES_SCE_0dot1_XEventDocument1.json",
    ]);
  });
});
