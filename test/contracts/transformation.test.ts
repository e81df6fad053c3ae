/// <reference types="mocha" />
import { expect } from "chai";
import {
  APPLE_QUANTITY,
  applesAtJuicePlantFixture,
  BatchStatus,
  commissionBatch,
  GTIN,
  gtin,
  hashOf,
  input,
  KGM,
  loadFixture,
  LTR,
  output,
  REGION,
  Role,
  time,
  unit,
  ZERO_ADDRESS,
  ZERO_HASH,
} from "./fixtures";

const PRESSING = hashOf("pressing record QD-0007");

/** Apples (batch 1, 1000 KGM) received by the juice plant, plus its own 500 KGM of apples (batch 2). */
async function twoAppleBatchesFixture() {
  const f = await loadFixture(applesAtJuicePlantFixture);
  const ownApples = await commissionBatch(f.ledger, f.juicePlant, { quantity: 500n, originRegion: REGION.QINGDAO });
  return { ...f, ownApples };
}

describe("ProvenanceLedger: transformation", function () {
  it("consumes input quantities, creates output batches held by the operator and returns their ids", async function () {
    const { ledger, juicePlant, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
    const inputs = [input(appleBatch, 600n)];
    const outputs = [output(GTIN.JUICE, 400n, LTR, "JU-01"), output(GTIN.POMACE, 150n, KGM, "PO-01")];

    const [transformationId, outputIds] = await ledger
      .connect(juicePlant)
      .transform.staticCall(inputs, outputs, PRESSING);
    expect(transformationId).to.equal(1n);
    expect(outputIds).to.deep.equal([2n, 3n]);

    await ledger.connect(juicePlant).transform(inputs, outputs, PRESSING);

    const apples = await ledger.batchOf(appleBatch);
    expect(apples.quantity).to.equal(APPLE_QUANTITY - 600n);
    expect(apples.status).to.equal(BatchStatus.Active);

    const juice = await ledger.batchOf(2n);
    expect(juice.producer).to.equal(juicePlant.address);
    expect(juice.custodian).to.equal(juicePlant.address);
    expect(juice.gtin).to.equal(GTIN.JUICE);
    expect(juice.quantity).to.equal(400n);
    expect(juice.unit).to.equal(LTR);
    expect(juice.originRegion).to.equal(REGION.QINGDAO);
    expect(juice.status).to.equal(BatchStatus.Active);
    expect(juice.parentId).to.equal(0n); // lineage lives in the BatchesTransformed event, not in parentId

    const pomace = await ledger.batchOf(3n);
    expect(pomace.gtin).to.equal(GTIN.POMACE);
    expect(pomace.quantity).to.equal(150n);
  });

  it("emits BatchCommissioned per output (producedAt = block time, transformationId) and then BatchesTransformed", async function () {
    const { ledger, juicePlant, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
    const at = BigInt(await time.latest()) + 60n;
    await time.setNextBlockTimestamp(at);
    const tx = ledger
      .connect(juicePlant)
      .transform(
        [input(appleBatch, 600n)],
        [output(GTIN.JUICE, 400n, LTR, "JU-01"), output(GTIN.POMACE, 150n, KGM, "PO-01")],
        PRESSING,
      );
    await expect(tx)
      .to.emit(ledger, "BatchCommissioned")
      .withArgs(2n, GTIN.JUICE, juicePlant.address, 400n, LTR, REGION.QINGDAO, at, PRESSING, 1n, "JU-01");
    await expect(tx)
      .to.emit(ledger, "BatchCommissioned")
      .withArgs(3n, GTIN.POMACE, juicePlant.address, 150n, KGM, REGION.QINGDAO, at, PRESSING, 1n, "PO-01");
    await expect(tx)
      .to.emit(ledger, "BatchesTransformed")
      .withArgs(1n, juicePlant.address, [appleBatch], [600n], [2n, 3n], PRESSING);

    // order: outputs first, lineage last
    const receipt = await (await tx).wait();
    const names = receipt!.logs.map((log) => ledger.interface.parseLog(log)?.name);
    expect(names).to.deep.equal(["BatchCommissioned", "BatchCommissioned", "BatchesTransformed"]);
  });

  it("records several inputs in the lineage event in the order given", async function () {
    const { ledger, juicePlant, appleBatch, ownApples } = await loadFixture(twoAppleBatchesFixture);
    await expect(
      ledger
        .connect(juicePlant)
        .transform([input(ownApples, 500n), input(appleBatch, 100n)], [output(GTIN.JUICE, 350n, LTR)], ZERO_HASH),
    )
      .to.emit(ledger, "BatchesTransformed")
      .withArgs(1n, juicePlant.address, [ownApples, appleBatch], [500n, 100n], [ownApples + 1n], ZERO_HASH);
  });

  it("numbers transformations 1, 2, 3, ... independently of batch ids", async function () {
    const { ledger, juicePlant, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
    for (const expected of [1n, 2n, 3n]) {
      const [id] = await ledger
        .connect(juicePlant)
        .transform.staticCall([input(appleBatch, 10n)], [output(GTIN.JUICE, 5n, LTR)], ZERO_HASH);
      expect(id).to.equal(expected);
      await ledger.connect(juicePlant).transform([input(appleBatch, 10n)], [output(GTIN.JUICE, 5n, LTR)], ZERO_HASH);
    }
  });

  it("marks an input used up exactly as Consumed, and a Consumed batch cannot be used again", async function () {
    const { ledger, juicePlant, appleBatch, ownApples } = await loadFixture(twoAppleBatchesFixture);
    await ledger
      .connect(juicePlant)
      .transform([input(appleBatch, APPLE_QUANTITY)], [output(GTIN.JUICE, 650n, LTR)], ZERO_HASH);
    const consumed = await ledger.batchOf(appleBatch);
    expect(consumed.status).to.equal(BatchStatus.Consumed);
    expect(consumed.quantity).to.equal(0n);
    expect(consumed.custodian).to.equal(juicePlant.address);

    await expect(
      ledger
        .connect(juicePlant)
        .transform([input(ownApples, 1n), input(appleBatch, 1n)], [output(GTIN.JUICE, 1n, LTR)], ZERO_HASH),
    )
      .to.be.revertedWithCustomError(ledger, "BatchConsumed")
      .withArgs(appleBatch);
  });

  it("a consumed batch cannot be shipped, held or recalled", async function () {
    const { ledger, juicePlant, orchard, regulator, warehouse, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
    await ledger
      .connect(juicePlant)
      .transform([input(appleBatch, APPLE_QUANTITY)], [output(GTIN.JUICE, 650n, LTR)], ZERO_HASH);
    await expect(ledger.connect(juicePlant).ship(appleBatch, warehouse.address, 1n, ZERO_ADDRESS, ZERO_HASH))
      .to.be.revertedWithCustomError(ledger, "BatchConsumed")
      .withArgs(appleBatch);
    await expect(ledger.connect(orchard).hold(appleBatch, ZERO_HASH))
      .to.be.revertedWithCustomError(ledger, "BatchConsumed")
      .withArgs(appleBatch);
    await expect(ledger.connect(regulator).recall(appleBatch, ZERO_HASH))
      .to.be.revertedWithCustomError(ledger, "BatchConsumed")
      .withArgs(appleBatch);
  });

  describe("validation", function () {
    it("reverts with EmptyTransformation without inputs or without outputs", async function () {
      const { ledger, juicePlant, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      await expect(
        ledger.connect(juicePlant).transform([], [output(GTIN.JUICE, 1n, LTR)], ZERO_HASH),
      ).to.be.revertedWithCustomError(ledger, "EmptyTransformation");
      await expect(
        ledger.connect(juicePlant).transform([input(appleBatch, 1n)], [], ZERO_HASH),
      ).to.be.revertedWithCustomError(ledger, "EmptyTransformation");
    });

    it("reverts with DuplicateInput when a batch is listed twice", async function () {
      const { ledger, juicePlant, appleBatch, ownApples } = await loadFixture(twoAppleBatchesFixture);
      await expect(
        ledger
          .connect(juicePlant)
          .transform(
            [input(appleBatch, 1n), input(ownApples, 1n), input(appleBatch, 1n)],
            [output(GTIN.JUICE, 1n, LTR)],
            ZERO_HASH,
          ),
      )
        .to.be.revertedWithCustomError(ledger, "DuplicateInput")
        .withArgs(appleBatch);
    });

    it("reverts with NotCustodian for an input held by someone else", async function () {
      const { ledger, orchard, juicePlant, ownApples } = await loadFixture(twoAppleBatchesFixture);
      await expect(
        ledger.connect(orchard).transform([input(ownApples, 1n)], [output(GTIN.JUICE, 1n, LTR)], ZERO_HASH),
      )
        .to.be.revertedWithCustomError(ledger, "NotCustodian")
        .withArgs(ownApples, orchard.address, juicePlant.address);
    });

    it("reverts with InsufficientQuantity(requested, available) and ZeroQuantity for inputs", async function () {
      const { ledger, juicePlant, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      await expect(
        ledger
          .connect(juicePlant)
          .transform([input(appleBatch, APPLE_QUANTITY + 1n)], [output(GTIN.JUICE, 1n, LTR)], ZERO_HASH),
      )
        .to.be.revertedWithCustomError(ledger, "InsufficientQuantity")
        .withArgs(appleBatch, APPLE_QUANTITY + 1n, APPLE_QUANTITY);
      await expect(
        ledger.connect(juicePlant).transform([input(appleBatch, 0n)], [output(GTIN.JUICE, 1n, LTR)], ZERO_HASH),
      ).to.be.revertedWithCustomError(ledger, "ZeroQuantity");
    });

    it("reverts with UnknownBatch for an input that does not exist", async function () {
      const { ledger, juicePlant } = await loadFixture(applesAtJuicePlantFixture);
      await expect(ledger.connect(juicePlant).transform([input(9n, 1n)], [output(GTIN.JUICE, 1n, LTR)], ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "UnknownBatch")
        .withArgs(9n);
    });

    it("reverts with BatchInTransit / BatchOnHold / BatchRecalled for inputs that cannot be used", async function () {
      const { ledger, juicePlant, warehouse, regulator, appleBatch, ownApples } =
        await loadFixture(twoAppleBatchesFixture);
      const out = [output(GTIN.JUICE, 1n, LTR)];

      await ledger.connect(juicePlant).ship(ownApples, warehouse.address, 500n, ZERO_ADDRESS, ZERO_HASH);
      await expect(ledger.connect(juicePlant).transform([input(ownApples, 1n)], out, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchInTransit")
        .withArgs(ownApples);

      await ledger.connect(regulator).hold(appleBatch, ZERO_HASH);
      await expect(ledger.connect(juicePlant).transform([input(appleBatch, 1n)], out, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchOnHold")
        .withArgs(appleBatch);

      await ledger.connect(regulator).recall(appleBatch, ZERO_HASH);
      await expect(ledger.connect(juicePlant).transform([input(appleBatch, 1n)], out, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchRecalled")
        .withArgs(appleBatch);
    });

    it("reverts with MissingRole(caller, ENTERPRISE) for a custodian that is not an enterprise", async function () {
      const { ledger, registry, juicePlant, warehouse, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      await ledger.connect(juicePlant).ship(appleBatch, warehouse.address, 100n, ZERO_ADDRESS, ZERO_HASH);
      await ledger.connect(warehouse).receiveShipment(appleBatch + 1n);
      await expect(
        ledger.connect(warehouse).transform([input(appleBatch + 1n, 1n)], [output(GTIN.JUICE, 1n, LTR)], ZERO_HASH),
      )
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(warehouse.address, Role.ENTERPRISE);
    });

    it("validates outputs like commission (UnknownProduct, ZeroQuantity, InvalidUnit, InvalidOriginRegion)", async function () {
      const { ledger, juicePlant, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      const inputs = [input(appleBatch, 10n)];
      const unknown = gtin("690123456700");
      await expect(ledger.connect(juicePlant).transform(inputs, [output(unknown, 1n, LTR)], ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "UnknownProduct")
        .withArgs(unknown);
      await expect(
        ledger.connect(juicePlant).transform(inputs, [output(GTIN.JUICE, 0n, LTR)], ZERO_HASH),
      ).to.be.revertedWithCustomError(ledger, "ZeroQuantity");
      await expect(ledger.connect(juicePlant).transform(inputs, [output(GTIN.JUICE, 1n, unit("ltr"))], ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "InvalidUnit")
        .withArgs(unit("ltr"));
      await expect(
        ledger
          .connect(juicePlant)
          .transform(inputs, [{ ...output(GTIN.JUICE, 1n, LTR), originRegion: 0 }], ZERO_HASH),
      )
        .to.be.revertedWithCustomError(ledger, "InvalidOriginRegion")
        .withArgs(0);
    });

    it("is atomic: a failing output leaves every input untouched", async function () {
      const { ledger, juicePlant, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      await expect(
        ledger
          .connect(juicePlant)
          .transform(
            [input(appleBatch, APPLE_QUANTITY)],
            [output(GTIN.JUICE, 600n, LTR), output(GTIN.POMACE, 0n, KGM)],
            ZERO_HASH,
          ),
      ).to.be.revertedWithCustomError(ledger, "ZeroQuantity");
      const apples = await ledger.batchOf(appleBatch);
      expect(apples.quantity).to.equal(APPLE_QUANTITY);
      expect(apples.status).to.equal(BatchStatus.Active);
      expect(await ledger.batchCount()).to.equal(1n);
    });
  });
});
