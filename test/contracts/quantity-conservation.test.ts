/// <reference types="mocha" />
import { expect } from "chai";
import type { ProvenanceLedger } from "../../typechain-types";
import {
  appleBatchFixture,
  BatchStatus,
  GTIN,
  input,
  KGM,
  loadFixture,
  LTR,
  output,
  shipAndReceive,
  ZERO_ADDRESS,
  ZERO_HASH,
} from "./fixtures";

type Totals = Record<string, bigint>;
const key = (gtin: bigint, unitCode: string) => `${gtin}/${unitCode}`;

/** Sum of the quantities of every batch on the ledger, per product and unit. */
async function totals(ledger: ProvenanceLedger): Promise<Totals> {
  const sums: Totals = {};
  const count = await ledger.batchCount();
  for (let id = 1n; id <= count; id++) {
    const batch = await ledger.batchOf(id);
    const k = key(batch.gtin, batch.unit);
    sums[k] = (sums[k] ?? 0n) + batch.quantity;
  }
  return sums;
}

/** Quantity of `rootId` plus that of every batch split off it, recursively. */
async function familyQuantity(ledger: ProvenanceLedger, rootId: bigint): Promise<bigint> {
  const count = await ledger.batchCount();
  let sum = (await ledger.batchOf(rootId)).quantity;
  for (let id = rootId + 1n; id <= count; id++) {
    if ((await ledger.batchOf(id)).parentId === rootId) sum += await familyQuantity(ledger, id);
  }
  return sum;
}

describe("ProvenanceLedger: quantity conservation", function () {
  it("ships and partial ships conserve quantity; transforms remove exactly the consumed quantities", async function () {
    const { ledger, orchard, juicePlant, warehouse, appleBatch } = await loadFixture(appleBatchFixture);
    const APPLES = key(GTIN.APPLES, KGM);
    const JUICE = key(GTIN.JUICE, LTR);
    const POMACE = key(GTIN.POMACE, KGM);
    const expected: Totals = { [APPLES]: 1000n };
    expect(await totals(ledger)).to.deep.equal(expected);

    // orchard -> warehouse: 300 of 1000 (child 2)
    const toWarehouse = await shipAndReceive(ledger, appleBatch, orchard, warehouse, 300n);
    expect(toWarehouse).to.equal(2n);
    expect((await ledger.batchOf(appleBatch)).quantity).to.equal(700n);
    expect(await totals(ledger)).to.deep.equal(expected);

    // warehouse -> juice plant: 100 of 300 (grandchild 3)
    const toPlantViaWarehouse = await shipAndReceive(ledger, toWarehouse, warehouse, juicePlant, 100n);
    expect(toPlantViaWarehouse).to.equal(3n);
    expect(await totals(ledger)).to.deep.equal(expected);

    // orchard -> juice plant: the whole remaining 700 (no split)
    expect(await shipAndReceive(ledger, appleBatch, orchard, juicePlant, 700n)).to.equal(appleBatch);
    expect(await ledger.batchCount()).to.equal(3n);
    expect(await totals(ledger)).to.deep.equal(expected);

    // parent + children (+ grandchildren) = original
    expect(await familyQuantity(ledger, appleBatch)).to.equal(1000n);
    expect(await familyQuantity(ledger, toWarehouse)).to.equal(300n);

    // press 650 of batch 1 and all 100 of batch 3 into 500 L of juice and 180 kg of pomace (ids 4, 5)
    await ledger
      .connect(juicePlant)
      .transform(
        [input(appleBatch, 650n), input(toPlantViaWarehouse, 100n)],
        [output(GTIN.JUICE, 500n, LTR), output(GTIN.POMACE, 180n, KGM)],
        ZERO_HASH,
      );
    expected[APPLES] -= 750n;
    expected[JUICE] = 500n;
    expected[POMACE] = 180n;
    expect(await totals(ledger)).to.deep.equal(expected);
    expect((await ledger.batchOf(appleBatch)).quantity).to.equal(50n);
    expect((await ledger.batchOf(toPlantViaWarehouse)).status).to.equal(BatchStatus.Consumed);

    // ship 200 L of the juice on (split, child 6), then blend the last 50 kg of apples with 100 L of juice
    const juiceBatch = 4n;
    await ledger.connect(juicePlant).ship(juiceBatch, warehouse.address, 200n, ZERO_ADDRESS, ZERO_HASH);
    expect(await totals(ledger)).to.deep.equal(expected);
    await ledger
      .connect(juicePlant)
      .transform([input(appleBatch, 50n), input(juiceBatch, 100n)], [output(GTIN.JUICE, 130n, LTR)], ZERO_HASH);
    expected[APPLES] -= 50n;
    expected[JUICE] += 130n - 100n;
    expect(await totals(ledger)).to.deep.equal(expected);

    expect((await ledger.batchOf(appleBatch)).status).to.equal(BatchStatus.Consumed);
    expect((await ledger.batchOf(juiceBatch)).quantity).to.equal(500n - 200n - 100n);
    expect(await familyQuantity(ledger, juiceBatch)).to.equal(400n); // 200 left + 200 in transit
  });

  it("retiring whole and part of batches conserves quantity: a retired batch keeps what it took out", async function () {
    const { ledger, orchard, juicePlant, warehouse, appleBatch } = await loadFixture(appleBatchFixture);
    const APPLES = key(GTIN.APPLES, KGM);
    const expected: Totals = { [APPLES]: 1000n };

    // orchard retires 40 of 1000 (child 2), ships 300 to the warehouse (child 3), which retires 100 of them (grandchild 4)
    await ledger.connect(orchard).retire(appleBatch, 40n, ZERO_HASH);
    expect(await totals(ledger)).to.deep.equal(expected);
    const toWarehouse = await shipAndReceive(ledger, appleBatch, orchard, warehouse, 300n);
    await ledger.connect(warehouse).retire(toWarehouse, 100n, ZERO_HASH);
    expect(await totals(ledger)).to.deep.equal(expected);
    // the juice plant gets the rest of the warehouse's 200 and retires it whole (no split)
    const toPlant = await shipAndReceive(ledger, toWarehouse, warehouse, juicePlant, 200n);
    expect(toPlant).to.equal(toWarehouse);
    await ledger.connect(juicePlant).retire(toPlant, 200n, ZERO_HASH);
    expect(await ledger.batchCount()).to.equal(4n);
    expect(await totals(ledger)).to.deep.equal(expected);

    const retired = { [2n.toString()]: 40n, [4n.toString()]: 100n, [toPlant.toString()]: 200n };
    for (const [id, quantity] of Object.entries(retired)) {
      const batch = await ledger.batchOf(BigInt(id));
      expect(batch.status).to.equal(BatchStatus.Retired);
      expect(batch.quantity).to.equal(quantity);
    }
    expect((await ledger.batchOf(appleBatch)).quantity).to.equal(660n);
    expect(await familyQuantity(ledger, appleBatch)).to.equal(1000n);
  });

  it("a long run of random partial shipments never creates or destroys quantity", async function () {
    const f = await loadFixture(appleBatchFixture);
    const holders = [f.orchard, f.warehouse, f.juicePlant, f.bank];
    let seed = 20241001;
    const random = (n: number) => {
      seed = (seed * 48271) % 2147483647; // MINSTD: deterministic, exact in doubles
      return seed % n;
    };

    for (let step = 0; step < 25; step++) {
      // pick an active batch with quantity, held by one of the holders
      const count = await f.ledger.batchCount();
      const candidates: { id: bigint; quantity: bigint; custodian: string }[] = [];
      for (let id = 1n; id <= count; id++) {
        const b = await f.ledger.batchOf(id);
        if (b.status === BatchStatus.Active) candidates.push({ id, quantity: b.quantity, custodian: b.custodian });
      }
      const pick = candidates[random(candidates.length)];
      const from = holders.find((h) => h.address === pick.custodian)!;
      const others = holders.filter((h) => h !== from);
      const to = others[random(others.length)];
      const quantity = BigInt(1 + random(Number(pick.quantity)));
      await shipAndReceive(f.ledger, pick.id, from, to, quantity);

      expect(await totals(f.ledger)).to.deep.equal({ [key(GTIN.APPLES, KGM)]: 1000n });
    }
    expect(await familyQuantity(f.ledger, f.appleBatch)).to.equal(1000n);
    expect(await f.ledger.batchCount()).to.be.greaterThan(10n); // most shipments were partial
  });
});
