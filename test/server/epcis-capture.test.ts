import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hexlify, parseEther, randomBytes, Wallet } from "ethers";
import { roleBits } from "../../shared/roles";
import { sha256Hex } from "../../shared/hashing";
import { canonicalJson, leafOf } from "../../shared/merkle";
import type { Keystore } from "../../server/signing/keystore";
import { digitalLinkClass, partyUri, TRACEFIN_EPCIS_NAMESPACE } from "../../server/epcis/epcis.mapper";
import { parseItemId } from "../../server/epcis/capture/identifiers";
import { MANAGED_APP_DOMAIN, startManagedApp, startTestSystem, type TestSystem } from "../support/system";
import { databaseKind } from "../support/database";
import { apiKeyOf, bearer, demoWallet, request as send, tokenOf as signInToken, walletAt, type MessageSigner } from "../support/sign-in";

/** GS1's examples are read from the shared fixtures next to the repository, never copied into it (see epcis.test.ts). */
const FIXTURES_DIR = path.resolve(__dirname, "../..", process.env.GS1_EPCIS_FIXTURES ?? "../shared/fixtures/epcis");
const fixturesPresent = fs.existsSync(FIXTURES_DIR);
const fixture = (name: string): any => JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, name), "utf8").replace(/^\uFEFF/, ""));
const fixtureEvent = (name: string, index = 0): Record<string, any> => structuredClone(fixture(name).epcisBody.eventList[index]);

const DOMAIN = MANAGED_APP_DOMAIN;
const CONTEXT = ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld", { tracefin: TRACEFIN_EPCIS_NAMESPACE }];
const REGION = 370686; // Qixia, Yantai (GB/T 2260)

/** Products of GS1's examples (GTIN-14 as their EPCs and Digital Links give them). */
const GTIN = {
  sensorLot: "04023333020008", // urn:epc:class:lgtin:4023333.002000.2019-10-07 (SensorDataExample4, ObjectEvent_with_userExtensions)
  receiving: "70614141123451", // Example 9.6.2 with Digital Link
  xInput: "04012345123456", // ACME XEventDocument1: input and output by Digital Link
  xInputGram: "09876543111111", // urn:epc:class:lgtin:9876543.011111.12
  xOutput: "04012345111118", // urn:epc:class:lgtin:4012345.011111.12
  demo: "06970000900010",
};

const documentOf = (...events: unknown[]) => ({
  "@context": CONTEXT,
  type: "EPCISDocument",
  schemaVersion: "2.0",
  creationDate: "2026-11-26T08:00:00Z",
  epcisBody: { eventList: events },
});
const commissioning = (gtin: string, lot: string, quantity: number, uom: string) => ({
  type: "ObjectEvent",
  eventTime: "2026-09-01T08:00:00+08:00",
  eventTimeZoneOffset: "+08:00",
  action: "ADD",
  bizStep: "commissioning",
  disposition: "active",
  quantityList: [{ epcClass: digitalLinkClass(gtin, lot), quantity, uom }],
  ilmd: { "tracefin:originRegion": REGION },
});

/** A quantity element as the model keeps it: the lot (whatever the identifier's form), quantity and unit. */
const lotOf = (element: { epcClass: string; quantity?: number; uom?: string }) => ({ id: parseItemId(element.epcClass), quantity: element.quantity, uom: element.uom });
/** What the ledger keeps of an event and the export writes back. */
const shape = (e: Record<string, any>) => ({
  type: e.type,
  action: e.action,
  bizStep: e.bizStep,
  disposition: e.disposition,
  quantityList: e.quantityList?.map(lotOf),
  inputQuantityList: e.inputQuantityList?.map(lotOf),
  outputQuantityList: e.outputQuantityList?.map(lotOf),
});

describe(`EPCIS capture: documents become ledger operations in one transaction (${databaseKind})`, () => {
  let system: TestSystem;
  let closeApp: (() => Promise<void>) | undefined;
  let baseUrl: string;
  let keystore: Keystore;
  let chainId: number;
  const producer = { address: "", token: "" };
  const buyer = { address: "", token: "" };

  const target = () => ({ baseUrl, domain: DOMAIN, chainId });
  const request = (url: string, init: RequestInit = {}) => send(baseUrl + url, init);
  /** Reads of member data, as the regulator. */
  const read = async (url: string) => request(url, { headers: await system.as("regulator") });
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    request(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const capture = (document: unknown, token: string | undefined, key?: string) =>
    post("/api/v1/epcis/capture", document, { ...(token ? bearer(token) : {}), ...(key ? { "idempotency-key": key } : {}) });
  const tokenOf = (signer: MessageSigner) => signInToken(target(), signer);
  const exportOf = async (batchId: number) => {
    const answer = await read(`/api/v1/batches/${batchId}/epcis`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.epcisBody.eventList as Record<string, any>[];
  };
  const ledger = () => system.chain.contracts.ledger;
  const nonceOf = (address: string) => system.chain.provider.getTransactionCount(address, "pending");

  async function managedMember(name: string, roles: Parameters<typeof roleBits>[0], adminToken: string) {
    const created = await post("/api/v1/managed-keys", {}, bearer(adminToken));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const address: string = created.body.address;
    await (await system.chain.contracts.registry.admit(address, roleBits(roles), sha256Hex(`USCC ${name}`), name, "", sha256Hex(name))).wait();
    await (await system.chain.admin.sendTransaction({ to: address, value: parseEther("10") })).wait();
    return address;
  }

  async function registerProducts(gtins: string[]) {
    for (const gtin of gtins) {
      const args = { gtin: BigInt(gtin).toString(), hsCode: "080810", name: `GS1 example ${gtin}`, uri: "" };
      const answer = await post("/api/v1/writes", { contract: "ProvenanceLedger", function: "registerProduct", args }, {
        ...bearer(producer.token),
        "idempotency-key": `product-${gtin}`,
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    }
  }

  beforeAll(async () => {
    system = await startTestSystem();
    chainId = system.chain.deployment.chainId;
    const app = await startManagedApp(system, "tracefin-capture-");
    ({ baseUrl, keystore } = app);
    closeApp = app.close;
    const adminToken = await tokenOf(walletAt(0));
    producer.address = await managedMember("GS1 Example Producer", ["ENTERPRISE"], adminToken);
    buyer.address = await managedMember("GS1 Example Buyer", ["ENTERPRISE"], adminToken);
    await system.sync();
    producer.token = await tokenOf(await keystore.wallet(producer.address));
    buyer.token = await tokenOf(await keystore.wallet(buyer.address));
    await registerProducts(Object.values(GTIN));
    await system.sync();
  });
  afterAll(async () => {
    await closeApp?.();
    await system?.stop();
  });

  describe.skipIf(!fixturesPresent)("round trip of GS1's examples that fit the model: capture, index, export, compare", () => {
    let sensorLot: number;
    let shippedPart: number;
    let commissionEvent: Record<string, any>;
    let sensorEvent: Record<string, any>;
    let pickingEvent: Record<string, any>;
    let shippingEvent: Record<string, any>;

    it("captures a commissioning, and a part of another new lot picked and shipped, in one transaction; then a sensor observation of the first", async () => {
      // ObjectEvent_with_userExtensions' commissioning, with the origin region the ledger requires.
      commissionEvent = fixtureEvent("openepcis-openepcis-test-resources__ObjectEvent_with_userExtensions.json", 1);
      commissionEvent.ilmd["tracefin:originRegion"] = REGION;
      // SensorDataExample4 as GS1 wrote it: an inspection without a verdict, with sensor reports.
      sensorEvent = fixtureEvent("gs1-EPCIS__SensorDataExample4.jsonld");
      pickingEvent = {
        type: "ObjectEvent", eventTime: "2026-09-02T08:00:00Z", eventTimeZoneOffset: "+00:00", action: "OBSERVE", bizStep: "picking",
        quantityList: [{ epcClass: digitalLinkClass(GTIN.receiving, "998877"), quantity: 200, uom: "KGM" }],
      };
      shippingEvent = {
        ...pickingEvent,
        bizStep: "shipping",
        disposition: "in_transit",
        sourceList: [{ type: "possessing_party", source: partyUri(chainId, producer.address) }],
        destinationList: [{ type: "possessing_party", destination: partyUri(chainId, buyer.address) }],
      };
      const firstNew = Number(await ledger().batchCount()) + 1;
      const document = documentOf(commissionEvent, commissioning(GTIN.receiving, "998877", 500, "KGM"), pickingEvent, shippingEvent);
      const answer = await capture(document, producer.token, "round-trip-1");
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body).toMatchObject({ status: "success", from: producer.address, contract: "ProvenanceLedger" });
      expect(answer.body.captured.map((c: any) => c.recordedAs)).toEqual([
        "commission", "commission", "part of the shipment at /epcisBody/eventList/3", "ship",
      ]);
      sensorLot = firstNew;
      shippedPart = firstNew + 2;
      expect(answer.body.captured.map((c: any) => c.createdBatchIds)).toEqual([[firstNew], [firstNew + 1], [shippedPart], [shippedPart]]);
      // The ledger kept neither the read point nor the user extension of the commissioning.
      expect(answer.body.captured[0].notKept).toEqual(expect.arrayContaining(["readPoint", "example:userElement", "disposition"]));
      // One transaction: every event's chain event is in it, in document order.
      expect(answer.body.events.map((e: any) => e.name)).toEqual(["BatchCommissioned", "BatchCommissioned", "BatchSplit", "BatchShipped"]);

      // An observation is tied to a batch once its id is on the ledger: in a later document.
      await system.sync();
      const observed = await capture(documentOf(sensorEvent), producer.token, "round-trip-2");
      expect(observed.status, JSON.stringify(observed.body)).toBe(200);
      expect(observed.body.captured).toEqual([expect.objectContaining({ recordedAs: "recordReading", batchIds: [sensorLot], notKept: [] })]);
    });

    it("lets the recipient capture GS1's receiving example (9.6.2, Digital Link) for the shipped part", async () => {
      await system.sync();
      const receiving = fixtureEvent("gs1-EPCIS__Example_9.6.2-ObjectEventWithDigitalLink.jsonld");
      // The one rewrite: GS1's shipper is a GLN; the ledger's parties are members (did:pkh), as the export writes them.
      receiving.sourceList[0].source = partyUri(chainId, producer.address);
      const answer = await capture(documentOf(receiving), buyer.token, "receive-1");
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.captured).toEqual([
        expect.objectContaining({ recordedAs: "receiveShipment", batchIds: [shippedPart], notKept: expect.arrayContaining(["readPoint", "bizLocation", "destinationList", "example:myField"]) }),
      ]);
      await system.sync();

      const exported = await exportOf(shippedPart);
      expect(exported.map(shape)).toEqual([pickingEvent, shippingEvent, receiving].map(shape));
      expect(exported[1].sourceList).toEqual(shippingEvent.sourceList);
      expect(exported[1].destinationList).toEqual(shippingEvent.destinationList);
      expect(exported[2].sourceList).toEqual(receiving.sourceList.slice(0, 1));
      expect(exported[2].destinationList).toEqual([{ type: "possessing_party", destination: partyUri(chainId, buyer.address) }]);
    });

    it("exports the commissioned lot and the sensor observation as the model keeps them", async () => {
      const exported = await exportOf(sensorLot);
      expect(exported).toHaveLength(2);
      expect(shape(exported[0])).toEqual({ ...shape(commissionEvent), disposition: "active" });
      expect(exported[0].ilmd).toMatchObject({
        "cbvmda:lotNumber": "2019-10-07",
        "tracefin:originRegion": REGION,
        "tracefin:producedAt": new Date(Math.floor(Date.parse(commissionEvent.eventTime) / 1000) * 1000).toISOString(),
      });
      // The observation is kept as its SHA-256: anyone holding GS1's event can check it against the ledger.
      expect(exported[1]).toMatchObject({ type: "ObjectEvent", action: "OBSERVE", bizStep: "sensor_reporting", "tracefin:readingHash": sha256Hex(canonicalJson(sensorEvent)) });
      expect(exported[1].quantityList.map(lotOf)).toEqual([{ id: { kind: "class", gtin: GTIN.sensorLot, lot: "2019-10-07" }, quantity: undefined, uom: undefined }]);
    });

    it("captures the ACME transformation (lots named by LGTIN and Digital Link, units KGM and GRM) as it is and exports it back", async () => {
      const transformation = fixtureEvent("openepcis-openepcis-event-sentry__ACME_ES_SCE_0dot1_XEventDocument1.json");
      const inputs = transformation.inputQuantityList.map(lotOf);
      const made = await capture(
        documentOf(...inputs.map((input: any) => commissioning(input.id.gtin, input.id.lot, 10, input.uom))),
        producer.token,
        "acme-inputs",
      );
      expect(made.status, JSON.stringify(made.body)).toBe(200);
      await system.sync();
      const answer = await capture(fixture("openepcis-openepcis-event-sentry__ACME_ES_SCE_0dot1_XEventDocument1.json"), producer.token, "acme-transform");
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const [outcome] = answer.body.captured;
      expect(outcome).toMatchObject({ recordedAs: "transform", notKept: ["readPoint"] });
      expect(outcome.createdBatchIds).toHaveLength(2);
      await system.sync();
      const exported = await exportOf(outcome.createdBatchIds[0]);
      expect(exported.map(shape)).toEqual([shape(transformation)]);
    });

    it("anchors observations that name no lot (GS1's TransactionEvents on a GSRN and a GIAI) in one Merkle root", async () => {
      const document = fixture("gs1-EPCIS__Example-TransactionEvents-2020_07_03y.jsonld");
      const answer = await capture(document, producer.token, "transactions-1");
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const [first, second] = answer.body.captured;
      expect([first.recordedAs, second.recordedAs]).toEqual(["anchor", "anchor"]);
      expect(first.anchor.root).toBe(second.anchor.root);
      expect(first.anchor.leaf).toBe(leafOf(canonicalJson(document.epcisBody.eventList[0])));
      await system.sync();
      expect((await request(`/api/v1/anchors/${first.anchor.root}`)).body).toMatchObject({ root: first.anchor.root, eventCount: 2 });
      const verified = await post("/api/v1/anchors/verify", { root: first.anchor.root, leaf: second.anchor.leaf, proof: second.anchor.proof });
      expect(verified.body).toMatchObject({ verified: true });
    });

    it("refuses, with a pointer for each problem, the examples the model cannot hold", async () => {
      const refused: Record<string, string[]> = {
        // Serialised items: the ledger tracks lots (GTIN + lot), not serial numbers.
        "gs1-EPCIS__Example_9.6.1-ObjectEvent.jsonld": ["/epcisBody/eventList/0/epcList/0", "/epcisBody/eventList/1/epcList/0"],
        "gs1-EPCIS__Example_9.6.4-TransformationEventWithDigitalLink.jsonld": ["/epcisBody/eventList/0/inputEPCList/0", "/epcisBody/eventList/0/inputQuantityList/1/uom"],
        // A decimal quantity and a quantity without a unit.
        "gs1-EPCIS__Example_9.6.3-AggregationEventWithDigitalLink.jsonld": ["/epcisBody/eventList/0/childQuantityList/1/quantity", "/epcisBody/eventList/0/childQuantityList/0/uom"],
        "gs1-EPCIS__AssociationEvent-a.jsonld": ["/epcisBody/eventList/0/type"],
        "gs1-EPCIS__ErrorDeclarationAndCorrectiveEvent.jsonld": ["/epcisBody/eventList/0/errorDeclaration"],
        "gs1-EPCIS__EPCISQueryDocument.jsonld": ["/type"],
        // GS1's shipper is a GLN, not a member.
        "gs1-EPCIS__Example_9.6.2-ObjectEvent.jsonld": ["/epcisBody/eventList/0/sourceList/0/source"],
      };
      for (const [name, pointers] of Object.entries(refused)) {
        const answer = await capture(fixture(name), producer.token, `refused-${name}`);
        expect(answer.status, name).toBe(400);
        expect(answer.body.error.code).toBe("VALIDATION_FAILED");
        expect(answer.body.error.details.map((p: any) => p.field), name).toEqual(expect.arrayContaining(pointers));
      }
    });
  });

  describe("the other operations, captured and exported back", () => {
    const event = (lot: string, bizStep: string, fields: Record<string, unknown> = {}) => ({
      type: "ObjectEvent", eventTime: "2026-09-05T08:00:00Z", eventTimeZoneOffset: "+00:00", action: "OBSERVE", bizStep,
      quantityList: [{ epcClass: digitalLinkClass(GTIN.demo, lot) }],
      ...fields,
    });

    it("ships and voids the shipment, holds and releases, recalls; the recipient rejects another shipment", async () => {
      const lot = `OPS-${hexlify(randomBytes(3))}`;
      const made = await capture(documentOf(commissioning(GTIN.demo, lot, 50, "KGM")), producer.token, `ops-0-${lot}`);
      expect(made.status, JSON.stringify(made.body)).toBe(200);
      const [batchId] = made.body.captured[0].createdBatchIds;
      await system.sync();
      const to = { destinationList: [{ type: "possessing_party", destination: partyUri(chainId, buyer.address) }] };
      const shipAll = event(lot, "shipping", { disposition: "in_transit", quantityList: [{ epcClass: digitalLinkClass(GTIN.demo, lot), quantity: 50, uom: "KGM" }], ...to });
      const reason = { "tracefin:reasonHash": sha256Hex("temperature excursion") };
      const operations = [
        shipAll,
        event(lot, "void_shipping", { disposition: "active", ...reason }),
        event(lot, "holding", { disposition: "non_sellable_other", ...reason }),
        event(lot, "holding", { disposition: "available" }),
        shipAll,
      ];
      const answer = await capture(documentOf(...operations), producer.token, `ops-1-${lot}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.captured.map((c: any) => [c.recordedAs, c.batchIds])).toEqual([
        ["ship", [batchId]], ["cancelShipment", [batchId]], ["hold", [batchId]], ["releaseHold", [batchId]], ["ship", [batchId]],
      ]);
      await system.sync();
      const rejected = await capture(documentOf(event(lot, "arriving", { disposition: "returned", ...reason })), buyer.token, `ops-2-${lot}`);
      expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
      expect(rejected.body.captured[0]).toMatchObject({ recordedAs: "rejectShipment", batchIds: [batchId] });
      await system.sync();
      const recalled = await capture(documentOf(event(lot, "holding", { disposition: "recalled", ...reason })), producer.token, `ops-3-${lot}`);
      expect(recalled.status, JSON.stringify(recalled.body)).toBe(200);
      await system.sync();

      const exported = await exportOf(batchId);
      const kept = (e: Record<string, any>) => [e.bizStep, e.disposition ?? null, e["tracefin:reasonHash"] ?? null];
      expect(exported.map(kept)).toEqual([
        ["commissioning", "active", null],
        ["shipping", "in_transit", null],
        ["void_shipping", "active", reason["tracefin:reasonHash"]],
        ["holding", "non_sellable_other", reason["tracefin:reasonHash"]],
        ["holding", "available", null],
        ["shipping", "in_transit", null],
        ["arriving", "returned", reason["tracefin:reasonHash"]],
        ["holding", "recalled", reason["tracefin:reasonHash"]],
      ]);
    });

    describe("ObjectEvent DELETE: the lot leaves the supply chain (ProvenanceLedger.retire)", () => {
      const retirement = (lot: string, quantity: number, fields: Record<string, unknown> = {}) => ({
        type: "ObjectEvent", eventTime: "2026-09-06T08:00:00Z", eventTimeZoneOffset: "+00:00", action: "DELETE",
        quantityList: [{ epcClass: digitalLinkClass(GTIN.demo, lot), quantity, uom: "KGM" }],
        ...fields,
      });
      const commissioned = async (lot: string, quantity: number): Promise<number> => {
        const made = await capture(documentOf(commissioning(GTIN.demo, lot, quantity, "KGM")), producer.token, `retire-0-${lot}`);
        expect(made.status, JSON.stringify(made.body)).toBe(200);
        await system.sync();
        return made.body.captured[0].createdBatchIds[0];
      };

      it("retires part of a lot (destroyed) and then the rest (decommissioned), and exports both back as DELETE", async () => {
        const lot = `RETIRE-${hexlify(randomBytes(3))}`;
        const batchId = await commissioned(lot, 50);
        // GS1's destroying, without a reason: the ledger keeps the SHA-256 of the event as sent.
        const destroyed = retirement(lot, 20, { bizStep: "destroying", disposition: "destroyed", readPoint: { id: "urn:epc:id:sgln:0614141.00777.0" } });
        const reason = { "tracefin:reasonHash": sha256Hex("sold to consumers at the farm shop") };
        const decommissioned = retirement(lot, 30, { bizStep: "decommissioning", disposition: "inactive", ...reason });
        const answer = await capture(documentOf(destroyed, decommissioned), producer.token, `retire-1-${lot}`);
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        expect(answer.body.events.map((e: any) => e.name)).toEqual(["BatchSplit", "BatchRetired", "BatchRetired"]);
        const part = Number(answer.body.events[0].args.childId);
        expect(answer.body.captured).toEqual([
          expect.objectContaining({ recordedAs: "retire", batchIds: [part], createdBatchIds: [part], notKept: [] }),
          expect.objectContaining({ recordedAs: "retire", batchIds: [batchId], createdBatchIds: [], notKept: [] }),
        ]);
        await system.sync();

        for (const id of [part, batchId]) expect((await read(`/api/v1/batches/${id}`)).body).toMatchObject({ status: "retired" });
        const destroyedHash = sha256Hex(canonicalJson(destroyed));
        const exportedPart = await exportOf(part);
        expect(exportedPart.map((e) => [e.action, e.bizStep])).toEqual([["OBSERVE", "picking"], ["DELETE", "decommissioning"]]);
        // The ledger knows a retirement, not its kind: destroying comes back as the generic decommissioning, with the event's hash.
        expect(shape(exportedPart[1])).toEqual({ ...shape(destroyed), bizStep: "decommissioning", disposition: "inactive" });
        expect(exportedPart[1]).toMatchObject({ "tracefin:reasonHash": destroyedHash, "tracefin:batchId": part });
        const exported = await exportOf(batchId);
        expect(exported.map((e) => [e.action, e.bizStep])).toEqual([["ADD", "commissioning"], ["OBSERVE", "picking"], ["DELETE", "decommissioning"]]);
        expect(shape(exported[2])).toEqual(shape(decommissioned));
        expect(exported[2]["tracefin:reasonHash"]).toBe(reason["tracefin:reasonHash"]);
        const timeline = (await read(`/api/v1/batches/${batchId}/events?type=retired`)).body;
        expect(timeline.items).toEqual([expect.objectContaining({ type: "retired", quantity: "30", details: { reasonHash: reason["tracefin:reasonHash"] } })]);
      });

      it("takes a DELETE without a bizStep, and retail_selling; refuses other bizSteps and a DELETE without a quantity (400)", async () => {
        const lot = `RETAIL-${hexlify(randomBytes(3))}`;
        const batchId = await commissioned(lot, 10);
        const bad = await capture(
          documentOf(
            retirement(lot, 1, { bizStep: "shipping" }),
            { ...retirement(lot, 1), quantityList: [{ epcClass: digitalLinkClass(GTIN.demo, lot) }] },
            retirement(lot, 1, { "tracefin:reasonHash": "not a hash" }),
          ),
          producer.token,
          `retail-bad-${lot}`,
        );
        expect(bad.status).toBe(400);
        expect(bad.body.error.details.map((p: any) => p.field)).toEqual([
          "/epcisBody/eventList/0/bizStep",
          "/epcisBody/eventList/1/quantityList/0/quantity",
          "/epcisBody/eventList/2/tracefin:reasonHash",
        ]);
        const answer = await capture(documentOf(retirement(lot, 4, { bizStep: "retail_selling", disposition: "retail_sold" }), retirement(lot, 6)), producer.token, `retail-${lot}`);
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        const [part] = answer.body.captured[0].createdBatchIds;
        expect(answer.body.captured.map((c: any) => [c.recordedAs, c.batchIds])).toEqual([["retire", [part]], ["retire", [batchId]]]);
      });

      it("refuses a DELETE of a batch in transit or of another member's batch: 400 when no batch of the lot fits, 422 naming the event when tracefin:batchId names it", async () => {
        const lot = `AWAY-${hexlify(randomBytes(3))}`;
        const batchId = await commissioned(lot, 10);
        const shipAll = {
          type: "ObjectEvent", eventTime: "2026-09-05T08:00:00Z", eventTimeZoneOffset: "+00:00", action: "OBSERVE", bizStep: "shipping",
          quantityList: [{ epcClass: digitalLinkClass(GTIN.demo, lot), quantity: 10, uom: "KGM" }],
          destinationList: [{ type: "possessing_party", destination: partyUri(chainId, buyer.address) }],
        };
        expect((await capture(documentOf(shipAll), producer.token, `away-ship-${lot}`)).status).toBe(200);
        await system.sync();
        const nonce = await nonceOf(producer.address);

        // In transit: the shipper no longer has an active batch of the lot; the recipient has none yet.
        for (const [who, token] of [["producer", producer.token], ["buyer", buyer.token]] as const) {
          const unresolved = await capture(documentOf(retirement(lot, 10, { bizStep: "destroying" })), token, `away-1-${who}-${lot}`);
          expect(unresolved.status, JSON.stringify(unresolved.body)).toBe(400);
          expect(unresolved.body.error.details).toEqual([
            { field: "/epcisBody/eventList/0/quantityList/0/epcClass", message: expect.stringContaining("is held by you and active") },
          ]);
        }
        // Named by tracefin:batchId (as the export writes it): the contract refuses, and the answer names the event.
        const named = retirement(lot, 10, { "tracefin:batchId": batchId });
        const inTransit = await capture(documentOf(commissioning(GTIN.demo, `${lot}-B`, 5, "KGM"), named), producer.token, `away-2-${lot}`);
        expect(inTransit.status, JSON.stringify(inTransit.body)).toBe(422);
        expect(inTransit.body.error.code).toBe("CONTRACT_REVERT");
        expect(inTransit.body.error.message).toMatch(/^event \/epcisBody\/eventList\/1: batch \d+ is in transit \(BatchInTransit\)$/);
        expect(inTransit.body.error.details).toMatchObject({ error: "BatchInTransit", field: "/epcisBody/eventList/1", callIndex: 1, call: expect.stringContaining("ProvenanceLedger.retire(") });
        expect(await nonceOf(producer.address)).toBe(nonce);

        // Received by the buyer: now it is the buyer's, and the producer cannot retire it.
        const receiving = { ...shipAll, bizStep: "receiving", disposition: "in_progress", destinationList: undefined };
        expect((await capture(documentOf(receiving), buyer.token, `away-receive-${lot}`)).status).toBe(200);
        await system.sync();
        const notHeld = await capture(documentOf(retirement(lot, 10)), producer.token, `away-3-${lot}`);
        expect(notHeld.status).toBe(400);
        const notCustodian = await capture(documentOf(named), producer.token, `away-4-${lot}`);
        expect(notCustodian.status, JSON.stringify(notCustodian.body)).toBe(422);
        expect(notCustodian.body.error.details).toMatchObject({ error: "NotCustodian", field: "/epcisBody/eventList/0" });
        // The buyer, its custodian, retires it.
        const mine = await capture(documentOf(retirement(lot, 10, { bizStep: "disposing" })), buyer.token, `away-5-${lot}`);
        expect(mine.status, JSON.stringify(mine.body)).toBe(200);
        expect(mine.body.captured[0]).toMatchObject({ recordedAs: "retire", batchIds: [batchId] });
      });
    });

    it("answers 422 naming the event when the caller lacks the role: an ENTERPRISE records no inspection", async () => {
      const lot = `INSPECT-${hexlify(randomBytes(3))}`;
      expect((await capture(documentOf(commissioning(GTIN.demo, lot, 5, "KGM")), producer.token, `inspect-0-${lot}`)).status).toBe(200);
      await system.sync();
      const inspection = event(lot, "inspecting", { disposition: "conformant", certificationInfo: "ni:///sha-256;" + Buffer.alloc(32, 7).toString("base64url") });
      const answer = await capture(documentOf(event(lot, "storing"), inspection), producer.token, `inspect-1-${lot}`);
      expect(answer.status).toBe(422);
      expect(answer.body.error.details).toMatchObject({ error: "MissingRole", field: "/epcisBody/eventList/1", callIndex: 1 });
    });
  });

  describe("refusals", () => {
    it("lists every problem of a document at once, each with its JSON pointer, and sends nothing", async () => {
      const before = await nonceOf(producer.address);
      const bad = documentOf(
        { ...commissioning(GTIN.demo, "A-1", 10, "KGM"), quantityList: [{ epcClass: digitalLinkClass(GTIN.demo, "A-1"), quantity: 2.5, uom: "KGM" }] },
        { type: "AssociationEvent", eventTime: "2026-09-01T08:00:00Z", eventTimeZoneOffset: "+00:00", action: "ADD" },
        { ...commissioning(GTIN.demo, "A-2", 10, "KGM"), action: "DELETE", bizStep: "commissioning" },
        { ...commissioning(GTIN.demo, "A-3", 10, "kilograms"), ilmd: {} },
        { type: "ObjectEvent", eventTime: "yesterday", eventTimeZoneOffset: "+00:00", action: "OBSERVE", bizStep: "shipping",
          quantityList: [{ epcClass: "urn:epc:id:sgtin:0614141.107346.2017", quantity: 1, uom: "H87" }],
          destinationList: [{ type: "possessing_party", destination: "urn:epc:id:sgln:0614141.00001.0" }] },
      );
      const answer = await capture(bad, producer.token, "bad-1");
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe("VALIDATION_FAILED");
      expect(answer.body.error.details.map((p: any) => p.field).sort()).toEqual(
        [
          "/epcisBody/eventList/0/quantityList/0/quantity",
          "/epcisBody/eventList/1/type",
          "/epcisBody/eventList/2/bizStep",
          "/epcisBody/eventList/3/quantityList/0/uom",
          "/epcisBody/eventList/3/ilmd/tracefin:originRegion",
          "/epcisBody/eventList/4/eventTime",
          "/epcisBody/eventList/4/quantityList/0/epcClass",
          "/epcisBody/eventList/4/destinationList/0/destination",
        ].sort(),
      );
      expect(await nonceOf(producer.address)).toBe(before);
    });

    it("refuses lots it cannot resolve: an unknown product, a lot no one holds, a lot of which the caller holds several", async () => {
      const lot = `TWICE-${hexlify(randomBytes(3))}`;
      const twice = await capture(documentOf(commissioning(GTIN.demo, lot, 5, "KGM"), commissioning(GTIN.demo, lot, 6, "KGM")), producer.token, `twice-${lot}`);
      expect(twice.status, JSON.stringify(twice.body)).toBe(200);
      await system.sync();
      const reading = (gtin: string, lotName: string) => ({
        type: "ObjectEvent", eventTime: "2026-09-03T08:00:00Z", eventTimeZoneOffset: "+00:00", action: "OBSERVE", bizStep: "sensor_reporting",
        quantityList: [{ epcClass: digitalLinkClass(gtin, lotName) }],
      });
      const answer = await capture(documentOf(reading("06970000900027", "X"), reading(GTIN.demo, "NOBODY"), reading(GTIN.demo, lot)), producer.token, `unresolved-${lot}`);
      expect(answer.status).toBe(400);
      expect(answer.body.error.details).toEqual([
        { field: "/epcisBody/eventList/0/quantityList/0/epcClass", message: expect.stringContaining("not a product registered") },
        { field: "/epcisBody/eventList/1/quantityList/0/epcClass", message: expect.stringContaining("no batch of lot") },
        { field: "/epcisBody/eventList/2/quantityList/0/epcClass", message: expect.stringMatching(/^batches \d+, \d+ are all lot/) },
      ]);
      // tracefin:batchId says which one, as the export writes it.
      const [first] = twice.body.captured[0].createdBatchIds;
      const named = await capture(documentOf({ ...reading(GTIN.demo, lot), "tracefin:batchId": first }), producer.token, `named-${lot}`);
      expect(named.status, JSON.stringify(named.body)).toBe(200);
      expect(named.body.captured[0].batchIds).toEqual([first]);
    });

    it("applies nothing when a call in the middle reverts: 422 naming the event, no transaction, no batch", async () => {
      const count = await ledger().batchCount();
      const nonce = await nonceOf(producer.address);
      const lot = `REVERT-${hexlify(randomBytes(3))}`;
      const stranger = Wallet.createRandom().address;
      const document = documentOf(
        commissioning(GTIN.demo, lot, 100, "KGM"),
        {
          type: "ObjectEvent", eventTime: "2026-09-02T08:00:00Z", eventTimeZoneOffset: "+00:00", action: "OBSERVE", bizStep: "shipping",
          quantityList: [{ epcClass: digitalLinkClass(GTIN.demo, lot), quantity: 40, uom: "KGM" }],
          destinationList: [{ type: "possessing_party", destination: partyUri(chainId, stranger) }],
        },
        commissioning(GTIN.demo, `${lot}-2`, 100, "KGM"),
      );
      const answer = await capture(document, producer.token, `revert-${lot}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(422);
      expect(answer.body.error.code).toBe("CONTRACT_REVERT");
      expect(answer.body.error.message).toMatch(/^event \/epcisBody\/eventList\/1: .* is not an active member \(MissingRole\)$/);
      expect(answer.body.error.details).toMatchObject({ error: "MissingRole", field: "/epcisBody/eventList/1", callIndex: 1, call: expect.stringContaining("ProvenanceLedger.ship(") });
      expect(await ledger().batchCount()).toBe(count);
      expect(await nonceOf(producer.address)).toBe(nonce);
      await system.sync();
      expect((await read(`/api/v1/batches?gtin=${GTIN.demo}&limit=200`)).body.items.map((b: any) => b.lot)).not.toContain(lot);
    });

    it("answers a retry with the same idempotency key with the first answer and sends nothing twice", async () => {
      const document = documentOf(commissioning(GTIN.demo, `RETRY-${hexlify(randomBytes(3))}`, 10, "KGM"));
      const before = await nonceOf(producer.address);
      const first = await capture(document, producer.token, "retry-capture");
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      const again = await capture(document, producer.token, "retry-capture");
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(await nonceOf(producer.address)).toBe(before + 1);
      const other = await capture(documentOf(commissioning(GTIN.demo, "OTHER", 10, "KGM")), producer.token, "retry-capture");
      expect(other.status).toBe(422);
      expect(other.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    });

    it("predicts new batch ids right for concurrent captures of one member (commission, ship part) while blocks are mined every 200 ms", async () => {
      const documents = Array.from({ length: 6 }, (_, i) => {
        const lot = `CONCURRENT-${i}-${hexlify(randomBytes(3))}`;
        const shipping = {
          type: "ObjectEvent", eventTime: "2026-09-03T08:00:00Z", eventTimeZoneOffset: "+00:00", action: "OBSERVE", bizStep: "shipping",
          quantityList: [{ epcClass: digitalLinkClass(GTIN.demo, lot), quantity: 4, uom: "KGM" }],
          destinationList: [{ type: "possessing_party", destination: partyUri(chainId, buyer.address) }],
        };
        return documentOf(commissioning(GTIN.demo, lot, 10 + i, "KGM"), shipping);
      });
      await system.chain.rpc("evm_setAutomine", [false]);
      await system.chain.rpc("evm_setIntervalMining", [200]);
      let answers: Awaited<ReturnType<typeof capture>>[];
      try {
        answers = await Promise.all(documents.map((document, i) => capture(document, producer.token, `concurrent-${i}-${hexlify(randomBytes(3))}`)));
      } finally {
        await system.chain.rpc("evm_setIntervalMining", [0]);
        await system.chain.rpc("evm_setAutomine", [true]);
      }
      for (const answer of answers) {
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        // The shipment split the batch the same document commissioned, and the answer names both.
        const event = (name: string) => answer.body.events.find((e: any) => e.name === name).args;
        const commissioned = Number(event("BatchCommissioned").batchId);
        const child = Number(event("BatchSplit").childId);
        expect(Number(event("BatchSplit").parentId)).toBe(commissioned);
        expect(Number(event("BatchShipped").batchId)).toBe(child);
        expect(answer.body.captured.map((c: any) => c.createdBatchIds)).toEqual([[commissioned], [child]]);
      }
    });

    it("plans on the chain's state of the batches, not the index's, when the indexer is behind", async () => {
      const lot = `BEHIND-${hexlify(randomBytes(3))}`;
      expect((await capture(documentOf(commissioning(GTIN.demo, lot, 100, "KGM")), producer.token, `behind-0-${lot}`)).status).toBe(200);
      await system.sync();
      const ship = (quantity: number) => ({
        type: "ObjectEvent", eventTime: "2026-09-03T08:00:00Z", eventTimeZoneOffset: "+00:00", action: "OBSERVE", bizStep: "shipping",
        quantityList: [{ epcClass: digitalLinkClass(GTIN.demo, lot), quantity, uom: "KGM" }],
        destinationList: [{ type: "possessing_party", destination: partyUri(chainId, buyer.address) }],
      });
      const part = await capture(documentOf(ship(30)), producer.token, `behind-1-${lot}`);
      expect(part.status, JSON.stringify(part.body)).toBe(200);
      expect(part.body.captured[0].createdBatchIds).toHaveLength(1);
      // Not indexed yet: the index still says 100, the chain 70. Shipping the 70 left splits nothing.
      const rest = await capture(documentOf(ship(70)), producer.token, `behind-2-${lot}`);
      expect(rest.status, JSON.stringify(rest.body)).toBe(200);
      expect(rest.body.captured[0].createdBatchIds).toEqual([]);
      expect(rest.body.events.map((e: any) => e.name)).toEqual(["BatchShipped"]);
    });

    it("refuses an observation of a batch the same document creates: its id is known only once mined", async () => {
      const lot = `SAME-DOC-${hexlify(randomBytes(3))}`;
      const reading = {
        type: "ObjectEvent", eventTime: "2026-09-03T08:00:00Z", eventTimeZoneOffset: "+00:00", action: "OBSERVE", bizStep: "sensor_reporting",
        quantityList: [{ epcClass: digitalLinkClass(GTIN.demo, lot) }],
      };
      const answer = await capture(documentOf(commissioning(GTIN.demo, lot, 10, "KGM"), reading), producer.token, `same-doc-${lot}`);
      expect(answer.status).toBe(400);
      expect(answer.body.error.details).toEqual([
        { field: "/epcisBody/eventList/1/quantityList/0/epcClass", message: expect.stringContaining("which event /epcisBody/eventList/0 creates in this document") },
      ]);
    });

    it("takes EPCIS documents sent as application/ld+json", async () => {
      const document = documentOf(commissioning(GTIN.demo, `LD-${hexlify(randomBytes(3))}`, 10, "KGM"));
      const answer = await request("/api/v1/epcis/capture", {
        method: "POST",
        headers: { "content-type": "application/ld+json", ...bearer(producer.token), "idempotency-key": `ld-${hexlify(randomBytes(3))}` },
        body: JSON.stringify(document),
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    });

    it("refuses callers it cannot sign for, and requests without an idempotency key", async () => {
      const document = documentOf(commissioning(GTIN.demo, "AUTH", 10, "KGM"));
      expect((await capture(document, undefined, "anon")).status).toBe(401);
      const missing = await capture(document, producer.token);
      expect(missing.status).toBe(400);
      expect(missing.body.error.details).toEqual([expect.objectContaining({ field: "header.idempotency-key" })]);
      const notManaged = await capture(document, await tokenOf(demoWallet("orchard")), "orchard-capture");
      expect(notManaged.status).toBe(403);
      expect(notManaged.body.error.details.reason).toBe("NOT_MANAGED");
      const readKey = await apiKeyOf(target(), producer.token, producer.address, "read");
      const readOnly = await post("/api/v1/epcis/capture", document, { "x-api-key": readKey, "idempotency-key": "read-only" });
      expect(readOnly.status).toBe(403);
    });
  });
});
