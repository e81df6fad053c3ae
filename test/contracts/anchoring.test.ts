/// <reference types="mocha" />
import { expect } from "chai";
import { consortiumFixture, hashOf, loadFixture, Role, time, ZERO_ADDRESS, ZERO_HASH } from "./fixtures";
import { eventLeaf, hashPair, SortedPairMerkleTree } from "./merkle";

/** Five off-chain events (e.g. sensor readings) of batch 1, as Merkle leaves. */
const LEAVES = [
  eventLeaf(1n, "ObjectEvent/observe", hashOf("2.9 C")),
  eventLeaf(1n, "ObjectEvent/observe", hashOf("3.1 C")),
  eventLeaf(1n, "ObjectEvent/observe", hashOf("3.4 C")),
  eventLeaf(1n, "ObjectEvent/observe", hashOf("3.0 C")),
  eventLeaf(1n, "ObjectEvent/observe", hashOf("2.8 C")),
];
const URI = "ipfs://anchors/batch-1-readings.json";

async function anchoredTreeFixture() {
  const f = await loadFixture(consortiumFixture);
  const tree = new SortedPairMerkleTree(LEAVES);
  await f.ledger.connect(f.warehouse).anchor(tree.root, LEAVES.length, URI);
  return { ...f, tree };
}

describe("ProvenanceLedger: anchoring", function () {
  describe("anchor", function () {
    it("records submitter, time and event count of a new root and emits RootAnchored", async function () {
      const { ledger, carrier } = await loadFixture(consortiumFixture);
      const root = new SortedPairMerkleTree(LEAVES).root;
      const at = BigInt(await time.latest()) + 30n;
      await time.setNextBlockTimestamp(at);
      await expect(ledger.connect(carrier).anchor(root, 5, URI))
        .to.emit(ledger, "RootAnchored")
        .withArgs(root, carrier.address, 5, URI);
      const [submitter, anchoredAt, eventCount] = await ledger.anchorOf(root);
      expect(submitter).to.equal(carrier.address);
      expect(anchoredAt).to.equal(at);
      expect(eventCount).to.equal(5n);
    });

    it("packs the largest event count (2^32 - 1) without disturbing the other fields", async function () {
      const { ledger, bank } = await loadFixture(consortiumFixture);
      const root = hashOf("a big batch of events");
      await ledger.connect(bank).anchor(root, 2n ** 32n - 1n, "");
      const [submitter, anchoredAt, eventCount] = await ledger.anchorOf(root);
      expect(submitter).to.equal(bank.address);
      expect(anchoredAt).to.equal(BigInt(await time.latest()));
      expect(eventCount).to.equal(2n ** 32n - 1n);
    });

    it("anchorOf an unknown root is all zero", async function () {
      const { ledger } = await loadFixture(consortiumFixture);
      const [submitter, anchoredAt, eventCount] = await ledger.anchorOf(hashOf("never anchored"));
      expect(submitter).to.equal(ZERO_ADDRESS);
      expect(anchoredAt).to.equal(0n);
      expect(eventCount).to.equal(0n);
    });

    it("reverts with ZeroRoot for the zero root and ZeroEventCount for no events", async function () {
      const { ledger, carrier } = await loadFixture(consortiumFixture);
      await expect(ledger.connect(carrier).anchor(ZERO_HASH, 1, URI)).to.be.revertedWithCustomError(ledger, "ZeroRoot");
      await expect(ledger.connect(carrier).anchor(hashOf("root"), 0, URI)).to.be.revertedWithCustomError(
        ledger,
        "ZeroEventCount",
      );
    });

    it("reverts with RootAlreadyAnchored for a root anchored before, by anyone", async function () {
      const { ledger, warehouse, bank, tree } = await loadFixture(anchoredTreeFixture);
      for (const caller of [warehouse, bank]) {
        await expect(ledger.connect(caller).anchor(tree.root, 1, ""))
          .to.be.revertedWithCustomError(ledger, "RootAlreadyAnchored")
          .withArgs(tree.root);
      }
    });

    it("reverts with MissingRole(caller, 0) for a non-member and a suspended member", async function () {
      const { ledger, registry, admin, bank, outsider } = await loadFixture(consortiumFixture);
      await registry.connect(admin).suspend(bank.address, ZERO_HASH);
      for (const caller of [outsider, bank]) {
        await expect(ledger.connect(caller).anchor(hashOf("root"), 1, URI))
          .to.be.revertedWithCustomError(registry, "MissingRole")
          .withArgs(caller.address, Role.ANY_MEMBER);
      }
    });
  });

  describe("verifyInclusion", function () {
    it("accepts a real proof for every leaf of an anchored tree", async function () {
      const { ledger, tree } = await loadFixture(anchoredTreeFixture);
      for (let i = 0; i < LEAVES.length; i++) {
        expect(await ledger.verifyInclusion(tree.root, LEAVES[i], tree.proof(i)), `leaf ${i}`).to.equal(true);
      }
    });

    it("rejects a wrong leaf, a proof for another leaf and a tampered proof", async function () {
      const { ledger, tree } = await loadFixture(anchoredTreeFixture);
      const forged = eventLeaf(1n, "ObjectEvent/observe", hashOf("25.0 C"));
      expect(await ledger.verifyInclusion(tree.root, forged, tree.proof(0))).to.equal(false);
      expect(await ledger.verifyInclusion(tree.root, LEAVES[0], tree.proof(1))).to.equal(false);
      const tampered = tree.proof(2);
      tampered[0] = hashOf("tampered");
      expect(await ledger.verifyInclusion(tree.root, LEAVES[2], tampered)).to.equal(false);
    });

    it("returns false for a valid proof under a root that was never anchored", async function () {
      const { ledger } = await loadFixture(consortiumFixture);
      const tree = new SortedPairMerkleTree(LEAVES);
      expect(await ledger.verifyInclusion(tree.root, LEAVES[0], tree.proof(0))).to.equal(false);
    });

    it("a single-event root is its own leaf, proven by an empty proof", async function () {
      const { ledger, inspector } = await loadFixture(consortiumFixture);
      const leaf = eventLeaf(7n, "ObjectEvent/inspect", hashOf("certificate"));
      await ledger.connect(inspector).anchor(leaf, 1, "");
      expect(await ledger.verifyInclusion(leaf, leaf, [])).to.equal(true);
    });

    it("also accepts an inner node with its partial proof, so off-chain leaves must be double-hashed", async function () {
      // MerkleProof cannot tell a leaf from an inner node (a 64-byte pre-image); double-hashing the
      // leaves, as eventLeaf does, keeps an inner node from ever equalling a real leaf.
      const { ledger, tree } = await loadFixture(anchoredTreeFixture);
      const innerNode = tree.levels[1][0]; // hashPair(leaf 0, leaf 1)
      expect(await ledger.verifyInclusion(tree.root, innerNode, tree.proof(0).slice(1))).to.equal(true);
    });

    it("hashes pairs in sorted order, so sibling order in the tree does not matter", async function () {
      const { ledger, bank } = await loadFixture(consortiumFixture);
      const [a, b] = [LEAVES[0], LEAVES[1]];
      expect(hashPair(a, b)).to.equal(hashPair(b, a));
      const root = hashPair(a, b);
      await ledger.connect(bank).anchor(root, 2, "");
      expect(await ledger.verifyInclusion(root, a, [b])).to.equal(true);
      expect(await ledger.verifyInclusion(root, b, [a])).to.equal(true);
    });
  });
});
