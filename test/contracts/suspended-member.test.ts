/// <reference types="mocha" />
import { expect } from "chai";
import {
  appleBatchFixture,
  GTIN,
  gtin,
  hashOf,
  HS,
  input,
  KGM,
  loadFixture,
  LTR,
  output,
  REGION,
  Role,
  ZERO_ADDRESS,
  ZERO_HASH,
} from "./fixtures";

/** The orchard holds batch 1 (800 KGM) and has shipped batch 2 (200 KGM) to the warehouse. */
async function shipmentPendingFixture() {
  const f = await loadFixture(appleBatchFixture);
  await f.ledger.connect(f.orchard).ship(f.appleBatch, f.warehouse.address, 200n, ZERO_ADDRESS, ZERO_HASH);
  return { ...f, inTransit: f.appleBatch + 1n };
}

type F = Awaited<ReturnType<typeof shipmentPendingFixture>>;

/** Everything an orchard, warehouse or inspector might try, with the MissingRole it must get when inactive. */
const ACTIONS: { what: string; actor: "orchard" | "warehouse" | "inspector"; role: number; run: (f: F) => Promise<unknown> }[] = [
  {
    what: "register a product",
    actor: "orchard",
    role: Role.ENTERPRISE,
    run: (f) => f.ledger.connect(f.orchard).registerProduct(gtin("690123456780"), HS.APPLES, "", ""),
  },
  {
    what: "commission a batch",
    actor: "orchard",
    role: Role.ENTERPRISE,
    run: (f) => f.ledger.connect(f.orchard).commission(GTIN.APPLES, "L", 1n, KGM, REGION.YANTAI, 0n, ZERO_HASH),
  },
  {
    what: "ship a batch it holds",
    actor: "orchard",
    role: Role.ANY_MEMBER,
    run: (f) => f.ledger.connect(f.orchard).ship(f.appleBatch, f.juicePlant.address, 1n, ZERO_ADDRESS, ZERO_HASH),
  },
  {
    what: "transform a batch it holds",
    actor: "orchard",
    role: Role.ENTERPRISE,
    run: (f) =>
      f.ledger.connect(f.orchard).transform([input(f.appleBatch, 1n)], [output(GTIN.JUICE, 1n, LTR)], ZERO_HASH),
  },
  {
    what: "anchor a root",
    actor: "orchard",
    role: Role.ANY_MEMBER,
    run: (f) => f.ledger.connect(f.orchard).anchor(hashOf("root"), 1, ""),
  },
  {
    what: "record a reading",
    actor: "orchard",
    role: Role.ANY_MEMBER,
    run: (f) => f.ledger.connect(f.orchard).recordReading(f.appleBatch, hashOf("reading")),
  },
  {
    what: "receive a shipment addressed to it",
    actor: "warehouse",
    role: Role.ANY_MEMBER,
    run: (f) => f.ledger.connect(f.warehouse).receiveShipment(f.inTransit),
  },
  {
    what: "reject a shipment addressed to it",
    actor: "warehouse",
    role: Role.ANY_MEMBER,
    run: (f) => f.ledger.connect(f.warehouse).rejectShipment(f.inTransit, ZERO_HASH),
  },
  {
    what: "record an inspection",
    actor: "inspector",
    role: Role.INSPECTOR,
    run: (f) => f.ledger.connect(f.inspector).recordInspection(f.appleBatch, true, ZERO_HASH),
  },
];

for (const action of ["suspend", "revoke"] as const) {
  describe(`ProvenanceLedger: a ${action === "suspend" ? "suspended" : "revoked"} member can do nothing`, function () {
    for (const { what, actor, role, run } of ACTIONS) {
      it(`cannot ${what} (MissingRole(${actor}, ${role}))`, async function () {
        const f = await loadFixture(shipmentPendingFixture);
        await f.registry.connect(f.admin)[action](f[actor].address, hashOf("licence withdrawn"));
        await expect(run(f))
          .to.be.revertedWithCustomError(f.registry, "MissingRole")
          .withArgs(f[actor].address, role);
      });
    }

    it("cannot hold or recall its own batches (NotProducerOrRegulator)", async function () {
      const f = await loadFixture(shipmentPendingFixture);
      await f.registry.connect(f.admin)[action](f.orchard.address, ZERO_HASH);
      for (const call of [
        () => f.ledger.connect(f.orchard).hold(f.appleBatch, ZERO_HASH),
        () => f.ledger.connect(f.orchard).recall(f.appleBatch, ZERO_HASH),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(f.ledger, "NotProducerOrRegulator")
          .withArgs(f.appleBatch, f.orchard.address);
      }
    });

    it("cannot be shipped to (MissingRole(to, 0))", async function () {
      const f = await loadFixture(shipmentPendingFixture);
      await f.registry.connect(f.admin)[action](f.juicePlant.address, ZERO_HASH);
      await expect(f.ledger.connect(f.orchard).ship(f.appleBatch, f.juicePlant.address, 1n, ZERO_ADDRESS, ZERO_HASH))
        .to.be.revertedWithCustomError(f.registry, "MissingRole")
        .withArgs(f.juicePlant.address, Role.ANY_MEMBER);
    });
  });
}

describe("ProvenanceLedger: a reinstated member acts again", function () {
  it("can ship, receive, commission, anchor and inspect after reinstatement", async function () {
    const f = await loadFixture(shipmentPendingFixture);
    for (const who of [f.orchard, f.warehouse, f.inspector]) {
      await f.registry.connect(f.admin).suspend(who.address, ZERO_HASH);
      await f.registry.connect(f.admin).reinstate(who.address, ZERO_HASH);
    }
    await expect(f.ledger.connect(f.warehouse).receiveShipment(f.inTransit)).to.emit(f.ledger, "BatchReceived");
    await expect(
      f.ledger.connect(f.orchard).ship(f.appleBatch, f.juicePlant.address, 1n, ZERO_ADDRESS, ZERO_HASH),
    ).to.emit(f.ledger, "BatchShipped");
    await expect(
      f.ledger.connect(f.orchard).commission(GTIN.APPLES, "L", 1n, KGM, REGION.YANTAI, 0n, ZERO_HASH),
    ).to.emit(f.ledger, "BatchCommissioned");
    await expect(f.ledger.connect(f.orchard).anchor(hashOf("root"), 1, "")).to.emit(f.ledger, "RootAnchored");
    await expect(f.ledger.connect(f.inspector).recordInspection(f.appleBatch, true, ZERO_HASH)).to.emit(
      f.ledger,
      "InspectionRecorded",
    );
  });

  it("a shipment to a member suspended while it travels waits until reinstatement (the shipper cannot cancel it)", async function () {
    const f = await loadFixture(shipmentPendingFixture);
    await f.registry.connect(f.admin).suspend(f.warehouse.address, ZERO_HASH);
    await expect(f.ledger.connect(f.warehouse).receiveShipment(f.inTransit))
      .to.be.revertedWithCustomError(f.registry, "MissingRole")
      .withArgs(f.warehouse.address, Role.ANY_MEMBER);
    await expect(f.ledger.connect(f.orchard).ship(f.inTransit, f.juicePlant.address, 1n, ZERO_ADDRESS, ZERO_HASH))
      .to.be.revertedWithCustomError(f.ledger, "BatchInTransit")
      .withArgs(f.inTransit);
    await f.registry.connect(f.admin).reinstate(f.warehouse.address, ZERO_HASH);
    await expect(f.ledger.connect(f.warehouse).receiveShipment(f.inTransit)).to.emit(f.ledger, "BatchReceived");
  });
});
