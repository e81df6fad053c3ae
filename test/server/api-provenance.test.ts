import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSystem, type TestSystem } from "../support/system";
import { databaseKind } from "../support/database";

const QIXIA = 370686;
const LAISHAN = 370613;
const ORCHARD = "Qixia Red Fuji Orchard Cooperative";
const LAB = "Yantai Customs Inspection & Quarantine Lab";

describe(`public provenance summary (${databaseKind})`, () => {
  let system: TestSystem;
  let batches: TestSystem["demo"]["batches"];

  beforeAll(async () => {
    system = await startTestSystem();
    batches = system.demo.batches;
  });
  afterAll(async () => {
    await system?.stop();
  });

  it("traces juice for export back to the orchard's apples: origins, certificates, custody by member name", async () => {
    const res = await system.get(`/api/v1/public/batches/${batches.juiceExport}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      batchId: batches.juiceExport,
      product: { name: "Apple juice concentrate, 70 Brix", hsCode: "200979" },
      unit: "LTR",
      producer: "Yantai Golden Apple Juice Co.",
      status: "active",
      recall: { recalled: false, batches: [] },
      truncated: false,
    });
    expect(res.body.origins).toEqual([
      expect.objectContaining({ batchId: batches.applesA, originRegion: QIXIA, producer: ORCHARD, product: "Qixia Red Fuji apples, fresh" }),
      expect.objectContaining({ batchId: batches.applesB, originRegion: QIXIA, producer: ORCHARD }),
    ]);
    expect(res.body.certificates.map((c: any) => [c.batchId, c.inspector, c.passed, c.documented])).toEqual([
      [batches.applesA, LAB, true, true],
      [batches.applesB, LAB, true, true],
      [batches.juice, LAB, true, true],
    ]);
    expect(res.body.custodyChain.map((c: any) => [c.member, c.event])).toEqual([
      [ORCHARD, "produced"],
      [ORCHARD, "produced"],
      ["Yantai Bohai Cold-Chain Warehouse", "received"],
      ["Yantai Bohai Cold-Chain Warehouse", "received"],
      ["Yantai Golden Apple Juice Co.", "received"],
      ["Yantai Golden Apple Juice Co.", "received"],
      ["Yantai Golden Apple Juice Co.", "processed"],
      ["Yantai Port International Trading Co.", "received"],
    ]);
  });

  it("names members and never shows an address", async () => {
    const res = await system.get(`/api/v1/public/batches/${batches.juiceExport}`);
    expect(JSON.stringify(res.body)).not.toMatch(/0x[0-9a-fA-F]{40}/);
  });

  it("shows a recall, of the batch itself or of an input", async () => {
    const recalled = await system.get(`/api/v1/public/batches/${batches.applesC}`);
    expect(recalled.body).toMatchObject({ status: "recalled", recall: { recalled: true, batches: [{ batchId: batches.applesC }] } });
    expect(recalled.body.recall.batches[0].time).toBeGreaterThan(0);
    expect(recalled.body.certificates).toEqual([expect.objectContaining({ inspector: LAB, passed: false })]);
  });

  it("stops the custody chain when the product was made: later moves of an input are not its history", async () => {
    const res = await system.get(`/api/v1/public/batches/${batches.brakes}`);
    expect(res.body.origins).toEqual([expect.objectContaining({ batchId: batches.steel, originRegion: LAISHAN, producer: "Shandong Yantai Special Steel Co." })]);
    expect(res.body.custodyChain.map((c: any) => [c.batchId, c.member, c.event])).toEqual([
      [batches.steel, "Shandong Yantai Special Steel Co.", "produced"],
      [batches.steelToParts, "Fushan Brake Systems Co.", "received"],
      [batches.discs, "Fushan Brake Systems Co.", "processed"],
      [batches.discs, "Yantai Auto Works", "received"],
      [batches.brakes, "Yantai Auto Works", "processed"],
    ]);
  });

  it("answers 404 for an unknown batch and 400 for a malformed id", async () => {
    expect((await system.get(`/api/v1/public/batches/999999`)).status).toBe(404);
    const bad = await system.get(`/api/v1/public/batches/abc`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ field: "params.id" })]);
  });
});
