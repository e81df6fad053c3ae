/// <reference types="mocha" />
import { expect } from "chai";
import { APPLE_QUANTITY, appleBatchFixture, BatchStatus, hashOf, loadFixture, Role, ZERO_ADDRESS } from "./fixtures";

const WAYBILL = hashOf("waybill YT-QD-0002");
const REASON = hashOf("consignee suspended");

describe("ProvenanceLedger: cancelShipment", function () {
  async function shippedFixture() {
    const f = await loadFixture(appleBatchFixture);
    await f.ledger.connect(f.orchard).ship(f.appleBatch, f.warehouse.address, APPLE_QUANTITY, ZERO_ADDRESS, WAYBILL);
    return f;
  }

  it("returns an unreceived shipment to the shipper, active, and emits ShipmentCancelled", async function () {
    const { ledger, orchard, warehouse, appleBatch } = await loadFixture(shippedFixture);
    await expect(ledger.connect(orchard).cancelShipment(appleBatch, REASON))
      .to.emit(ledger, "ShipmentCancelled")
      .withArgs(appleBatch, orchard.address, warehouse.address, REASON);
    const batch = await ledger.batchOf(appleBatch);
    expect(batch.status).to.equal(BatchStatus.Active);
    expect(batch.custodian).to.equal(orchard.address);
    expect(batch.pendingRecipient).to.equal(ZERO_ADDRESS);
    await expect(ledger.connect(warehouse).receiveShipment(appleBatch))
      .to.be.revertedWithCustomError(ledger, "BatchNotInTransit")
      .withArgs(appleBatch);
  });

  it("frees goods stuck in transit to a recipient suspended meanwhile", async function () {
    const { ledger, registry, admin, orchard, warehouse, appleBatch } = await loadFixture(shippedFixture);
    await registry.connect(admin).suspend(warehouse.address, REASON);
    await expect(ledger.connect(warehouse).receiveShipment(appleBatch))
      .to.be.revertedWithCustomError(registry, "MissingRole")
      .withArgs(warehouse.address, Role.ANY_MEMBER);
    await expect(ledger.connect(orchard).cancelShipment(appleBatch, REASON)).to.emit(ledger, "ShipmentCancelled");
  });

  it("reverts with NotCustodian for anyone but the shipper, the recipient included", async function () {
    const { ledger, orchard, warehouse, appleBatch } = await loadFixture(shippedFixture);
    await expect(ledger.connect(warehouse).cancelShipment(appleBatch, REASON))
      .to.be.revertedWithCustomError(ledger, "NotCustodian")
      .withArgs(appleBatch, warehouse.address, orchard.address);
  });

  it("reverts with BatchNotInTransit when nothing is in transit, and UnknownBatch for an unknown id", async function () {
    const { ledger, orchard, appleBatch } = await loadFixture(appleBatchFixture);
    await expect(ledger.connect(orchard).cancelShipment(appleBatch, REASON))
      .to.be.revertedWithCustomError(ledger, "BatchNotInTransit")
      .withArgs(appleBatch);
    await expect(ledger.connect(orchard).cancelShipment(999n, REASON))
      .to.be.revertedWithCustomError(ledger, "UnknownBatch")
      .withArgs(999n);
  });

  it("reverts with MissingRole for a suspended shipper", async function () {
    const { ledger, registry, admin, orchard, appleBatch } = await loadFixture(shippedFixture);
    await registry.connect(admin).suspend(orchard.address, REASON);
    await expect(ledger.connect(orchard).cancelShipment(appleBatch, REASON))
      .to.be.revertedWithCustomError(registry, "MissingRole")
      .withArgs(orchard.address, Role.ANY_MEMBER);
  });
});
