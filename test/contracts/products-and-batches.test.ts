/// <reference types="mocha" />
import { expect } from "chai";
import {
  APPLE_LOT,
  APPLE_QUANTITY,
  appleBatchFixture,
  BatchStatus,
  consortiumFixture,
  GTIN,
  gtin,
  gtinCheckDigit,
  H87,
  hashOf,
  HS,
  KGM,
  loadFixture,
  LTR,
  productsFixture,
  REGION,
  Role,
  time,
  unit,
  withWrongCheckDigit,
  ZERO_ADDRESS,
  ZERO_HASH,
} from "./fixtures";

describe("ProvenanceLedger: products and batches", function () {
  describe("the GTIN helper of this suite", function () {
    it("computes published GS1 check digits", function () {
      expect(gtin("690123456789")).to.equal(6901234567892n); // GTIN-13
      expect(gtin("400638133393")).to.equal(4006381333931n); // GTIN-13 (EAN example)
      expect(gtin("03600029145")).to.equal(36000291452n); // GTIN-12 (UPC-A example)
      expect(gtin("9638507")).to.equal(96385074n); // GTIN-8
      expect(gtin("1061414100041")).to.equal(10614141000415n); // GTIN-14 (GS1 example)
      expect(gtinCheckDigit("0000000000001")).to.equal(7);
    });

    it("encodes units as left-aligned, zero-padded bytes3", function () {
      expect(H87).to.equal("0x483837");
      expect(KGM).to.equal("0x4b474d");
      expect(unit("KG")).to.equal("0x4b4700");
    });
  });

  describe("registerProduct", function () {
    it("registers a product for an active enterprise and emits ProductRegistered", async function () {
      const { ledger, orchard } = await loadFixture(consortiumFixture);
      await expect(ledger.connect(orchard).registerProduct(GTIN.APPLES, HS.APPLES, "Red Fuji apples", "ipfs://p/a"))
        .to.emit(ledger, "ProductRegistered")
        .withArgs(GTIN.APPLES, orchard.address, HS.APPLES, "Red Fuji apples", "ipfs://p/a");
      expect(await ledger.productRegistrant(GTIN.APPLES)).to.equal(orchard.address);
      expect(await ledger.productRegistrant(GTIN.JUICE)).to.equal(ZERO_ADDRESS);
    });

    const validGtins: [string, bigint][] = [
      ["a GTIN-8", gtin("9638507")],
      ["a GTIN-12", gtin("03600029145")],
      ["a GTIN-13", 6901234567892n],
      ["a GTIN-14", 10614141000415n],
      ["the largest GTIN-14", gtin("9999999999999")],
    ];
    for (const [kind, value] of validGtins) {
      it(`accepts ${kind} with a correct check digit (${value})`, async function () {
        const { ledger, orchard } = await loadFixture(consortiumFixture);
        await expect(ledger.connect(orchard).registerProduct(value, HS.APPLES, "", ""))
          .to.emit(ledger, "ProductRegistered")
          .withArgs(value, orchard.address, HS.APPLES, "", "");
      });
    }

    it("accepts any number below 10^14 whose last digit checks, even with fewer than 8 digits (17)", async function () {
      // Leading zeros vanish in a uint64, so the ledger cannot tell GTIN lengths apart: 17 reads as
      // 00000000000017. GS1 never allocates such codes, but the contract only checks the check digit.
      const { ledger, orchard } = await loadFixture(consortiumFixture);
      await expect(ledger.connect(orchard).registerProduct(17n, HS.APPLES, "", "")).to.emit(ledger, "ProductRegistered");
    });

    const invalidGtins: [string, bigint][] = [
      ["GTIN-8 with a wrong check digit", withWrongCheckDigit(gtin("9638507"))],
      ["GTIN-12 with a wrong check digit", withWrongCheckDigit(gtin("03600029145"))],
      ["GTIN-13 with a wrong check digit", 6901234567893n],
      ["GTIN-14 with a wrong check digit", withWrongCheckDigit(gtin("1690123456789"))],
      ["zero", 0n],
      ["10^14 (15 digits)", 10n ** 14n],
      ["a 15-digit number with a correct check digit", gtin("10000000000000")],
      ["the largest uint64", 2n ** 64n - 1n],
    ];
    for (const [kind, value] of invalidGtins) {
      it(`reverts with InvalidGtin for ${kind}`, async function () {
        const { ledger, orchard } = await loadFixture(consortiumFixture);
        await expect(ledger.connect(orchard).registerProduct(value, HS.APPLES, "", ""))
          .to.be.revertedWithCustomError(ledger, "InvalidGtin")
          .withArgs(value);
      });
    }

    for (const hsCode of ["080810", "08081000", "0808100000"]) {
      it(`accepts the ${hsCode.length}-digit HS code ${hsCode}`, async function () {
        const { ledger, orchard } = await loadFixture(consortiumFixture);
        await expect(ledger.connect(orchard).registerProduct(GTIN.APPLES, hsCode, "", "")).to.emit(
          ledger,
          "ProductRegistered",
        );
      });
    }

    for (const hsCode of ["", "08081", "0808100", "080810000", "08081000000", "0808.1", "08081A", "08081/", "08081:", "0808é" /* 6 bytes in UTF-8 */]) {
      it(`reverts with InvalidHsCode for "${hsCode}"`, async function () {
        const { ledger, orchard } = await loadFixture(consortiumFixture);
        await expect(ledger.connect(orchard).registerProduct(GTIN.APPLES, hsCode, "", ""))
          .to.be.revertedWithCustomError(ledger, "InvalidHsCode")
          .withArgs(hsCode);
      });
    }

    it("reverts with ProductAlreadyRegistered for a GTIN registered before, by anyone", async function () {
      const { ledger, orchard, juicePlant } = await loadFixture(productsFixture);
      for (const caller of [orchard, juicePlant]) {
        await expect(ledger.connect(caller).registerProduct(GTIN.APPLES, HS.APPLES, "", ""))
          .to.be.revertedWithCustomError(ledger, "ProductAlreadyRegistered")
          .withArgs(GTIN.APPLES);
      }
    });

    it("reverts with MissingRole(caller, ENTERPRISE) for a non-enterprise member or a non-member", async function () {
      const { ledger, registry, warehouse, outsider } = await loadFixture(consortiumFixture);
      for (const caller of [warehouse, outsider]) {
        await expect(ledger.connect(caller).registerProduct(GTIN.APPLES, HS.APPLES, "", ""))
          .to.be.revertedWithCustomError(registry, "MissingRole")
          .withArgs(caller.address, Role.ENTERPRISE);
      }
    });

    it("reverts with MissingRole for a suspended enterprise", async function () {
      const { ledger, registry, admin, orchard } = await loadFixture(consortiumFixture);
      await registry.connect(admin).suspend(orchard.address, ZERO_HASH);
      await expect(ledger.connect(orchard).registerProduct(GTIN.APPLES, HS.APPLES, "", ""))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(orchard.address, Role.ENTERPRISE);
    });
  });

  describe("commission", function () {
    it("creates an active batch held by its producer and emits BatchCommissioned with transformationId 0", async function () {
      const { ledger, orchard } = await loadFixture(productsFixture);
      const producedAt = BigInt(await time.latest()) - 86_400n;
      const doc = hashOf("harvest record 2024-10-01");
      const tx = ledger
        .connect(orchard)
        .commission(GTIN.APPLES, APPLE_LOT, APPLE_QUANTITY, KGM, REGION.YANTAI, producedAt, doc);
      await expect(tx)
        .to.emit(ledger, "BatchCommissioned")
        .withArgs(1n, GTIN.APPLES, orchard.address, APPLE_QUANTITY, KGM, REGION.YANTAI, producedAt, doc, 0n, APPLE_LOT);

      expect(await ledger.batchCount()).to.equal(1n);
      const batch = await ledger.batchOf(1n);
      expect(batch.producer).to.equal(orchard.address);
      expect(batch.custodian).to.equal(orchard.address);
      expect(batch.gtin).to.equal(GTIN.APPLES);
      expect(batch.unit).to.equal(KGM);
      expect(batch.quantity).to.equal(APPLE_QUANTITY);
      expect(batch.status).to.equal(BatchStatus.Active);
      expect(batch.pendingRecipient).to.equal(ZERO_ADDRESS);
      expect(batch.parentId).to.equal(0n);
      expect(batch.originRegion).to.equal(REGION.YANTAI);
    });

    it("returns sequential batch ids", async function () {
      const { ledger, orchard, juicePlant } = await loadFixture(appleBatchFixture);
      const producedAt = BigInt(await time.latest());
      const args = [GTIN.JUICE, "J-1", 10n, LTR, REGION.QINGDAO, producedAt, ZERO_HASH] as const;
      expect(await ledger.connect(juicePlant).commission.staticCall(...args)).to.equal(2n);
      await ledger.connect(juicePlant).commission(...args);
      expect(await ledger.batchCount()).to.equal(2n);
      expect((await ledger.batchOf(1n)).producer).to.equal(orchard.address);
      expect((await ledger.batchOf(2n)).producer).to.equal(juicePlant.address);
    });

    it("lets any enterprise commission a product another enterprise registered", async function () {
      const { ledger, juicePlant } = await loadFixture(productsFixture);
      const producedAt = BigInt(await time.latest());
      await expect(
        ledger.connect(juicePlant).commission(GTIN.APPLES, "L", 1n, KGM, REGION.QINGDAO, producedAt, ZERO_HASH),
      ).to.emit(ledger, "BatchCommissioned");
    });

    it("accepts a production time equal to the block time, and rejects one a second later", async function () {
      const { ledger, orchard } = await loadFixture(productsFixture);
      const now = BigInt(await time.latest()) + 100n;
      await time.setNextBlockTimestamp(now);
      await expect(
        ledger.connect(orchard).commission(GTIN.APPLES, "L", 1n, KGM, REGION.YANTAI, now, ZERO_HASH),
      ).to.emit(ledger, "BatchCommissioned");

      await time.setNextBlockTimestamp(now + 10n);
      await expect(ledger.connect(orchard).commission(GTIN.APPLES, "L", 1n, KGM, REGION.YANTAI, now + 11n, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "ProductionTimeInFuture")
        .withArgs(now + 11n, now + 10n);
    });

    it("reverts with UnknownProduct for an unregistered GTIN", async function () {
      const { ledger, orchard } = await loadFixture(productsFixture);
      const unknown = gtin("690123456799");
      await expect(ledger.connect(orchard).commission(unknown, "L", 1n, KGM, REGION.YANTAI, 0n, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "UnknownProduct")
        .withArgs(unknown);
    });

    it("reverts with ZeroQuantity for a quantity of 0", async function () {
      const { ledger, orchard } = await loadFixture(productsFixture);
      await expect(
        ledger.connect(orchard).commission(GTIN.APPLES, "L", 0n, KGM, REGION.YANTAI, 0n, ZERO_HASH),
      ).to.be.revertedWithCustomError(ledger, "ZeroQuantity");
    });

    for (const code of ["KGM", "LTR", "H87", "KG", "C62", "XBX"]) {
      it(`accepts the unit "${code}"`, async function () {
        const { ledger, orchard } = await loadFixture(productsFixture);
        await expect(ledger.connect(orchard).commission(GTIN.APPLES, "L", 1n, unit(code), REGION.YANTAI, 0n, ZERO_HASH))
          .to.emit(ledger, "BatchCommissioned")
          .withArgs(1n, GTIN.APPLES, orchard.address, 1n, unit(code), REGION.YANTAI, 0n, ZERO_HASH, 0n, "L");
      });
    }

    const invalidUnits: [string, string][] = [
      ['lower case "kgm"', unit("kgm")],
      ['lower case "kg"', unit("kg")],
      ["0x000000", "0x000000"],
      ['one letter "K"', unit("K")],
      ['a gap "K\\0M"', "0x4b004d"],
      ['leading zero byte "\\0GM"', "0x00474d"],
      ['a space "KG "', unit("KG ")],
      ['punctuation "KG."', unit("KG.")],
    ];
    for (const [kind, value] of invalidUnits) {
      it(`reverts with InvalidUnit for ${kind}`, async function () {
        const { ledger, orchard } = await loadFixture(productsFixture);
        await expect(ledger.connect(orchard).commission(GTIN.APPLES, "L", 1n, value, REGION.YANTAI, 0n, ZERO_HASH))
          .to.be.revertedWithCustomError(ledger, "InvalidUnit")
          .withArgs(value);
      });
    }

    it("reverts with InvalidOriginRegion for region 0", async function () {
      const { ledger, orchard } = await loadFixture(productsFixture);
      await expect(ledger.connect(orchard).commission(GTIN.APPLES, "L", 1n, KGM, 0, 0n, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "InvalidOriginRegion")
        .withArgs(0);
    });

    it("reverts with MissingRole(caller, ENTERPRISE) for a non-enterprise, a non-member or a suspended enterprise", async function () {
      const { ledger, registry, admin, orchard, warehouse, outsider } = await loadFixture(productsFixture);
      await registry.connect(admin).suspend(orchard.address, ZERO_HASH);
      for (const caller of [warehouse, outsider, orchard]) {
        await expect(ledger.connect(caller).commission(GTIN.APPLES, "L", 1n, KGM, REGION.YANTAI, 0n, ZERO_HASH))
          .to.be.revertedWithCustomError(registry, "MissingRole")
          .withArgs(caller.address, Role.ENTERPRISE);
      }
    });

    it("batchOf an unknown id is an all-zero record", async function () {
      const { ledger } = await loadFixture(appleBatchFixture);
      const batch = await ledger.batchOf(2n);
      expect(batch.status).to.equal(BatchStatus.None);
      expect(batch.producer).to.equal(ZERO_ADDRESS);
      expect(batch.quantity).to.equal(0n);
    });
  });

  describe("observations", function () {
    it("recordInspection by an active inspector emits InspectionRecorded", async function () {
      const { ledger, inspector, appleBatch } = await loadFixture(appleBatchFixture);
      await expect(ledger.connect(inspector).recordInspection(appleBatch, true, hashOf("cert 001")))
        .to.emit(ledger, "InspectionRecorded")
        .withArgs(appleBatch, inspector.address, true, hashOf("cert 001"));
      await expect(ledger.connect(inspector).recordInspection(appleBatch, false, hashOf("cert 002")))
        .to.emit(ledger, "InspectionRecorded")
        .withArgs(appleBatch, inspector.address, false, hashOf("cert 002"));
    });

    it("recordInspection reverts with MissingRole(caller, INSPECTOR) for anyone else", async function () {
      const { ledger, registry, orchard, regulator, outsider, appleBatch } = await loadFixture(appleBatchFixture);
      for (const caller of [orchard, regulator, outsider]) {
        await expect(ledger.connect(caller).recordInspection(appleBatch, true, ZERO_HASH))
          .to.be.revertedWithCustomError(registry, "MissingRole")
          .withArgs(caller.address, Role.INSPECTOR);
      }
    });

    it("recordInspection reverts with UnknownBatch for id 0 and ids not yet used", async function () {
      const { ledger, inspector } = await loadFixture(appleBatchFixture);
      for (const id of [0n, 2n]) {
        await expect(ledger.connect(inspector).recordInspection(id, true, ZERO_HASH))
          .to.be.revertedWithCustomError(ledger, "UnknownBatch")
          .withArgs(id);
      }
    });

    it("recordReading by any active member emits ReadingRecorded", async function () {
      const { ledger, carrier, bank, orchard, appleBatch } = await loadFixture(appleBatchFixture);
      for (const reporter of [carrier, bank, orchard]) {
        await expect(ledger.connect(reporter).recordReading(appleBatch, hashOf("4.1 C, 85% RH")))
          .to.emit(ledger, "ReadingRecorded")
          .withArgs(appleBatch, reporter.address, hashOf("4.1 C, 85% RH"));
      }
    });

    it("recordReading reverts with MissingRole(caller, 0) for a non-member and UnknownBatch for an unknown id", async function () {
      const { ledger, registry, carrier, outsider, appleBatch } = await loadFixture(appleBatchFixture);
      await expect(ledger.connect(outsider).recordReading(appleBatch, ZERO_HASH))
        .to.be.revertedWithCustomError(registry, "MissingRole")
        .withArgs(outsider.address, Role.ANY_MEMBER);
      await expect(ledger.connect(carrier).recordReading(99n, ZERO_HASH))
        .to.be.revertedWithCustomError(ledger, "UnknownBatch")
        .withArgs(99n);
    });

    it("observations are accepted on batches in any state (here: recalled)", async function () {
      const { ledger, inspector, carrier, regulator, appleBatch } = await loadFixture(appleBatchFixture);
      await ledger.connect(regulator).recall(appleBatch, hashOf("pesticide residue"));
      await expect(ledger.connect(inspector).recordInspection(appleBatch, false, ZERO_HASH)).to.emit(
        ledger,
        "InspectionRecorded",
      );
      await expect(ledger.connect(carrier).recordReading(appleBatch, ZERO_HASH)).to.emit(ledger, "ReadingRecorded");
    });
  });
});
