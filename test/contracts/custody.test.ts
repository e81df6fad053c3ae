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
  KGM,
  LTR,
  loadFixture,
  output,
  REGION,
  Role,
  ZERO_ADDRESS,
  ZERO_HASH,
} from "./fixtures";

const WAYBILL = hashOf("waybill YT-QD-0001");

describe("ProvenanceLedger: custody (ship / receive / reject)", function () {
  describe("ship the whole batch", function () {
    it("puts the batch itself in transit to the recipient and emits BatchShipped (no split)", async function () {
      const { ledger, orchard, warehouse, carrier, appleBatch } = await loadFixture(appleBatchFixture);
      expect(
        await ledger.connect(orchard).ship.staticCall(appleBatch, warehouse.address, APPLE_QUANTITY, carrier.address, WAYBILL),
      ).to.equal(appleBatch);

      const tx = ledger.connect(orchard).ship(appleBatch, warehouse.address, APPLE_QUANTITY, carrier.address, WAYBILL);
      await expect(tx)
        .to.emit(ledger, "BatchShipped")
        .withArgs(appleBatch, orchard.address, warehouse.address, APPLE_QUANTITY, carrier.address, WAYBILL);
      await expect(tx).not.to.emit(ledger, "BatchSplit");

      const batch = await ledger.batchOf(appleBatch);
      expect(batch.status).to.equal(BatchStatus.InTransit);
      expect(batch.pendingRecipient).to.equal(warehouse.address);
      expect(batch.custodian).to.equal(orchard.address); // custody moves only on receipt
      expect(batch.quantity).to.equal(APPLE_QUANTITY);
      expect(await ledger.batchCount()).to.equal(1n);
    });

    it("accepts no carrier (the zero address)", async function () {
      const { ledger, orchard, warehouse, appleBatch } = await loadFixture(appleBatchFixture);
      await expect(ledger.connect(orchard).ship(appleBatch, warehouse.address, APPLE_QUANTITY, ZERO_ADDRESS, ZERO_HASH))
        .to.emit(ledger, "BatchShipped")
        .withArgs(appleBatch, orchard.address, warehouse.address, APPLE_QUANTITY, ZERO_ADDRESS, ZERO_HASH);
    });
  });

  describe("ship part of a batch", function () {
    it("splits a child batch off (BatchSplit), ships the child and leaves the rest of the parent active", async function () {
      const { ledger, orchard, warehouse, carrier, appleBatch } = await loadFixture(appleBatchFixture);
      const childId = appleBatch + 1n;
      expect(
        await ledger.connect(orchard).ship.staticCall(appleBatch, warehouse.address, 300n, carrier.address, WAYBILL),
      ).to.equal(childId);

      const tx = ledger.connect(orchard).ship(appleBatch, warehouse.address, 300n, carrier.address, WAYBILL);
      await expect(tx).to.emit(ledger, "BatchSplit").withArgs(appleBatch, childId, 300n);
      await expect(tx)
        .to.emit(ledger, "BatchShipped")
        .withArgs(childId, orchard.address, warehouse.address, 300n, carrier.address, WAYBILL);

      const parent = await ledger.batchOf(appleBatch);
      expect(parent.status).to.equal(BatchStatus.Active);
      expect(parent.quantity).to.equal(700n);
      expect(parent.custodian).to.equal(orchard.address);
      expect(parent.pendingRecipient).to.equal(ZERO_ADDRESS);

      const child = await ledger.batchOf(childId);
      expect(child.parentId).to.equal(appleBatch);
      expect(child.quantity).to.equal(300n);
      expect(child.status).to.equal(BatchStatus.InTransit);
      expect(child.pendingRecipient).to.equal(warehouse.address);
      expect(child.custodian).to.equal(orchard.address);
      // the child inherits product, producer, unit and origin
      expect(child.producer).to.equal(parent.producer);
      expect(child.gtin).to.equal(GTIN.APPLES);
      expect(child.unit).to.equal(KGM);
      expect(child.originRegion).to.equal(REGION.YANTAI);

      expect(parent.quantity + child.quantity).to.equal(APPLE_QUANTITY);
      expect(await ledger.batchCount()).to.equal(childId);
    });

    it("lets the parent's remainder be shipped again while the child travels", async function () {
      const { ledger, orchard, warehouse, juicePlant, appleBatch } = await loadFixture(appleBatchFixture);
      await ledger.connect(orchard).ship(appleBatch, warehouse.address, 300n, ZERO_ADDRESS, ZERO_HASH);
      await expect(ledger.connect(orchard).ship(appleBatch, juicePlant.address, 200n, ZERO_ADDRESS, ZERO_HASH))
        .to.emit(ledger, "BatchSplit")
        .withArgs(appleBatch, appleBatch + 2n, 200n);
      expect((await ledger.batchOf(appleBatch)).quantity).to.equal(500n);
    });
  });

  describe("receiveShipment", function () {
    it("hands custody to the recipient, reactivates the batch and emits BatchReceived(from, to)", async function () {
      const { ledger, orchard, warehouse, appleBatch } = await loadFixture(appleBatchFixture);
      await ledger.connect(orchard).ship(appleBatch, warehouse.address, APPLE_QUANTITY, ZERO_ADDRESS, ZERO_HASH);
      await expect(ledger.connect(warehouse).receiveShipment(appleBatch))
        .to.emit(ledger, "BatchReceived")
        .withArgs(appleBatch, orchard.address, warehouse.address);

      const batch = await ledger.batchOf(appleBatch);
      expect(batch.custodian).to.equal(warehouse.address);
      expect(batch.status).to.equal(BatchStatus.Active);
      expect(batch.pendingRecipient).to.equal(ZERO_ADDRESS);
      expect(batch.producer).to.equal(orchard.address);
    });

    it("lets the new custodian ship onward, and no longer the old one", async function () {
      const { ledger, orchard, warehouse, juicePlant, appleBatch } = await loadFixture(appleBatchFixture);
      await ledger.connect(orchard).ship(appleBatch, warehouse.address, APPLE_QUANTITY, ZERO_ADDRESS, ZERO_HASH);
      await ledger.connect(warehouse).receiveShipment(appleBatch);

      await expect(ledger.connect(orchard).ship(appleBatch, juicePlant.address, 1n, ZERO_ADDRESS, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "NotCustodian")
        .withArgs(appleBatch, orchard.address, warehouse.address);
      await expect(ledger.connect(warehouse).ship(appleBatch, juicePlant.address, 1n, ZERO_ADDRESS, ZERO_HASH))
        .to.emit(ledger, "BatchShipped")
        .withArgs(appleBatch + 1n, warehouse.address, juicePlant.address, 1n, ZERO_ADDRESS, ZERO_HASH);
    });

    it("receives a partial shipment into the child batch only", async function () {
      const { ledger, orchard, warehouse, appleBatch } = await loadFixture(appleBatchFixture);
      await ledger.connect(orchard).ship(appleBatch, warehouse.address, 250n, ZERO_ADDRESS, ZERO_HASH);
      await expect(ledger.connect(warehouse).receiveShipment(appleBatch + 1n))
        .to.emit(ledger, "BatchReceived")
        .withArgs(appleBatch + 1n, orchard.address, warehouse.address);
      expect((await ledger.batchOf(appleBatch + 1n)).custodian).to.equal(warehouse.address);
      expect((await ledger.batchOf(appleBatch)).custodian).to.equal(orchard.address);
    });

    it("reverts with NotRecipient for anyone but the pending recipient, the shipper included", async function () {
      const { ledger, orchard, warehouse, carrier, appleBatch } = await loadFixture(appleBatchFixture);
      await ledger.connect(orchard).ship(appleBatch, warehouse.address, APPLE_QUANTITY, carrier.address, ZERO_HASH);
      for (const caller of [orchard, carrier]) {
        await expect(ledger.connect(caller).receiveShipment(appleBatch))
          .to.be.revertedWithCustomError(ledger, "NotRecipient")
          .withArgs(appleBatch, caller.address, warehouse.address);
      }
    });

    it("reverts with BatchNotInTransit for a batch not shipped, or already received", async function () {
      const { ledger, orchard, warehouse, appleBatch } = await loadFixture(appleBatchFixture);
      await expect(ledger.connect(warehouse).receiveShipment(appleBatch))
        .to.be.revertedWithCustomError(ledger, "BatchNotInTransit")
        .withArgs(appleBatch);
      await ledger.connect(orchard).ship(appleBatch, warehouse.address, APPLE_QUANTITY, ZERO_ADDRESS, ZERO_HASH);
      await ledger.connect(warehouse).receiveShipment(appleBatch);
      await expect(ledger.connect(warehouse).receiveShipment(appleBatch))
        .to.be.revertedWithCustomError(ledger, "BatchNotInTransit")
        .withArgs(appleBatch);
    });

    it("reverts with UnknownBatch for an unknown id", async function () {
      const { ledger, warehouse } = await loadFixture(appleBatchFixture);
      await expect(ledger.connect(warehouse).receiveShipment(42n))
        .to.be.revertedWithCustomError(ledger, "UnknownBatch")
        .withArgs(42n);
    });
  });

  describe("rejectShipment", function () {
    it("returns the batch to its shipper, active, and emits ShipmentRejected(from, to, reason)", async function () {
      const { ledger, orchard, warehouse, appleBatch } = await loadFixture(appleBatchFixture);
      await ledger.connect(orchard).ship(appleBatch, warehouse.address, APPLE_QUANTITY, ZERO_ADDRESS, ZERO_HASH);
      await expect(ledger.connect(warehouse).rejectShipment(appleBatch, hashOf("bruised fruit")))
        .to.emit(ledger, "ShipmentRejected")
        .withArgs(appleBatch, orchard.address, warehouse.address, hashOf("bruised fruit"));

      const batch = await ledger.batchOf(appleBatch);
      expect(batch.custodian).to.equal(orchard.address);
      expect(batch.status).to.equal(BatchStatus.Active);
      expect(batch.pendingRecipient).to.equal(ZERO_ADDRESS);
      // the shipper can ship it again
      await expect(ledger.connect(orchard).ship(appleBatch, warehouse.address, APPLE_QUANTITY, ZERO_ADDRESS, ZERO_HASH))
        .to.emit(ledger, "BatchShipped");
    });

    it("leaves a rejected child batch as a separate batch of the shipper (no merge back)", async function () {
      const { ledger, orchard, warehouse, appleBatch } = await loadFixture(appleBatchFixture);
      await ledger.connect(orchard).ship(appleBatch, warehouse.address, 100n, ZERO_ADDRESS, ZERO_HASH);
      await ledger.connect(warehouse).rejectShipment(appleBatch + 1n, ZERO_HASH);
      const child = await ledger.batchOf(appleBatch + 1n);
      expect(child.custodian).to.equal(orchard.address);
      expect(child.status).to.equal(BatchStatus.Active);
      expect(child.quantity).to.equal(100n);
      expect((await ledger.batchOf(appleBatch)).quantity).to.equal(900n);
    });

    it("reverts with NotRecipient, BatchNotInTransit and UnknownBatch like receiveShipment", async function () {
      const { ledger, orchard, warehouse, bank, appleBatch } = await loadFixture(appleBatchFixture);
      await expect(ledger.connect(warehouse).rejectShipment(appleBatch, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchNotInTransit")
        .withArgs(appleBatch);
      await ledger.connect(orchard).ship(appleBatch, warehouse.address, APPLE_QUANTITY, ZERO_ADDRESS, ZERO_HASH);
      await expect(ledger.connect(bank).rejectShipment(appleBatch, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "NotRecipient")
        .withArgs(appleBatch, bank.address, warehouse.address);
      await expect(ledger.connect(warehouse).rejectShipment(7n, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "UnknownBatch")
        .withArgs(7n);
    });
  });

  describe("ship: who may ship what, to whom", function () {
    it("reverts with NotCustodian for anyone but the custodian", async function () {
      const { ledger, orchard, juicePlant, warehouse, outsider, appleBatch } = await loadFixture(appleBatchFixture);
      for (const caller of [juicePlant, outsider]) {
        await expect(ledger.connect(caller).ship(appleBatch, warehouse.address, 1n, ZERO_ADDRESS, ZERO_HASH))
          .to.be.revertedWithCustomError(ledger, "NotCustodian")
          .withArgs(appleBatch, caller.address, orchard.address);
      }
    });

    it("reverts with ShipmentToSelf when the recipient is the custodian", async function () {
      const { ledger, orchard, appleBatch } = await loadFixture(appleBatchFixture);
      await expect(ledger.connect(orchard).ship(appleBatch, orchard.address, 1n, ZERO_ADDRESS, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "ShipmentToSelf")
        .withArgs(appleBatch);
    });

    it("reverts with MissingRole(to, 0) for a recipient that is not an active member", async function () {
      const { ledger, registry, admin, orchard, bank, outsider, appleBatch } = await loadFixture(appleBatchFixture);
      await registry.connect(admin).suspend(bank.address, ZERO_HASH);
      for (const to of [outsider, bank]) {
        await expect(ledger.connect(orchard).ship(appleBatch, to.address, 1n, ZERO_ADDRESS, ZERO_HASH))
          .to.be.revertedWithCustomError(registry, "MissingRole")
          .withArgs(to.address, Role.ANY_MEMBER);
      }
    });

    it("lets any active member receive goods, whatever its roles (here: the bank)", async function () {
      const { ledger, orchard, bank, appleBatch } = await loadFixture(appleBatchFixture);
      await ledger.connect(orchard).ship(appleBatch, bank.address, 1n, ZERO_ADDRESS, ZERO_HASH);
      await expect(ledger.connect(bank).receiveShipment(appleBatch + 1n)).to.emit(ledger, "BatchReceived");
    });

    it("reverts with InvalidCarrier for a carrier that is not an active LOGISTICS member", async function () {
      const { ledger, registry, admin, orchard, warehouse, bank, carrier, outsider, appleBatch } =
        await loadFixture(appleBatchFixture);
      for (const badCarrier of [bank, outsider]) {
        await expect(ledger.connect(orchard).ship(appleBatch, warehouse.address, 1n, badCarrier.address, ZERO_HASH))
          .to.be.revertedWithCustomError(ledger, "InvalidCarrier")
          .withArgs(badCarrier.address);
      }
      await registry.connect(admin).suspend(carrier.address, ZERO_HASH);
      await expect(ledger.connect(orchard).ship(appleBatch, warehouse.address, 1n, carrier.address, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "InvalidCarrier")
        .withArgs(carrier.address);
    });

    it("reverts with InsufficientQuantity(requested, available) when shipping more than the batch holds", async function () {
      const { ledger, orchard, warehouse, appleBatch } = await loadFixture(appleBatchFixture);
      await expect(ledger.connect(orchard).ship(appleBatch, warehouse.address, APPLE_QUANTITY + 1n, ZERO_ADDRESS, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "InsufficientQuantity")
        .withArgs(appleBatch, APPLE_QUANTITY + 1n, APPLE_QUANTITY);
    });

    it("reverts with ZeroQuantity when shipping nothing", async function () {
      const { ledger, orchard, warehouse, appleBatch } = await loadFixture(appleBatchFixture);
      await expect(
        ledger.connect(orchard).ship(appleBatch, warehouse.address, 0n, ZERO_ADDRESS, ZERO_HASH),
      ).to.be.revertedWithCustomError(ledger, "ZeroQuantity");
    });

    it("reverts with UnknownBatch for an unknown id", async function () {
      const { ledger, orchard, warehouse } = await loadFixture(appleBatchFixture);
      await expect(ledger.connect(orchard).ship(0n, warehouse.address, 1n, ZERO_ADDRESS, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "UnknownBatch")
        .withArgs(0n);
    });
  });

  describe("ship: batches that cannot move", function () {
    it("reverts with BatchInTransit for a batch already shipped", async function () {
      const { ledger, orchard, warehouse, juicePlant, appleBatch } = await loadFixture(appleBatchFixture);
      await ledger.connect(orchard).ship(appleBatch, warehouse.address, APPLE_QUANTITY, ZERO_ADDRESS, ZERO_HASH);
      await expect(ledger.connect(orchard).ship(appleBatch, juicePlant.address, 1n, ZERO_ADDRESS, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchInTransit")
        .withArgs(appleBatch);
    });

    it("reverts with BatchOnHold for a batch on hold", async function () {
      const { ledger, orchard, regulator, warehouse, appleBatch } = await loadFixture(appleBatchFixture);
      await ledger.connect(regulator).hold(appleBatch, hashOf("lab test pending"));
      await expect(ledger.connect(orchard).ship(appleBatch, warehouse.address, 1n, ZERO_ADDRESS, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchOnHold")
        .withArgs(appleBatch);
    });

    it("reverts with BatchRecalled for a recalled batch", async function () {
      const { ledger, orchard, warehouse, appleBatch } = await loadFixture(appleBatchFixture);
      await ledger.connect(orchard).recall(appleBatch, hashOf("contamination"));
      await expect(ledger.connect(orchard).ship(appleBatch, warehouse.address, 1n, ZERO_ADDRESS, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchRecalled")
        .withArgs(appleBatch);
    });

    it("reverts with BatchConsumed for a batch used up by a transformation", async function () {
      const { ledger, juicePlant, warehouse, appleBatch } = await loadFixture(applesAtJuicePlantFixture);
      await ledger
        .connect(juicePlant)
        .transform([input(appleBatch, APPLE_QUANTITY)], [output(GTIN.JUICE, 600n, LTR)], ZERO_HASH);
      await expect(ledger.connect(juicePlant).ship(appleBatch, warehouse.address, 1n, ZERO_ADDRESS, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchConsumed")
        .withArgs(appleBatch);
    });
  });
});
