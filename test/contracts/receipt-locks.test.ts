/// <reference types="mocha" />
import { expect } from "chai";
import {
  APPLE_QUANTITY,
  appleBatchFixture,
  BatchStatus,
  GTIN,
  hashOf,
  input,
  KGM,
  loadFixture,
  output,
  REGION,
  Role,
  ZERO_ADDRESS,
  ZERO_HASH,
} from "./fixtures";
import {
  appleReceiptFixture,
  applesInWarehouseFixture,
  impersonateReceipts,
  issuance,
  issueReceipt,
} from "./receipt-fixtures";

const RELEASE_NOTE = hashOf("release note QD-WH-0001");

describe("ProvenanceLedger: warehouse receipt locks", function () {
  describe("binding", function () {
    it("names the warehouse-receipt contract given at deployment; no batch starts locked", async function () {
      const { ledger, receipts, appleBatch } = await loadFixture(appleBatchFixture);
      expect(await ledger.warehouseReceipts()).to.equal(await receipts.getAddress());
      expect(await ledger.isUnderReceipt(appleBatch)).to.equal(false);
      expect((await ledger.batchOf(appleBatch)).underReceipt).to.equal(false);
    });

    it("refuses lockForReceipt, splitLocked and releaseFromReceipt from anyone else (NotWarehouseReceipts)", async function () {
      const { ledger, admin, warehouse, juicePlant, appleBatch } = await loadFixture(applesInWarehouseFixture);
      for (const caller of [warehouse, admin]) {
        await expect(ledger.connect(caller).lockForReceipt(appleBatch, warehouse.address, 1n))
          .to.be.revertedWithCustomError(ledger, "NotWarehouseReceipts")
          .withArgs(caller.address);
        await expect(ledger.connect(caller).splitLocked(appleBatch, 1n))
          .to.be.revertedWithCustomError(ledger, "NotWarehouseReceipts")
          .withArgs(caller.address);
        await expect(ledger.connect(caller).releaseFromReceipt(appleBatch, juicePlant.address, ZERO_HASH))
          .to.be.revertedWithCustomError(ledger, "NotWarehouseReceipts")
          .withArgs(caller.address);
      }
    });
  });

  describe("lockForReceipt", function () {
    it("locks the whole batch in place (no split) when the receipt covers all of it", async function () {
      const { ledger, receipts, warehouse, orchard, appleBatch } = await loadFixture(applesInWarehouseFixture);
      const tx = receipts.connect(warehouse).issue(await issuance(appleBatch, orchard));
      await expect(tx).not.to.emit(ledger, "BatchSplit");
      await tx;
      const batch = await ledger.batchOf(appleBatch);
      expect(batch.underReceipt).to.equal(true);
      expect(batch.status).to.equal(BatchStatus.Active);
      expect(batch.custodian).to.equal(warehouse.address);
      expect(batch.quantity).to.equal(APPLE_QUANTITY);
      expect(await ledger.isUnderReceipt(appleBatch)).to.equal(true);
    });

    it("splits a child off for part of the batch (BatchSplit) and locks only the child", async function () {
      const { ledger, receipts, warehouse, orchard, appleBatch } = await loadFixture(applesInWarehouseFixture);
      const childId = appleBatch + 1n;
      const tx = receipts.connect(warehouse).issue(await issuance(appleBatch, orchard, { quantity: 400n }));
      await expect(tx).to.emit(ledger, "BatchSplit").withArgs(appleBatch, childId, 400n);

      const parent = await ledger.batchOf(appleBatch);
      const child = await ledger.batchOf(childId);
      expect([parent.quantity, parent.underReceipt]).to.deep.equal([600n, false]);
      expect([child.quantity, child.underReceipt, child.parentId]).to.deep.equal([400n, true, appleBatch]);
      expect(child.custodian).to.equal(warehouse.address);
      expect(child.gtin).to.equal(GTIN.APPLES);
      expect(child.unit).to.equal(KGM);
      expect(child.originRegion).to.equal(REGION.YANTAI);
    });

    it("returns the locked batch id to the receipt contract", async function () {
      const f = await loadFixture(applesInWarehouseFixture);
      const asReceipts = await impersonateReceipts(f);
      expect(await f.ledger.connect(asReceipts).lockForReceipt.staticCall(f.appleBatch, f.warehouse.address, APPLE_QUANTITY)).to.equal(
        f.appleBatch,
      );
      expect(await f.ledger.connect(asReceipts).lockForReceipt.staticCall(f.appleBatch, f.warehouse.address, 1n)).to.equal(
        f.appleBatch + 1n,
      );
    });

    it("reverts with NotCustodian(batchId, warehouse, custodian) for goods the warehouse does not hold", async function () {
      const f = await loadFixture(appleBatchFixture);
      const asReceipts = await impersonateReceipts(f);
      await expect(f.ledger.connect(asReceipts).lockForReceipt(f.appleBatch, f.warehouse.address, 1n))
        .to.be.revertedWithCustomError(f.ledger, "NotCustodian")
        .withArgs(f.appleBatch, f.warehouse.address, f.orchard.address);
    });

    it("reverts with ZeroQuantity and InsufficientQuantity(requested, available)", async function () {
      const f = await loadFixture(applesInWarehouseFixture);
      const asReceipts = await impersonateReceipts(f);
      await expect(f.ledger.connect(asReceipts).lockForReceipt(f.appleBatch, f.warehouse.address, 0n)).to.be.revertedWithCustomError(
        f.ledger,
        "ZeroQuantity",
      );
      await expect(f.ledger.connect(asReceipts).lockForReceipt(f.appleBatch, f.warehouse.address, APPLE_QUANTITY + 1n))
        .to.be.revertedWithCustomError(f.ledger, "InsufficientQuantity")
        .withArgs(f.appleBatch, APPLE_QUANTITY + 1n, APPLE_QUANTITY);
    });

    it("reverts with BatchUnderReceipt when the batch is locked already, for all or part of it", async function () {
      const f = await loadFixture(appleReceiptFixture);
      const asReceipts = await impersonateReceipts(f);
      for (const quantity of [APPLE_QUANTITY, 1n]) {
        await expect(f.ledger.connect(asReceipts).lockForReceipt(f.appleBatch, f.warehouse.address, quantity))
          .to.be.revertedWithCustomError(f.ledger, "BatchUnderReceipt")
          .withArgs(f.appleBatch);
      }
    });

    it("reverts with UnknownBatch, BatchInTransit, BatchConsumed, BatchOnHold and BatchRecalled for batches that cannot be locked", async function () {
      const f = await loadFixture(applesInWarehouseFixture);
      const asReceipts = await impersonateReceipts(f);
      const lock = (batchId: bigint) => f.ledger.connect(asReceipts).lockForReceipt(batchId, f.warehouse.address, 1n);
      await expect(lock(99n)).to.be.revertedWithCustomError(f.ledger, "UnknownBatch").withArgs(99n);

      const shipped = f.appleBatch + 1n;
      await f.ledger.connect(f.warehouse).ship(f.appleBatch, f.juicePlant.address, 100n, ZERO_ADDRESS, ZERO_HASH);
      await expect(lock(shipped)).to.be.revertedWithCustomError(f.ledger, "BatchInTransit").withArgs(shipped);
      await f.ledger.connect(f.juicePlant).receiveShipment(shipped);
      await f.ledger.connect(f.juicePlant).transform([input(shipped, 100n)], [output(GTIN.JUICE, 60n)], ZERO_HASH);
      await expect(f.ledger.connect(asReceipts).lockForReceipt(shipped, f.juicePlant.address, 1n))
        .to.be.revertedWithCustomError(f.ledger, "BatchConsumed")
        .withArgs(shipped);

      await f.ledger.connect(f.regulator).hold(f.appleBatch, hashOf("lab test"));
      await expect(lock(f.appleBatch)).to.be.revertedWithCustomError(f.ledger, "BatchOnHold").withArgs(f.appleBatch);
      await f.ledger.connect(f.regulator).recall(f.appleBatch, hashOf("contamination"));
      await expect(lock(f.appleBatch)).to.be.revertedWithCustomError(f.ledger, "BatchRecalled").withArgs(f.appleBatch);
    });
  });

  describe("a locked batch stays in the warehouse", function () {
    it("cannot be shipped, whole or in part, by its custodian (BatchUnderReceipt)", async function () {
      const { ledger, warehouse, juicePlant, carrier, appleBatch } = await loadFixture(appleReceiptFixture);
      for (const quantity of [APPLE_QUANTITY, 1n]) {
        await expect(ledger.connect(warehouse).ship(appleBatch, juicePlant.address, quantity, carrier.address, ZERO_HASH))
          .to.be.revertedWithCustomError(ledger, "BatchUnderReceipt")
          .withArgs(appleBatch);
      }
    });

    it("still answers NotCustodian to anyone but the custodian", async function () {
      const { ledger, orchard, juicePlant, warehouse, appleBatch } = await loadFixture(appleReceiptFixture);
      await expect(ledger.connect(orchard).ship(appleBatch, juicePlant.address, 1n, ZERO_ADDRESS, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "NotCustodian")
        .withArgs(appleBatch, orchard.address, warehouse.address);
    });

    it("cannot be transformed by a custodian that is also an enterprise (BatchUnderReceipt)", async function () {
      const { ledger, registry, admin, warehouse, appleBatch } = await loadFixture(appleReceiptFixture);
      await registry.connect(admin).setRoles(warehouse.address, Role.WAREHOUSE | Role.ENTERPRISE);
      await expect(ledger.connect(warehouse).transform([input(appleBatch, 1n)], [output(GTIN.JUICE, 1n)], ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "BatchUnderReceipt")
        .withArgs(appleBatch);
    });

    it("leaves the free remainder of a partly receipted batch usable", async function () {
      const { ledger, receipts, warehouse, orchard, juicePlant, appleBatch } = await loadFixture(applesInWarehouseFixture);
      await issueReceipt(receipts, warehouse, await issuance(appleBatch, orchard, { quantity: 400n }));
      await expect(ledger.connect(warehouse).ship(appleBatch, juicePlant.address, 600n, ZERO_ADDRESS, ZERO_HASH))
        .to.emit(ledger, "BatchShipped")
        .withArgs(appleBatch, warehouse.address, juicePlant.address, 600n, ZERO_ADDRESS, ZERO_HASH);
    });

    it("can still be held, released and recalled by the producer or a regulator; the lock stays", async function () {
      const { ledger, orchard, regulator, appleBatch } = await loadFixture(appleReceiptFixture);
      await expect(ledger.connect(regulator).hold(appleBatch, hashOf("lab test")))
        .to.emit(ledger, "HoldPlaced")
        .withArgs(appleBatch, regulator.address, hashOf("lab test"));
      await expect(ledger.connect(orchard).releaseHold(appleBatch, hashOf("cleared")))
        .to.emit(ledger, "HoldReleased")
        .withArgs(appleBatch, orchard.address, hashOf("cleared"));
      await expect(ledger.connect(regulator).recall(appleBatch, hashOf("contamination")))
        .to.emit(ledger, "RecallIssued")
        .withArgs(appleBatch, regulator.address, hashOf("contamination"));
      const batch = await ledger.batchOf(appleBatch);
      expect(batch.status).to.equal(BatchStatus.Recalled);
      expect(batch.underReceipt).to.equal(true);
    });
  });

  describe("splitLocked", function () {
    it("splits a locked child off (BatchSplit); both stay locked and the quantity is conserved", async function () {
      const f = await loadFixture(appleReceiptFixture);
      const asReceipts = await impersonateReceipts(f);
      const childId = f.appleBatch + 1n;
      expect(await f.ledger.connect(asReceipts).splitLocked.staticCall(f.appleBatch, 250n)).to.equal(childId);
      await expect(f.ledger.connect(asReceipts).splitLocked(f.appleBatch, 250n))
        .to.emit(f.ledger, "BatchSplit")
        .withArgs(f.appleBatch, childId, 250n);

      const parent = await f.ledger.batchOf(f.appleBatch);
      const child = await f.ledger.batchOf(childId);
      expect(parent.quantity + child.quantity).to.equal(APPLE_QUANTITY);
      expect([parent.underReceipt, child.underReceipt]).to.deep.equal([true, true]);
      expect(child.custodian).to.equal(f.warehouse.address);
      expect(child.status).to.equal(BatchStatus.Active);
    });

    it("reverts with BatchNotUnderReceipt for a batch that is not locked", async function () {
      const f = await loadFixture(applesInWarehouseFixture);
      const asReceipts = await impersonateReceipts(f);
      await expect(f.ledger.connect(asReceipts).splitLocked(f.appleBatch, 1n))
        .to.be.revertedWithCustomError(f.ledger, "BatchNotUnderReceipt")
        .withArgs(f.appleBatch);
    });

    it("reverts with ZeroQuantity, and InsufficientQuantity unless something is left for the locked batch", async function () {
      const f = await loadFixture(appleReceiptFixture);
      const asReceipts = await impersonateReceipts(f);
      await expect(f.ledger.connect(asReceipts).splitLocked(f.appleBatch, 0n)).to.be.revertedWithCustomError(f.ledger, "ZeroQuantity");
      for (const quantity of [APPLE_QUANTITY, APPLE_QUANTITY + 1n]) {
        await expect(f.ledger.connect(asReceipts).splitLocked(f.appleBatch, quantity))
          .to.be.revertedWithCustomError(f.ledger, "InsufficientQuantity")
          .withArgs(f.appleBatch, quantity, APPLE_QUANTITY);
      }
    });

    it("reverts with BatchOnHold / BatchRecalled: a split child starts active, so held goods are not split", async function () {
      const f = await loadFixture(appleReceiptFixture);
      const asReceipts = await impersonateReceipts(f);
      await f.ledger.connect(f.regulator).hold(f.appleBatch, ZERO_HASH);
      await expect(f.ledger.connect(asReceipts).splitLocked(f.appleBatch, 1n))
        .to.be.revertedWithCustomError(f.ledger, "BatchOnHold")
        .withArgs(f.appleBatch);
      await f.ledger.connect(f.regulator).recall(f.appleBatch, ZERO_HASH);
      await expect(f.ledger.connect(asReceipts).splitLocked(f.appleBatch, 1n))
        .to.be.revertedWithCustomError(f.ledger, "BatchRecalled")
        .withArgs(f.appleBatch);
    });
  });

  describe("releaseFromReceipt", function () {
    it("unlocks the batch and moves custody to the holder with BatchShipped then BatchReceived (no carrier)", async function () {
      const f = await loadFixture(appleReceiptFixture);
      const asReceipts = await impersonateReceipts(f);
      const tx = f.ledger.connect(asReceipts).releaseFromReceipt(f.appleBatch, f.juicePlant.address, RELEASE_NOTE);
      await expect(tx)
        .to.emit(f.ledger, "BatchShipped")
        .withArgs(f.appleBatch, f.warehouse.address, f.juicePlant.address, APPLE_QUANTITY, ZERO_ADDRESS, RELEASE_NOTE);
      await expect(tx).to.emit(f.ledger, "BatchReceived").withArgs(f.appleBatch, f.warehouse.address, f.juicePlant.address);

      const receipt = await (await tx).wait();
      const names = receipt!.logs.map((log) => f.ledger.interface.parseLog(log)?.name);
      expect(names).to.deep.equal(["BatchShipped", "BatchReceived"]);

      const batch = await f.ledger.batchOf(f.appleBatch);
      expect(batch.custodian).to.equal(f.juicePlant.address);
      expect(batch.status).to.equal(BatchStatus.Active);
      expect(batch.pendingRecipient).to.equal(ZERO_ADDRESS);
      expect(batch.underReceipt).to.equal(false);
      // The new custodian uses the goods like any other batch.
      await expect(f.ledger.connect(f.juicePlant).ship(f.appleBatch, f.orchard.address, 10n, ZERO_ADDRESS, ZERO_HASH)).to.emit(
        f.ledger,
        "BatchShipped",
      );
    });

    it("only unlocks, with no event, when the holder is the warehouse itself", async function () {
      const f = await loadFixture(appleReceiptFixture);
      const asReceipts = await impersonateReceipts(f);
      const tx = f.ledger.connect(asReceipts).releaseFromReceipt(f.appleBatch, f.warehouse.address, RELEASE_NOTE);
      await expect(tx).not.to.emit(f.ledger, "BatchShipped");
      await expect(tx).not.to.emit(f.ledger, "BatchReceived");
      const batch = await f.ledger.batchOf(f.appleBatch);
      expect([batch.custodian, batch.underReceipt]).to.deep.equal([f.warehouse.address, false]);
    });

    it("reverts with BatchNotUnderReceipt for a batch that is not locked", async function () {
      const f = await loadFixture(applesInWarehouseFixture);
      const asReceipts = await impersonateReceipts(f);
      await expect(f.ledger.connect(asReceipts).releaseFromReceipt(f.appleBatch, f.orchard.address, ZERO_HASH))
        .to.be.revertedWithCustomError(f.ledger, "BatchNotUnderReceipt")
        .withArgs(f.appleBatch);
    });

    it("reverts with BatchOnHold / BatchRecalled: held or recalled goods do not leave the warehouse", async function () {
      const f = await loadFixture(appleReceiptFixture);
      const asReceipts = await impersonateReceipts(f);
      await f.ledger.connect(f.orchard).hold(f.appleBatch, ZERO_HASH);
      await expect(f.ledger.connect(asReceipts).releaseFromReceipt(f.appleBatch, f.orchard.address, ZERO_HASH))
        .to.be.revertedWithCustomError(f.ledger, "BatchOnHold")
        .withArgs(f.appleBatch);
      await f.ledger.connect(f.orchard).recall(f.appleBatch, ZERO_HASH);
      await expect(f.ledger.connect(asReceipts).releaseFromReceipt(f.appleBatch, f.orchard.address, ZERO_HASH))
        .to.be.revertedWithCustomError(f.ledger, "BatchRecalled")
        .withArgs(f.appleBatch);
    });

    it("reverts with MissingRole(to, 0) for a recipient that is not an active member", async function () {
      const f = await loadFixture(appleReceiptFixture);
      const asReceipts = await impersonateReceipts(f);
      await f.registry.connect(f.admin).suspend(f.juicePlant.address, ZERO_HASH);
      for (const to of [f.outsider, f.juicePlant]) {
        await expect(f.ledger.connect(asReceipts).releaseFromReceipt(f.appleBatch, to.address, ZERO_HASH))
          .to.be.revertedWithCustomError(f.registry, "MissingRole")
          .withArgs(to.address, Role.ANY_MEMBER);
      }
    });
  });
});
