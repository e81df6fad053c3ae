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

const REASON = hashOf("patulin above 50 ug/kg");

describe("ProvenanceLedger: hold, release and recall", function () {
  describe("hold", function () {
    it("the producer puts an active batch on hold (HoldPlaced)", async function () {
      const { ledger, orchard, appleBatch } = await loadFixture(appleBatchFixture);
      await expect(ledger.connect(orchard).hold(appleBatch, REASON))
        .to.emit(ledger, "HoldPlaced")
        .withArgs(appleBatch, orchard.address, REASON);
      expect((await ledger.batchOf(appleBatch)).status).to.equal(BatchStatus.OnHold);
    });

    it("a regulator puts any active batch on hold, including one the producer no longer holds", async function () {
      const { ledger, regulator, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      await expect(ledger.connect(regulator).hold(appleBatch, REASON))
        .to.emit(ledger, "HoldPlaced")
        .withArgs(appleBatch, regulator.address, REASON);
    });

    it("the producer keeps the right to hold after handing custody on", async function () {
      const { ledger, orchard, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      await expect(ledger.connect(orchard).hold(appleBatch, REASON)).to.emit(ledger, "HoldPlaced");
    });

    it("the producer needs only active membership, not the ENTERPRISE role it produced under", async function () {
      const { ledger, registry, admin, orchard, appleBatch } = await loadFixture(appleBatchFixture);
      await registry.connect(admin).setRoles(orchard.address, Role.AUDITOR);
      await expect(ledger.connect(orchard).hold(appleBatch, REASON)).to.emit(ledger, "HoldPlaced");
    });

    it("reverts with NotProducerOrRegulator for the custodian, an inspector or a non-member", async function () {
      const { ledger, juicePlant, inspector, outsider, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      for (const caller of [juicePlant, inspector, outsider]) {
        await expect(ledger.connect(caller).hold(appleBatch, REASON))
          .to.be.revertedWithCustomError(ledger, "NotProducerOrRegulator")
          .withArgs(appleBatch, caller.address);
      }
    });

    it("reverts with NotProducerOrRegulator for a suspended producer or a suspended regulator", async function () {
      const { ledger, registry, admin, orchard, regulator, appleBatch } = await loadFixture(appleBatchFixture);
      await registry.connect(admin).suspend(orchard.address, ZERO_HASH);
      await registry.connect(admin).suspend(regulator.address, ZERO_HASH);
      for (const caller of [orchard, regulator]) {
        await expect(ledger.connect(caller).hold(appleBatch, REASON))
          .to.be.revertedWithCustomError(ledger, "NotProducerOrRegulator")
          .withArgs(appleBatch, caller.address);
      }
    });

    it("reverts with BatchOnHold for a batch already on hold and BatchInTransit for a batch in transit", async function () {
      const { ledger, orchard, regulator, warehouse, appleBatch } = await loadFixture(appleBatchFixture);
      await ledger.connect(orchard).ship(appleBatch, warehouse.address, 400n, ZERO_ADDRESS, ZERO_HASH);
      await expect(ledger.connect(regulator).hold(appleBatch + 1n, REASON))
        .to.be.revertedWithCustomError(ledger, "BatchInTransit")
        .withArgs(appleBatch + 1n);

      await ledger.connect(regulator).hold(appleBatch, REASON);
      await expect(ledger.connect(orchard).hold(appleBatch, REASON))
        .to.be.revertedWithCustomError(ledger, "BatchOnHold")
        .withArgs(appleBatch);
    });

    it("reverts with UnknownBatch for an unknown id", async function () {
      const { ledger, regulator } = await loadFixture(appleBatchFixture);
      await expect(ledger.connect(regulator).hold(5n, REASON))
        .to.be.revertedWithCustomError(ledger, "UnknownBatch")
        .withArgs(5n);
    });

    it("a batch on hold cannot be shipped or transformed", async function () {
      const { ledger, juicePlant, regulator, warehouse, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      await ledger.connect(regulator).hold(appleBatch, REASON);
      await expect(ledger.connect(juicePlant).ship(appleBatch, warehouse.address, 1n, ZERO_ADDRESS, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchOnHold")
        .withArgs(appleBatch);
      await expect(
        ledger.connect(juicePlant).transform([input(appleBatch, 1n)], [output(GTIN.JUICE, 1n, LTR)], ZERO_HASH),
      )
        .to.be.revertedWithCustomError(ledger, "BatchOnHold")
        .withArgs(appleBatch);
    });
  });

  describe("releaseHold", function () {
    it("the producer or a regulator lifts a hold (HoldReleased) and the batch is usable again", async function () {
      const { ledger, orchard, regulator, warehouse, appleBatch } = await loadFixture(appleBatchFixture);
      await ledger.connect(orchard).hold(appleBatch, REASON);
      await expect(ledger.connect(regulator).releaseHold(appleBatch, hashOf("lab result negative")))
        .to.emit(ledger, "HoldReleased")
        .withArgs(appleBatch, regulator.address, hashOf("lab result negative"));
      expect((await ledger.batchOf(appleBatch)).status).to.equal(BatchStatus.Active);

      await ledger.connect(regulator).hold(appleBatch, REASON);
      await expect(ledger.connect(orchard).releaseHold(appleBatch, ZERO_HASH))
        .to.emit(ledger, "HoldReleased")
        .withArgs(appleBatch, orchard.address, ZERO_HASH);
      await expect(ledger.connect(orchard).ship(appleBatch, warehouse.address, 1n, ZERO_ADDRESS, ZERO_HASH)).to.emit(
        ledger,
        "BatchShipped",
      );
    });

    it("reverts with BatchNotOnHold for a batch that is not on hold (active, in transit, recalled)", async function () {
      const { ledger, orchard, regulator, warehouse, appleBatch } = await loadFixture(appleBatchFixture);
      await expect(ledger.connect(regulator).releaseHold(appleBatch, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchNotOnHold")
        .withArgs(appleBatch);
      await ledger.connect(orchard).ship(appleBatch, warehouse.address, 1n, ZERO_ADDRESS, ZERO_HASH);
      await expect(ledger.connect(regulator).releaseHold(appleBatch + 1n, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchNotOnHold")
        .withArgs(appleBatch + 1n);
      await ledger.connect(regulator).recall(appleBatch, REASON);
      await expect(ledger.connect(regulator).releaseHold(appleBatch, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchNotOnHold")
        .withArgs(appleBatch);
    });

    it("reverts with NotProducerOrRegulator for anyone else", async function () {
      const { ledger, orchard, juicePlant, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      await ledger.connect(orchard).hold(appleBatch, REASON);
      await expect(ledger.connect(juicePlant).releaseHold(appleBatch, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "NotProducerOrRegulator")
        .withArgs(appleBatch, juicePlant.address);
    });
  });

  describe("recall", function () {
    it("the producer recalls its batch for good (RecallIssued)", async function () {
      const { ledger, orchard, appleBatch } = await loadFixture(appleBatchFixture);
      await expect(ledger.connect(orchard).recall(appleBatch, REASON))
        .to.emit(ledger, "RecallIssued")
        .withArgs(appleBatch, orchard.address, REASON);
      const batch = await ledger.batchOf(appleBatch);
      expect(batch.status).to.equal(BatchStatus.Recalled);
      expect(batch.quantity).to.equal(APPLE_QUANTITY);
    });

    it("a regulator recalls a batch held by someone else, and a batch on hold", async function () {
      const { ledger, regulator, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      await ledger.connect(regulator).hold(appleBatch, REASON);
      await expect(ledger.connect(regulator).recall(appleBatch, REASON))
        .to.emit(ledger, "RecallIssued")
        .withArgs(appleBatch, regulator.address, REASON);
      expect((await ledger.batchOf(appleBatch)).status).to.equal(BatchStatus.Recalled);
    });

    it("recalling a batch in transit cancels the pending shipment; custody stays with the shipper", async function () {
      const { ledger, orchard, warehouse, regulator, appleBatch } = await loadFixture(appleBatchFixture);
      await ledger.connect(orchard).ship(appleBatch, warehouse.address, APPLE_QUANTITY, ZERO_ADDRESS, ZERO_HASH);
      await expect(ledger.connect(regulator).recall(appleBatch, REASON)).to.emit(ledger, "RecallIssued");

      const batch = await ledger.batchOf(appleBatch);
      expect(batch.status).to.equal(BatchStatus.Recalled);
      expect(batch.pendingRecipient).to.equal(ZERO_ADDRESS);
      expect(batch.custodian).to.equal(orchard.address);
      await expect(ledger.connect(warehouse).receiveShipment(appleBatch))
        .to.be.revertedWithCustomError(ledger, "BatchNotInTransit")
        .withArgs(appleBatch);
      await expect(ledger.connect(warehouse).rejectShipment(appleBatch, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchNotInTransit")
        .withArgs(appleBatch);
    });

    it("a recalled batch cannot be shipped, transformed, held or recalled again", async function () {
      const { ledger, orchard, juicePlant, regulator, warehouse, appleBatch } =
        await loadFixture(applesAtJuicePlantFixture);
      await ledger.connect(orchard).recall(appleBatch, REASON);
      await expect(ledger.connect(juicePlant).ship(appleBatch, warehouse.address, 1n, ZERO_ADDRESS, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchRecalled")
        .withArgs(appleBatch);
      await expect(
        ledger.connect(juicePlant).transform([input(appleBatch, 1n)], [output(GTIN.JUICE, 1n, LTR)], ZERO_HASH),
      )
        .to.be.revertedWithCustomError(ledger, "BatchRecalled")
        .withArgs(appleBatch);
      await expect(ledger.connect(regulator).hold(appleBatch, REASON))
        .to.be.revertedWithCustomError(ledger, "BatchRecalled")
        .withArgs(appleBatch);
      await expect(ledger.connect(regulator).recall(appleBatch, REASON))
        .to.be.revertedWithCustomError(ledger, "BatchRecalled")
        .withArgs(appleBatch);
    });

    it("reverts with BatchConsumed for a consumed batch", async function () {
      const { ledger, juicePlant, regulator, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      await ledger
        .connect(juicePlant)
        .transform([input(appleBatch, APPLE_QUANTITY)], [output(GTIN.JUICE, 600n, LTR)], ZERO_HASH);
      await expect(ledger.connect(regulator).recall(appleBatch, REASON))
        .to.be.revertedWithCustomError(ledger, "BatchConsumed")
        .withArgs(appleBatch);
    });

    it("reverts with NotProducerOrRegulator for the custodian, a suspended or a revoked producer", async function () {
      const { ledger, registry, admin, orchard, juicePlant, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      await expect(ledger.connect(juicePlant).recall(appleBatch, REASON))
        .to.be.revertedWithCustomError(ledger, "NotProducerOrRegulator")
        .withArgs(appleBatch, juicePlant.address);
      await registry.connect(admin).suspend(orchard.address, ZERO_HASH);
      await expect(ledger.connect(orchard).recall(appleBatch, REASON))
        .to.be.revertedWithCustomError(ledger, "NotProducerOrRegulator")
        .withArgs(appleBatch, orchard.address);
      await registry.connect(admin).revoke(orchard.address, ZERO_HASH);
      await expect(ledger.connect(orchard).recall(appleBatch, REASON))
        .to.be.revertedWithCustomError(ledger, "NotProducerOrRegulator")
        .withArgs(appleBatch, orchard.address);
    });

    it("a reinstated producer may recall again", async function () {
      const { ledger, registry, admin, orchard, appleBatch } = await loadFixture(appleBatchFixture);
      await registry.connect(admin).suspend(orchard.address, ZERO_HASH);
      await registry.connect(admin).reinstate(orchard.address, ZERO_HASH);
      await expect(ledger.connect(orchard).recall(appleBatch, REASON)).to.emit(ledger, "RecallIssued");
    });

    it("reverts with UnknownBatch for an unknown id", async function () {
      const { ledger, regulator } = await loadFixture(appleBatchFixture);
      await expect(ledger.connect(regulator).recall(0n, REASON))
        .to.be.revertedWithCustomError(ledger, "UnknownBatch")
        .withArgs(0n);
    });

    it("applies to one batch only: split children and transformation outputs are not recalled with it", async function () {
      // The on-chain recall is per batch; following lineage (children, outputs) is left to off-chain tracing.
      const { ledger, orchard, juicePlant, warehouse, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      await ledger.connect(juicePlant).ship(appleBatch, warehouse.address, 100n, ZERO_ADDRESS, ZERO_HASH);
      await ledger
        .connect(juicePlant)
        .transform([input(appleBatch, 500n)], [output(GTIN.JUICE, 300n, LTR)], ZERO_HASH);
      await ledger.connect(orchard).recall(appleBatch, REASON);
      expect((await ledger.batchOf(appleBatch + 1n)).status).to.equal(BatchStatus.InTransit);
      expect((await ledger.batchOf(appleBatch + 2n)).status).to.equal(BatchStatus.Active);
    });
  });
});
