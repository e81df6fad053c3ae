import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZeroAddress, type ContractTransactionResponse } from "ethers";
import { connectContracts, type LedgerContracts } from "../../shared/chain/contracts";
import { sha256Hex } from "../../shared/hashing";
import { encodeUnit, gtinCheckDigit } from "../../shared/trade-codes";
import { DEMO_MEMBERS, type DemoMemberKey } from "../../scripts/demo/scenario";
import { startTestSystem, type TestSystem } from "../support/system";
import { databaseKind } from "../support/database";

type Response = Awaited<ReturnType<TestSystem["get"]>>;

function expectError(res: Response, status: number, code: string, field?: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Object.keys(res.body)).toEqual(["error"]);
  expect(Object.keys(res.body.error).sort()).toEqual(["code", "details", "message"]);
  expect(res.body.error.code).toBe(code);
  if (field !== undefined) {
    expect(res.body.error.message).toContain(field);
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  }
}

const signerIndexOf = (key: DemoMemberKey) => DEMO_MEMBERS.findIndex((member) => member.key === key) + 1;
const gtinFrom = (body: string) => BigInt(body + gtinCheckDigit(body));
const QIXIA = 370686;
const ZHIFU = 370602;

/** Nodes as [id, relation, distance], in the order the API returns them. */
const shape = (graph: any) => graph.nodes.map((n: any) => [n.batch.id, n.relation, n.distance]);
/** Edges as [from, to, kind, quantity], sorted, for set comparison. */
const edgeSet = (graph: any) =>
  graph.edges.map((e: any) => [e.from, e.to, e.kind, e.quantity]).sort((a: any[], b: any[]) => a[0] - b[0] || a[1] - b[1]);
const sortEdges = (edges: (string | number)[][]) =>
  [...edges].sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));

describe(`lineage trace over a deep transformation graph (${databaseKind})`, () => {
  let system: TestSystem;
  let plant: LedgerContracts;
  let juicePlant: string;
  let exporter: string;
  /** The graph built below, by role. */
  const g = {} as Record<"o1" | "o2" | "l1" | "l2" | "l3a" | "l3b" | "l4" | "l5" | "l6" | "s", number>;
  const transformationOf = {} as Record<string, number>;

  const wait = async (tx: Promise<ContractTransactionResponse>) => (await (await tx).wait())!;

  async function transform(inputs: [number, number][], outputs: { gtin: bigint; quantity: number; lot: string }[]) {
    const receipt = await wait(
      plant.ledger.transform(
        inputs.map(([batchId, quantity]) => ({ batchId, quantity })),
        outputs.map((o) => ({ gtin: o.gtin, quantity: o.quantity, unit: encodeUnit("LTR"), originRegion: ZHIFU, lot: o.lot })),
        sha256Hex(`process record ${outputs.map((o) => o.lot).join("+")}`),
      ),
    );
    const event = receipt.logs.map((log) => plant.ledger.interface.parseLog(log)).find((e) => e?.name === "BatchesTransformed")!;
    return { transformationId: Number(event.args.transformationId), outputIds: (event.args.outputIds as bigint[]).map(Number) };
  }

  async function ship(batchId: number, to: string, quantity: number): Promise<number> {
    const receipt = await wait(plant.ledger.ship(batchId, to, quantity, ZeroAddress, sha256Hex(`waybill ${batchId}`)));
    const event = receipt.logs.map((log) => plant.ledger.interface.parseLog(log)).find((e) => e?.name === "BatchShipped")!;
    return Number(event.args.batchId);
  }

  const trace = (id: number, query = "") => system.get(`/api/v1/batches/${id}/trace${query ? `?${query}` : ""}`);

  beforeAll(async () => {
    system = await startTestSystem();
    juicePlant = system.demo.members.juicePlant.toLowerCase();
    exporter = system.demo.members.exporter.toLowerCase();
    plant = connectContracts(system.chain.deployment, await system.chain.signer(signerIndexOf("juicePlant")));
    const asExporter = connectContracts(system.chain.deployment, await system.chain.signer(signerIndexOf("exporter")));

    const pears = gtinFrom("697000000101");
    const sugar = gtinFrom("697000000102");
    const blend = gtinFrom("697000000103");
    await wait(plant.ledger.registerProduct(pears, "080830", "Laiyang pears, fresh", ""));
    await wait(plant.ledger.registerProduct(sugar, "170199", "Cane sugar", ""));
    await wait(plant.ledger.registerProduct(blend, "200989", "Pear juice blend", ""));

    const producedAt = Math.floor(Date.now() / 1000) - 86_400;
    const commission = async (gtin: bigint, lot: string, quantity: number, region: number) => {
      await wait(plant.ledger.commission(gtin, lot, quantity, encodeUnit("KGM"), region, producedAt, sha256Hex(`batch record ${lot}`)));
      return Number(await plant.ledger.batchCount());
    };
    g.o1 = await commission(pears, "PEAR-2026-01", 1_000, QIXIA);
    g.o2 = await commission(sugar, "SUGAR-2026-01", 500, ZHIFU);

    // Six levels of transformation: a fan-in at the first, a fan-out at the third.
    let step = await transform([[g.o1, 600], [g.o2, 200]], [{ gtin: blend, quantity: 400, lot: "MASH-1" }]);
    [g.l1] = step.outputIds;
    transformationOf.l1 = step.transformationId;
    step = await transform([[g.l1, 400]], [{ gtin: blend, quantity: 300, lot: "JUICE-2" }]);
    [g.l2] = step.outputIds;
    transformationOf.l2 = step.transformationId;
    step = await transform([[g.l2, 300]], [
      { gtin: blend, quantity: 100, lot: "CONC-3A" },
      { gtin: blend, quantity: 150, lot: "SYRUP-3B" },
    ]);
    [g.l3a, g.l3b] = step.outputIds;
    transformationOf.l3 = step.transformationId;
    step = await transform([[g.l3a, 100]], [{ gtin: blend, quantity: 80, lot: "BLEND-4" }]);
    [g.l4] = step.outputIds;
    step = await transform([[g.l4, 80]], [{ gtin: blend, quantity: 60, lot: "BOTTLED-5" }]);
    [g.l5] = step.outputIds;
    step = await transform([[g.l5, 60]], [{ gtin: blend, quantity: 50, lot: "CASED-6" }]);
    [g.l6] = step.outputIds;

    // A partial shipment splits the last output; the exporter takes it. The syrup goes whole and is still on its way.
    g.s = await ship(g.l6, exporter, 20);
    await wait(asExporter.ledger.receiveShipment(g.s));
    expect(await ship(g.l3b, exporter, 150)).toBe(g.l3b);

    await system.sync();
  });
  afterAll(async () => {
    await system?.stop();
  });

  /** Every lineage edge of the graph, [from, to, kind, quantity]. */
  const allEdges = () => [
    [g.o1, g.l1, "transformation", "600"],
    [g.o2, g.l1, "transformation", "200"],
    [g.l1, g.l2, "transformation", "400"],
    [g.l2, g.l3a, "transformation", "300"],
    [g.l2, g.l3b, "transformation", "300"],
    [g.l3a, g.l4, "transformation", "100"],
    [g.l4, g.l5, "transformation", "80"],
    [g.l5, g.l6, "transformation", "60"],
    [g.l6, g.s, "split", "20"],
  ];
  const edgesWithin = (ids: number[]) => sortEdges(allEdges().filter(([from, to]) => ids.includes(from as number) && ids.includes(to as number)));

  it("built the graph it means to test", async () => {
    expect(new Set(Object.values(g)).size).toBe(10);
    const split = await system.get(`/api/v1/batches/${g.s}`);
    expect(split.body).toMatchObject({ parentId: g.l6, quantity: "20", custodian: { address: exporter }, status: "active" });
    const syrup = await system.get(`/api/v1/batches/${g.l3b}`);
    expect(syrup.body).toMatchObject({ status: "in_transit", custodian: { address: juicePlant }, pendingRecipient: { address: exporter } });
  });

  it("traces the shipped end product back through every transformation to both commissioned origins", async () => {
    const res = await trace(g.s, "direction=backward");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ root: g.s, direction: "backward", depth: 10, truncated: false });
    const expected = [
      [g.s, "root", 0],
      [g.l6, "upstream", 1],
      [g.l5, "upstream", 2],
      [g.l4, "upstream", 3],
      [g.l3a, "upstream", 4],
      [g.l2, "upstream", 5],
      [g.l1, "upstream", 6],
      [g.o1, "upstream", 7],
      [g.o2, "upstream", 7],
    ];
    expect(shape(res.body)).toEqual(expected.sort((a, b) => (a[2] as number) - (b[2] as number) || (a[0] as number) - (b[0] as number)));
    expect(edgeSet(res.body)).toEqual(edgesWithin(expected.map(([id]) => id as number)));
    expect(res.body.edges).toHaveLength(8);

    // Each transformation edge names its transformation and transaction; the split edge names none.
    const byTarget = new Map(res.body.edges.map((e: any) => [`${e.from}>${e.to}`, e]));
    expect(byTarget.get(`${g.o1}>${g.l1}`)).toMatchObject({ transformationId: transformationOf.l1 });
    expect(byTarget.get(`${g.o2}>${g.l1}`)).toMatchObject({ transformationId: transformationOf.l1 });
    expect((byTarget.get(`${g.o1}>${g.l1}`) as any).txHash).toBe((byTarget.get(`${g.o2}>${g.l1}`) as any).txHash);
    expect(byTarget.get(`${g.l1}>${g.l2}`)).toMatchObject({ transformationId: transformationOf.l2 });
    expect(byTarget.get(`${g.l6}>${g.s}`)).toMatchObject({ kind: "split", transformationId: null });
    for (const edge of res.body.edges) expect(edge.txHash).toMatch(/^0x[0-9a-f]{64}$/);

    // The origins are the commissioned batches, nothing upstream of them.
    const origins = res.body.nodes.filter((n: any) => !res.body.edges.some((e: any) => e.to === n.batch.id));
    expect(origins.map((n: any) => n.batch.id).sort()).toEqual([g.o1, g.o2].sort());
    for (const { batch } of origins) expect(batch).toMatchObject({ transformationId: null, parentId: null, producer: { address: juicePlant } });
    const pears = origins.find((n: any) => n.batch.id === g.o1).batch;
    expect(pears).toMatchObject({ lot: "PEAR-2026-01", originRegion: QIXIA, quantity: "400", initialQuantity: "1000", status: "active" });
    const sugar = origins.find((n: any) => n.batch.id === g.o2).batch;
    expect(sugar).toMatchObject({ lot: "SUGAR-2026-01", originRegion: ZHIFU, quantity: "300" });
  });

  it("traces an origin forward to every derived batch with its current custodian (recall scope)", async () => {
    const res = await trace(g.o1, "direction=forward");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ root: g.o1, direction: "forward", truncated: false });
    const expected = [
      [g.o1, "root", 0],
      [g.l1, "downstream", 1],
      [g.l2, "downstream", 2],
      [g.l3a, "downstream", 3],
      [g.l3b, "downstream", 3],
      [g.l4, "downstream", 4],
      [g.l5, "downstream", 5],
      [g.l6, "downstream", 6],
      [g.s, "downstream", 7],
    ];
    expect(shape(res.body)).toEqual(expected);
    expect(edgeSet(res.body)).toEqual(edgesWithin(expected.map(([id]) => id as number)));

    const custody = Object.fromEntries(
      res.body.nodes.map((n: any) => [n.batch.id, [n.batch.custodian.address, n.batch.status, n.batch.pendingRecipient?.address ?? null]]),
    );
    expect(custody[g.s]).toEqual([exporter, "active", null]);
    expect(custody[g.l3b]).toEqual([juicePlant, "in_transit", exporter]);
    expect(custody[g.l6]).toEqual([juicePlant, "active", null]);
    for (const id of [g.l1, g.l2, g.l3a, g.l4, g.l5]) expect(custody[id]).toEqual([juicePlant, "consumed", null]);
    expect(res.body.nodes.find((n: any) => n.batch.id === g.s).batch.custodian.name).toBe("Yantai Port International Trading Co.");
    // The nodes are the same batches the batch resource shows.
    for (const node of res.body.nodes) expect((await system.get(`/api/v1/batches/${node.batch.id}`)).body).toEqual(node.batch);

    const fromSugar = await trace(g.o2, "direction=forward");
    expect(shape(fromSugar.body).map((n: any[]) => n[0])).toEqual([g.o2, ...expected.slice(1).map(([id]) => id)]);
    expect(edgeSet(fromSugar.body)).toContainEqual([g.o2, g.l1, "transformation", "200"]);
    expect(edgeSet(fromSugar.body)).not.toContainEqual([g.o1, g.l1, "transformation", "600"]);
  });

  it("bounds the walk by depth and reports truncation exactly when the lineage continues", async () => {
    const backward = [g.l6, g.l5, g.l4, g.l3a, g.l2, g.l1];
    for (let depth = 1; depth <= 9; depth++) {
      const res = await trace(g.s, `direction=backward&depth=${depth}`);
      expect(res.status).toBe(200);
      expect(res.body.depth).toBe(depth);
      const ids = [g.s, ...backward.slice(0, depth), ...(depth >= 7 ? [g.o1, g.o2] : [])];
      expect(res.body.nodes.map((n: any) => n.batch.id).sort((a: number, b: number) => a - b)).toEqual(ids.sort((a, b) => a - b));
      expect(Math.max(...res.body.nodes.map((n: any) => n.distance))).toBe(Math.min(depth, 7));
      expect(res.body.truncated, `depth ${depth}`).toBe(depth < 7);
      expect(edgeSet(res.body)).toEqual(edgesWithin(ids));
    }
    for (let depth = 1; depth <= 9; depth++) {
      const res = await trace(g.o1, `direction=forward&depth=${depth}`);
      expect(res.body.truncated, `depth ${depth}`).toBe(depth < 7);
      expect(res.body.nodes.every((n: any) => n.distance <= depth)).toBe(true);
    }
    // At depth 3 the syrup branch has ended but the concentrate branch goes on: still truncated.
    const three = await trace(g.o1, "direction=forward&depth=3");
    expect(shape(three.body).map((n: any[]) => n[0])).toEqual([g.o1, g.l1, g.l2, g.l3a, g.l3b]);
    expect(three.body.truncated).toBe(true);
    // Ends of the lineage are never truncated.
    const syrupForward = await trace(g.l3b, "direction=forward&depth=1");
    expect(syrupForward.body).toMatchObject({ truncated: false, edges: [] });
    expect(shape(syrupForward.body)).toEqual([[g.l3b, "root", 0]]);
    const originBackward = await trace(g.o1, "direction=backward&depth=1");
    expect(originBackward.body).toMatchObject({ truncated: false, edges: [] });
    expect(shape(originBackward.body)).toEqual([[g.o1, "root", 0]]);
    const endForward = await trace(g.s, "direction=forward&depth=1");
    expect(endForward.body.truncated).toBe(false);
  });

  it("walks both ways from the middle of the graph, leaving out siblings", async () => {
    const res = await trace(g.l3a);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ root: g.l3a, direction: "both", depth: 10, truncated: false });
    const nodes = shape(res.body);
    expect(nodes).toEqual(
      [
        [g.l3a, "root", 0],
        [g.l2, "upstream", 1],
        [g.l4, "downstream", 1],
        [g.l1, "upstream", 2],
        [g.l5, "downstream", 2],
        [g.o1, "upstream", 3],
        [g.o2, "upstream", 3],
        [g.l6, "downstream", 3],
        [g.s, "downstream", 4],
      ].sort((a, b) => (a[2] as number) - (b[2] as number) || (a[0] as number) - (b[0] as number)),
    );
    expect(nodes.map((n: any[]) => n[0])).not.toContain(g.l3b);
    expect(edgeSet(res.body)).toEqual(edgesWithin(nodes.map((n: any[]) => n[0])));
    expect(edgeSet(res.body)).toHaveLength(8);

    const bounded = await trace(g.l3a, "direction=both&depth=2");
    expect(shape(bounded.body).map((n: any[]) => n[0]).sort()).toEqual([g.l3a, g.l2, g.l1, g.l4, g.l5].sort());
    expect(bounded.body.truncated).toBe(true);
    const explicit = await trace(g.l3a, "direction=both&depth=10");
    expect(explicit.body).toEqual(res.body);
  });

  it("answers 404 for an unknown batch and 400 for a bad depth, direction or id", async () => {
    const missing = await trace(999_999);
    expectError(missing, 404, "NOT_FOUND");
    expect(missing.body.error.message).toContain("999999");
    for (const depth of ["0", "51", "x", "", "1.5", "-3"]) {
      expectError(await trace(g.s, `depth=${depth}`), 400, "VALIDATION_FAILED", "query.depth");
    }
    for (const direction of ["sideways", "", "BACKWARD", "up"]) {
      expectError(await trace(g.s, `direction=${direction}`), 400, "VALIDATION_FAILED", "query.direction");
    }
    const both = await trace(g.s, "direction=sideways&depth=0");
    expectError(both, 400, "VALIDATION_FAILED", "query.direction");
    expect(both.body.error.message).toContain("query.depth");
    expect((await trace(g.s, "depth=50")).status).toBe(200);
    expectError(await system.get("/api/v1/batches/abc/trace"), 400, "VALIDATION_FAILED", "params.id");
  });

  it("traces the demo's exported juice back to apples from Qixia", async () => {
    const { batches, members } = system.demo;
    const res = await trace(batches.juiceExport, "direction=backward");
    expect(res.status).toBe(200);
    expect(res.body.truncated).toBe(false);
    expect(shape(res.body)).toEqual([
      [batches.juiceExport, "root", 0],
      [batches.juice, "upstream", 1],
      [batches.applesB1, "upstream", 2],
      [batches.applesA1, "upstream", 2],
      [batches.applesA, "upstream", 3],
      [batches.applesB, "upstream", 3],
    ].sort((a, b) => (a[2] as number) - (b[2] as number) || (a[0] as number) - (b[0] as number)));
    expect(edgeSet(res.body)).toEqual(
      sortEdges([
        [batches.applesA, batches.applesA1, "split", "18000"],
        [batches.applesB, batches.applesB1, "split", "10000"],
        [batches.applesA1, batches.juice, "transformation", "18000"],
        [batches.applesB1, batches.juice, "transformation", "10000"],
        [batches.juice, batches.juiceExport, "split", "3000"],
      ]),
    );
    const origins = res.body.nodes.filter((n: any) => !res.body.edges.some((e: any) => e.to === n.batch.id)).map((n: any) => n.batch);
    expect(origins.map((b: any) => b.id).sort()).toEqual([batches.applesA, batches.applesB].sort());
    for (const origin of origins) {
      expect(origin).toMatchObject({
        originRegion: 370686,
        producer: { address: members.orchard.toLowerCase(), name: "Qixia Red Fuji Orchard Cooperative" },
        product: { name: "Qixia Red Fuji apples, fresh" },
      });
    }
    // Forward from the orchard's batch A: the recall scope reaches the exporter's juice.
    const recall = await trace(batches.applesA, "direction=forward");
    expect(recall.body.nodes.map((n: any) => [n.batch.id, n.batch.custodian.address])).toEqual([
      [batches.applesA, members.coldStore.toLowerCase()],
      [batches.applesA1, members.juicePlant.toLowerCase()],
      [batches.juice, members.juicePlant.toLowerCase()],
      [batches.juiceExport, members.exporter.toLowerCase()],
    ]);
  });
});
