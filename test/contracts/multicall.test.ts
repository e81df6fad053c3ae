import { expect } from "chai";
import { ethers } from "hardhat";
import { APPLE_QUANTITY, BatchStatus, GTIN, KGM, REGION, Role, ZERO_ADDRESS, appleBatchFixture, hashOf, loadFixture } from "./fixtures";

describe("ProvenanceLedger multicall", () => {
  it("runs a member's operations in one transaction, each as that member", async () => {
    const { ledger, orchard, juicePlant } = await loadFixture(appleBatchFixture);
    const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const calls = [
      ledger.interface.encodeFunctionData("commission", [GTIN.APPLES, "LOT-M1", 10n, KGM, REGION.YANTAI, now, hashOf("m1")]),
      ledger.interface.encodeFunctionData("commission", [GTIN.APPLES, "LOT-M2", 20n, KGM, REGION.YANTAI, now, hashOf("m2")]),
      ledger.interface.encodeFunctionData("ship", [1n, juicePlant.address, APPLE_QUANTITY, ZERO_ADDRESS, hashOf("waybill")]),
    ];
    await expect(ledger.connect(orchard).multicall(calls))
      .to.emit(ledger, "BatchCommissioned")
      .and.to.emit(ledger, "BatchShipped")
      .withArgs(1n, orchard.address, juicePlant.address, APPLE_QUANTITY, ZERO_ADDRESS, hashOf("waybill"));
    expect((await ledger.batchOf(2n)).producer).to.equal(orchard.address);
    expect((await ledger.batchOf(3n)).quantity).to.equal(20n);
    expect((await ledger.batchOf(1n)).status).to.equal(BatchStatus.InTransit);
  });

  it("reverts as a whole, with the failing call's custom error", async () => {
    const { ledger, registry, orchard, outsider } = await loadFixture(appleBatchFixture);
    const calls = [
      ledger.interface.encodeFunctionData("recordReading", [1n, hashOf("r1")]),
      ledger.interface.encodeFunctionData("ship", [1n, outsider.address, 1n, ZERO_ADDRESS, hashOf("w")]),
    ];
    await expect(ledger.connect(orchard).multicall(calls))
      .to.be.revertedWithCustomError(registry, "MissingRole")
      .withArgs(outsider.address, Role.ANY_MEMBER);
  });
});
