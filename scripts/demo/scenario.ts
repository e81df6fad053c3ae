import type { ContractTransactionResponse, Signer } from "ethers";
import type { Deployment } from "../../shared/chain/deployments";
import { connectContracts } from "../../shared/chain/contracts";
import { eventArgs } from "../../shared/chain/events";
import { sha256Hex, ZERO_HASH } from "../../shared/hashing";
import { buildMerkleTree, canonicalJson, leafOf } from "../../shared/merkle";
import { roleBits, type RoleName } from "../../shared/roles";
import { encodeUnit } from "../../shared/trade-codes";
import { loadFinanceDemo, type FinanceDemoResult } from "./finance";
import { loadReceivablesDemo, type ReceivablesDemoResult } from "./receivables";

/** The Yantai story's cast: one signer per member organization, admin first. */
export const DEMO_MEMBERS = [
  { key: "orchard", name: "Qixia Red Fuji Orchard Cooperative", roles: ["ENTERPRISE"] },
  { key: "inspector", name: "Yantai Customs Inspection & Quarantine Lab", roles: ["INSPECTOR"] },
  { key: "coldStore", name: "Yantai Bohai Cold-Chain Warehouse", roles: ["WAREHOUSE"] },
  { key: "juicePlant", name: "Yantai Golden Apple Juice Co.", roles: ["ENTERPRISE"] },
  { key: "carrier", name: "Jiaodong Cold-Chain Logistics", roles: ["LOGISTICS"] },
  { key: "exporter", name: "Yantai Port International Trading Co.", roles: ["ENTERPRISE"] },
  { key: "steelMill", name: "Shandong Yantai Special Steel Co.", roles: ["ENTERPRISE"] },
  { key: "partsMaker", name: "Fushan Brake Systems Co.", roles: ["ENTERPRISE"] },
  { key: "autoMaker", name: "Yantai Auto Works", roles: ["ENTERPRISE"] },
  { key: "regulator", name: "Yantai Market Supervision Administration", roles: ["REGULATOR", "AUDITOR"] },
  { key: "bank", name: "Yantai Commercial Bank Supply-Chain Finance", roles: ["FINANCIER"] },
  { key: "bondedWarehouse", name: "Yantai Port Bonded Logistics Warehouse", roles: ["WAREHOUSE"] },
  { key: "foundry", name: "Laishan Hongda Precision Casting Workshop", roles: ["ENTERPRISE"] },
  { key: "refractory", name: "Longkou Refractory Materials Co.", roles: ["ENTERPRISE"] },
] as const satisfies readonly { key: string; name: string; roles: RoleName[] }[];

export type DemoMemberKey = (typeof DEMO_MEMBERS)[number]["key"];

/** GB/T 2260 region codes used by the story. */
const QIXIA = 370686;
const FUSHAN = 370611;
const ZHIFU = 370602;
const LAISHAN = 370613;

export const DEMO_PRODUCTS = {
  apples: { gtin: 6_970_000_000_017n, hsCode: "080810", name: "Qixia Red Fuji apples, fresh" },
  juice: { gtin: 6_970_000_000_024n, hsCode: "200979", name: "Apple juice concentrate, 70 Brix" },
  steel: { gtin: 6_970_000_000_031n, hsCode: "720839", name: "Hot-rolled steel coil" },
  discs: { gtin: 6_970_000_000_048n, hsCode: "870830", name: "Ventilated brake disc" },
  brakes: { gtin: 6_970_000_000_055n, hsCode: "870830", name: "Front brake assembly" },
} as const;

export interface DemoResult {
  members: Record<DemoMemberKey, string>;
  batches: Record<string, number>;
  anchor: { root: string; uri: string; leaves: string[]; readings: string[] };
  finance: FinanceDemoResult;
  receivables: ReceivablesDemoResult;
}

const wait = async (tx: Promise<ContractTransactionResponse>) => (await tx).wait();
const doc = (text: string) => sha256Hex(text);

/**
 * Loads the demo story: an orchard's apples certified, stored cold, pressed into juice concentrate and
 * shipped to Yantai port for export; steel turned into brake discs and brake assemblies; an apple
 * batch that fails inspection and is recalled; a day of cold-store temperature readings anchored;
 * then warehouse receipts and pledge loans on stored goods (see ./finance.ts), and confirmed
 * receivables passed down the auto supply chain, discounted, pledged, settled or overdue (see
 * ./receivables.ts; it moves the chain's clock 4 days ahead).
 * `signers[0]` must be the consortium admin; the next ones play the members above (the node's 20
 * development accounts leave room for 5 more).
 */
export async function loadDemoScenario(deployment: Deployment, signers: Signer[]): Promise<DemoResult> {
  if (signers.length < DEMO_MEMBERS.length + 1) throw new Error(`The demo needs ${DEMO_MEMBERS.length + 1} signers`);
  const admin = connectContracts(deployment, signers[0]);
  const as = {} as Record<DemoMemberKey, ReturnType<typeof connectContracts>>;
  const members = {} as Record<DemoMemberKey, string>;
  for (const [i, member] of DEMO_MEMBERS.entries()) {
    const signer = signers[i + 1];
    const address = await signer.getAddress();
    members[member.key] = address;
    as[member.key] = connectContracts(deployment, signer);
    await wait(
      admin.registry.admit(address, roleBits([...member.roles]), doc(`USCC ${member.name}`), member.name,
        `https://tracefin.example/members/${member.key}`, doc(`profile ${member.name}`)),
    );
  }

  const { apples, juice, steel, discs, brakes } = DEMO_PRODUCTS;
  await wait(as.orchard.ledger.registerProduct(apples.gtin, apples.hsCode, apples.name, "https://tracefin.example/p/apples"));
  await wait(as.juicePlant.ledger.registerProduct(juice.gtin, juice.hsCode, juice.name, "https://tracefin.example/p/juice"));
  await wait(as.steelMill.ledger.registerProduct(steel.gtin, steel.hsCode, steel.name, ""));
  await wait(as.partsMaker.ledger.registerProduct(discs.gtin, discs.hsCode, discs.name, ""));
  await wait(as.autoMaker.ledger.registerProduct(brakes.gtin, brakes.hsCode, brakes.name, ""));

  const batchIdOf = async () => Number(await admin.ledger.batchCount());
  const commission = async (who: DemoMemberKey, gtin: bigint, lot: string, quantity: number, unit: string, region: number) => {
    const harvested = Math.floor(Date.now() / 1000) - 86_400 * 3;
    await wait(as[who].ledger.commission(gtin, lot, quantity, encodeUnit(unit), region, harvested, doc(`batch record ${lot}`)));
    return batchIdOf();
  };
  const shipAndReceive = async (from: DemoMemberKey, to: DemoMemberKey, batchId: number, quantity: number, note: string) => {
    const receipt = await wait(as[from].ledger.ship(batchId, members[to], quantity, members.carrier, doc(`waybill ${note}`)));
    const shippedId = Number(eventArgs(receipt!, admin.ledger, "BatchShipped").batchId);
    await wait(as[to].ledger.receiveShipment(shippedId));
    return shippedId;
  };

  const batches: Record<string, number> = {};
  batches.applesA = await commission("orchard", apples.gtin, "QX-2026-FUJI-A", 20_000, "KGM", QIXIA);
  batches.applesB = await commission("orchard", apples.gtin, "QX-2026-FUJI-B", 15_000, "KGM", QIXIA);
  batches.applesC = await commission("orchard", apples.gtin, "QX-2026-FUJI-C", 8_000, "KGM", QIXIA);
  for (const key of ["applesA", "applesB"]) {
    await wait(as.inspector.ledger.recordInspection(batches[key], true, doc(`phytosanitary certificate ${key}`)));
  }
  await wait(as.inspector.ledger.recordInspection(batches.applesC, false, doc("pesticide residue report applesC")));

  // Whole batch A and 10 t of batch B go into cold storage.
  await shipAndReceive("orchard", "coldStore", batches.applesA, 20_000, "orchard->cold store A");
  batches.applesB1 = await shipAndReceive("orchard", "coldStore", batches.applesB, 10_000, "orchard->cold store B1");

  const readings = Array.from({ length: 24 }, (_, hour) =>
    canonicalJson({ batchId: batches.applesA, sensor: "coldroom-3", hour, celsius: 1.5 + (hour % 4) * 0.25 }),
  );
  const tree = buildMerkleTree(readings.map((reading) => leafOf(reading)));
  const anchorUri = "https://tracefin.example/anchors/coldroom-3/day-1.json";
  await wait(as.coldStore.ledger.anchor(tree.root, readings.length, anchorUri));
  await wait(as.coldStore.ledger.recordReading(batches.applesA, doc(readings.join("\n"))));

  // The juice plant takes 18 t of A and all of B1 and presses them into concentrate.
  batches.applesA1 = await shipAndReceive("coldStore", "juicePlant", batches.applesA, 18_000, "cold store->juice A1");
  await shipAndReceive("coldStore", "juicePlant", batches.applesB1, 10_000, "cold store->juice B1");
  await wait(
    as.juicePlant.ledger.transform(
      [
        { batchId: batches.applesA1, quantity: 18_000 },
        { batchId: batches.applesB1, quantity: 10_000 },
      ],
      [{ gtin: juice.gtin, quantity: 4_000, unit: encodeUnit("LTR"), originRegion: ZHIFU, lot: "GAJ-2026-0917" }],
      doc("pressing record GAJ-2026-0917"),
    ),
  );
  batches.juice = await batchIdOf();
  await wait(as.inspector.ledger.recordInspection(batches.juice, true, doc("Brix and patulin test GAJ-2026-0917")));
  batches.juiceExport = await shipAndReceive("juicePlant", "exporter", batches.juice, 3_000, "juice->Yantai port");

  // Batch C failed its inspection: held by the orchard, then recalled by the regulator.
  await wait(as.orchard.ledger.hold(batches.applesC, doc("failed pesticide residue test")));
  await wait(as.regulator.ledger.recall(batches.applesC, doc("recall order YT-MSA-2026-031")));

  // Auto parts: steel coil -> brake discs -> brake assemblies.
  batches.steel = await commission("steelMill", steel.gtin, "YTS-HR-88120", 50_000, "KGM", LAISHAN);
  batches.steelToParts = await shipAndReceive("steelMill", "partsMaker", batches.steel, 30_000, "steel->brakes");
  await wait(
    as.partsMaker.ledger.transform(
      [{ batchId: batches.steelToParts, quantity: 30_000 }],
      [{ gtin: discs.gtin, quantity: 2_400, unit: encodeUnit("H87"), originRegion: FUSHAN, lot: "FBS-D-2026-41" }],
      doc("casting record FBS-D-2026-41"),
    ),
  );
  batches.discs = await batchIdOf();
  await shipAndReceive("partsMaker", "autoMaker", batches.discs, 2_400, "discs->auto maker");
  await wait(
    as.autoMaker.ledger.transform(
      [{ batchId: batches.discs, quantity: 2_000 }],
      [{ gtin: brakes.gtin, quantity: 1_000, unit: encodeUnit("H87"), originRegion: FUSHAN, lot: "YAW-BA-2026-11" }],
      doc("assembly record YAW-BA-2026-11"),
    ),
  );
  batches.brakes = await batchIdOf();

  // Goods for the finance story: more apples stored cold, and a second lot of discs in the bonded zone.
  batches.applesD = await commission("orchard", apples.gtin, "QX-2026-FUJI-D", 12_000, "KGM", QIXIA);
  await wait(as.inspector.ledger.recordInspection(batches.applesD, true, doc("phytosanitary certificate applesD")));
  await shipAndReceive("orchard", "coldStore", batches.applesD, 12_000, "orchard->cold store D");
  batches.applesE = await commission("orchard", apples.gtin, "QX-2026-FUJI-E", 5_000, "KGM", QIXIA);
  await shipAndReceive("orchard", "coldStore", batches.applesE, 5_000, "orchard->cold store E");
  batches.steelToParts2 = await shipAndReceive("steelMill", "partsMaker", batches.steel, 20_000, "steel->brakes 2");
  await wait(
    as.partsMaker.ledger.transform(
      [{ batchId: batches.steelToParts2, quantity: 20_000 }],
      [{ gtin: discs.gtin, quantity: 1_600, unit: encodeUnit("H87"), originRegion: FUSHAN, lot: "FBS-D-2026-42" }],
      doc("casting record FBS-D-2026-42"),
    ),
  );
  batches.discs2 = await batchIdOf();
  await shipAndReceive("partsMaker", "bondedWarehouse", batches.discs2, 1_600, "discs->bonded warehouse");

  const finance = await loadFinanceDemo({
    coldStore: as.coldStore,
    bondedWarehouse: as.bondedWarehouse,
    orchard: as.orchard,
    partsMaker: as.partsMaker,
    bank: as.bank,
    regulator: as.regulator,
    inspector: as.inspector,
    addresses: { orchard: members.orchard, partsMaker: members.partsMaker, bank: members.bank, autoMaker: members.autoMaker },
    batches: { applesInColdStore: batches.applesD, discsInBondedWarehouse: batches.discs2, applesToRecall: batches.applesE },
  });

  const receivables = await loadReceivablesDemo({
    autoMaker: as.autoMaker,
    partsMaker: as.partsMaker,
    steelMill: as.steelMill,
    foundry: as.foundry,
    orchard: as.orchard,
    juicePlant: as.juicePlant,
    exporter: as.exporter,
    bank: as.bank,
    addresses: {
      autoMaker: members.autoMaker,
      partsMaker: members.partsMaker,
      steelMill: members.steelMill,
      foundry: members.foundry,
      refractory: members.refractory,
      orchard: members.orchard,
      juicePlant: members.juicePlant,
      exporter: members.exporter,
      bank: members.bank,
    },
  });

  return { members, batches, anchor: { root: tree.root, uri: anchorUri, leaves: tree.leaves, readings }, finance, receivables };
}

export { ZERO_HASH };
