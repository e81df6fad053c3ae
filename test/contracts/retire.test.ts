/// <reference types="mocha" />
import { expect } from "chai";
import {
  APPLE_QUANTITY,
  appleBatchFixture,
  applesAtJuicePlantFixture,
  BatchStatus,
  GTIN,
  hashOf,
  input,
  loadFixture,
  LTR,
  output,
  Role,
  ZERO_ADDRESS,
  ZERO_HASH,
} from "./fixtures";
import { applesInWarehouseFixture, appleReceiptFixture, issuance, issueReceipt } from "./receipt-fixtures";

const REASON = hashOf("spoiled in cold-store failure; destroyed under certificate D-17");

describe("ProvenanceLedger: retire", function () {
  describe("the whole batch", function () {
    it("the custodian retires all of a batch: status Retired, quantity kept, no split (BatchRetired)", async function () {
      const { ledger, juicePlant, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      expect(await ledger.connect(juicePlant).retire.staticCall(appleBatch, APPLE_QUANTITY, REASON)).to.equal(appleBatch);
      const tx = ledger.connect(juicePlant).retire(appleBatch, APPLE_QUANTITY, REASON);
      await expect(tx).to.emit(ledger, "BatchRetired").withArgs(appleBatch, juicePlant.address, APPLE_QUANTITY, REASON);
      await expect(tx).not.to.emit(ledger, "BatchSplit");
      const batch = await ledger.batchOf(appleBatch);
      expect(batch.status).to.equal(BatchStatus.Retired);
      expect(batch.quantity).to.equal(APPLE_QUANTITY);
      expect(batch.custodian).to.equal(juicePlant.address);
      expect(await ledger.batchCount()).to.equal(1n);
    });

    it("the producer still holding its batch retires it (the reason hash is not checked)", async function () {
      const { ledger, orchard, appleBatch } = await loadFixture(appleBatchFixture);
      await expect(ledger.connect(orchard).retire(appleBatch, APPLE_QUANTITY, ZERO_HASH))
        .to.emit(ledger, "BatchRetired")
        .withArgs(appleBatch, orchard.address, APPLE_QUANTITY, ZERO_HASH);
    });

    it("a warehouse (no ENTERPRISE role) retires goods in its custody", async function () {
      const { ledger, warehouse, appleBatch } = await loadFixture(applesInWarehouseFixture);
      await expect(ledger.connect(warehouse).retire(appleBatch, 250n, REASON))
        .to.emit(ledger, "BatchRetired")
        .withArgs(2n, warehouse.address, 250n, REASON);
    });
  });

  describe("part of a batch", function () {
    it("splits the retired quantity off into a child (BatchSplit), retires the child, keeps the rest active", async function () {
      const { ledger, juicePlant, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      expect(await ledger.connect(juicePlant).retire.staticCall(appleBatch, 120n, REASON)).to.equal(2n);
      const tx = ledger.connect(juicePlant).retire(appleBatch, 120n, REASON);
      await expect(tx).to.emit(ledger, "BatchSplit").withArgs(appleBatch, 2n, 120n);
      await expect(tx).to.emit(ledger, "BatchRetired").withArgs(2n, juicePlant.address, 120n, REASON);

      const parent = await ledger.batchOf(appleBatch);
      expect(parent.status).to.equal(BatchStatus.Active);
      expect(parent.quantity).to.equal(APPLE_QUANTITY - 120n);
      const child = await ledger.batchOf(2n);
      expect(child.status).to.equal(BatchStatus.Retired);
      expect(child.quantity).to.equal(120n);
      expect(child.parentId).to.equal(appleBatch);
      expect(child.custodian).to.equal(juicePlant.address);
      expect(child.gtin).to.equal(parent.gtin);
      expect(child.producer).to.equal(parent.producer);
      expect(child.unit).to.equal(parent.unit);
      expect(child.originRegion).to.equal(parent.originRegion);
    });

    it("the rest stays usable: it is shipped on, and retired again in part and then whole", async function () {
      const { ledger, juicePlant, warehouse, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      await ledger.connect(juicePlant).retire(appleBatch, 100n, REASON); // child 2
      await ledger.connect(juicePlant).ship(appleBatch, warehouse.address, 300n, ZERO_ADDRESS, ZERO_HASH); // child 3
      await ledger.connect(juicePlant).retire(appleBatch, 50n, REASON); // child 4
      await expect(ledger.connect(juicePlant).retire(appleBatch, 550n, REASON))
        .to.emit(ledger, "BatchRetired")
        .withArgs(appleBatch, juicePlant.address, 550n, REASON);
      expect((await ledger.batchOf(appleBatch)).status).to.equal(BatchStatus.Retired);
      expect((await ledger.batchOf(3n)).status).to.equal(BatchStatus.InTransit);
      expect((await ledger.batchOf(4n)).quantity).to.equal(50n);
    });
  });

  describe("refusals", function () {
    it("reverts with UnknownBatch for a batch that does not exist", async function () {
      const { ledger, orchard } = await loadFixture(appleBatchFixture);
      await expect(ledger.connect(orchard).retire(99n, 1n, REASON))
        .to.be.revertedWithCustomError(ledger, "UnknownBatch")
        .withArgs(99n);
    });

    it("reverts with NotCustodian for the producer after handover, a regulator, or a non-member", async function () {
      const { ledger, orchard, regulator, outsider, juicePlant, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      for (const caller of [orchard, regulator, outsider]) {
        await expect(ledger.connect(caller).retire(appleBatch, 1n, REASON))
          .to.be.revertedWithCustomError(ledger, "NotCustodian")
          .withArgs(appleBatch, caller.address, juicePlant.address);
      }
    });

    it("reverts with MissingRole for a custodian that is no longer an active member", async function () {
      const { ledger, registry, admin, juicePlant, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      await registry.connect(admin).suspend(juicePlant.address, ZERO_HASH);
      await expect(ledger.connect(juicePlant).retire(appleBatch, 1n, REASON))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(juicePlant.address, Role.ANY_MEMBER);
    });

    it("reverts with ZeroQuantity and InsufficientQuantity", async function () {
      const { ledger, juicePlant, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      await expect(ledger.connect(juicePlant).retire(appleBatch, 0n, REASON)).to.be.revertedWithCustomError(
        ledger,
        "ZeroQuantity",
      );
      await expect(ledger.connect(juicePlant).retire(appleBatch, APPLE_QUANTITY + 1n, REASON))
        .to.be.revertedWithCustomError(ledger, "InsufficientQuantity")
        .withArgs(appleBatch, APPLE_QUANTITY + 1n, APPLE_QUANTITY);
    });

    it("reverts with BatchInTransit for a batch being shipped, for the shipper and the recipient", async function () {
      const { ledger, orchard, juicePlant, appleBatch } = await loadFixture(appleBatchFixture);
      await ledger.connect(orchard).ship(appleBatch, juicePlant.address, APPLE_QUANTITY, ZERO_ADDRESS, ZERO_HASH);
      await expect(ledger.connect(orchard).retire(appleBatch, 1n, REASON))
        .to.be.revertedWithCustomError(ledger, "BatchInTransit")
        .withArgs(appleBatch);
      await expect(ledger.connect(juicePlant).retire(appleBatch, 1n, REASON))
        .to.be.revertedWithCustomError(ledger, "BatchInTransit")
        .withArgs(appleBatch);
    });

    it("reverts with BatchOnHold and BatchRecalled", async function () {
      const { ledger, orchard, regulator, juicePlant, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      await ledger.connect(orchard).hold(appleBatch, ZERO_HASH);
      await expect(ledger.connect(juicePlant).retire(appleBatch, 1n, REASON))
        .to.be.revertedWithCustomError(ledger, "BatchOnHold")
        .withArgs(appleBatch);
      await ledger.connect(regulator).recall(appleBatch, ZERO_HASH);
      await expect(ledger.connect(juicePlant).retire(appleBatch, 1n, REASON))
        .to.be.revertedWithCustomError(ledger, "BatchRecalled")
        .withArgs(appleBatch);
    });

    it("reverts with BatchConsumed for a batch a transformation used up", async function () {
      const { ledger, juicePlant, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      await ledger
        .connect(juicePlant)
        .transform([input(appleBatch, APPLE_QUANTITY)], [output(GTIN.JUICE, 600n, LTR)], ZERO_HASH);
      await expect(ledger.connect(juicePlant).retire(appleBatch, 1n, REASON))
        .to.be.revertedWithCustomError(ledger, "BatchConsumed")
        .withArgs(appleBatch);
    });

    it("reverts with BatchUnderReceipt for a batch under a warehouse receipt", async function () {
      const { ledger, warehouse, appleBatch } = await loadFixture(appleReceiptFixture);
      await expect(ledger.connect(warehouse).retire(appleBatch, 1n, REASON))
        .to.be.revertedWithCustomError(ledger, "BatchUnderReceipt")
        .withArgs(appleBatch);
    });
  });

  describe("a retired batch has left the supply chain", function () {
    async function retiredFixture() {
      const f = await loadFixture(applesAtJuicePlantFixture);
      await f.ledger.connect(f.juicePlant).retire(f.appleBatch, APPLE_QUANTITY, REASON);
      return f;
    }

    it("it cannot be retired again (BatchIsRetired)", async function () {
      const { ledger, juicePlant, appleBatch } = await loadFixture(retiredFixture);
      await expect(ledger.connect(juicePlant).retire(appleBatch, 1n, REASON))
        .to.be.revertedWithCustomError(ledger, "BatchIsRetired")
        .withArgs(appleBatch);
    });

    it("ship and transform refuse it with BatchIsRetired", async function () {
      const { ledger, juicePlant, warehouse, appleBatch } = await loadFixture(retiredFixture);
      await expect(ledger.connect(juicePlant).ship(appleBatch, warehouse.address, 1n, ZERO_ADDRESS, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchIsRetired")
        .withArgs(appleBatch);
      await expect(
        ledger.connect(juicePlant).transform([input(appleBatch, 1n)], [output(GTIN.JUICE, 1n, LTR)], ZERO_HASH),
      )
        .to.be.revertedWithCustomError(ledger, "BatchIsRetired")
        .withArgs(appleBatch);
    });

    it("hold refuses it with BatchIsRetired; releaseHold with BatchNotOnHold", async function () {
      const { ledger, orchard, regulator, appleBatch } = await loadFixture(retiredFixture);
      await expect(ledger.connect(orchard).hold(appleBatch, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchIsRetired")
        .withArgs(appleBatch);
      await expect(ledger.connect(regulator).releaseHold(appleBatch, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchNotOnHold")
        .withArgs(appleBatch);
    });

    it("can still be recalled (goods sold to consumers): Recalled, same quantity and custodian, and still refused by ship and retire", async function () {
      const { ledger, juicePlant, warehouse, regulator, appleBatch } = await loadFixture(retiredFixture);
      const before = await ledger.batchOf(appleBatch);
      const reason = hashOf("recall: patulin above limit");
      await expect(ledger.connect(regulator).recall(appleBatch, reason))
        .to.emit(ledger, "RecallIssued")
        .withArgs(appleBatch, regulator.address, reason);
      const after = await ledger.batchOf(appleBatch);
      expect(after.status).to.equal(BatchStatus.Recalled);
      expect([after.quantity, after.custodian]).to.deep.equal([before.quantity, before.custodian]);
      await expect(ledger.connect(regulator).recall(appleBatch, reason))
        .to.be.revertedWithCustomError(ledger, "BatchRecalled")
        .withArgs(appleBatch);
      await expect(ledger.connect(juicePlant).retire(appleBatch, 1n, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchRecalled")
        .withArgs(appleBatch);
      await expect(ledger.connect(juicePlant).ship(appleBatch, warehouse.address, 1n, ZERO_ADDRESS, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchRecalled")
        .withArgs(appleBatch);
    });

    it("receive, reject and cancel refuse it with BatchNotInTransit", async function () {
      const { ledger, juicePlant, appleBatch } = await loadFixture(retiredFixture);
      await expect(ledger.connect(juicePlant).receiveShipment(appleBatch))
        .to.be.revertedWithCustomError(ledger, "BatchNotInTransit")
        .withArgs(appleBatch);
      await expect(ledger.connect(juicePlant).rejectShipment(appleBatch, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchNotInTransit")
        .withArgs(appleBatch);
      await expect(ledger.connect(juicePlant).cancelShipment(appleBatch, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchNotInTransit")
        .withArgs(appleBatch);
    });

    it("a warehouse cannot issue a receipt over it (BatchIsRetired)", async function () {
      const f = await loadFixture(applesInWarehouseFixture);
      await f.ledger.connect(f.warehouse).retire(f.appleBatch, APPLE_QUANTITY, REASON);
      await expect(f.receipts.connect(f.warehouse).issue(await issuance(f.appleBatch, f.orchard)))
        .to.be.revertedWithCustomError(f.ledger, "BatchIsRetired")
        .withArgs(f.appleBatch);
    });

    it("observations are still recorded against it (inspection, reading)", async function () {
      const { ledger, inspector, juicePlant, appleBatch } = await loadFixture(retiredFixture);
      await expect(ledger.connect(inspector).recordInspection(appleBatch, true, hashOf("destruction witnessed")))
        .to.emit(ledger, "InspectionRecorded");
      await expect(ledger.connect(juicePlant).recordReading(appleBatch, hashOf("reading"))).to.emit(
        ledger,
        "ReadingRecorded",
      );
    });
  });

  it("a receipt can still be issued over the part of a batch that was not retired", async function () {
    const f = await loadFixture(applesInWarehouseFixture);
    await f.ledger.connect(f.warehouse).retire(f.appleBatch, 400n, REASON); // child 2
    const { batchId } = await issueReceipt(f.receipts, f.warehouse, await issuance(f.appleBatch, f.orchard, { quantity: 600n }));
    expect(batchId).to.equal(f.appleBatch);
    expect(await f.ledger.isUnderReceipt(f.appleBatch)).to.equal(true);
    expect(await f.ledger.isUnderReceipt(2n)).to.equal(false);
  });
});
