import { ethers } from "hardhat";

/** keccak256 of the two nodes, smaller first: OpenZeppelin's MerkleProof "commutative" pair hash. */
export function hashPair(a: string, b: string): string {
  const [first, second] = BigInt(a) < BigInt(b) ? [a, b] : [b, a];
  return ethers.keccak256(ethers.concat([first, second]));
}

/**
 * A Merkle tree over `leaves` with sorted-pair hashing. An odd node at the end of a level is
 * carried up unchanged (so it needs no sibling in proofs).
 */
export class SortedPairMerkleTree {
  readonly levels: string[][];

  constructor(leaves: string[]) {
    if (leaves.length === 0) throw new Error("no leaves");
    this.levels = [leaves];
    while (this.levels[this.levels.length - 1].length > 1) {
      const level = this.levels[this.levels.length - 1];
      const next: string[] = [];
      for (let i = 0; i < level.length; i += 2) {
        next.push(i + 1 < level.length ? hashPair(level[i], level[i + 1]) : level[i]);
      }
      this.levels.push(next);
    }
  }

  get root(): string {
    return this.levels[this.levels.length - 1][0];
  }

  /** The sibling hashes from leaf `index` up to the root. */
  proof(index: number): string[] {
    const proof: string[] = [];
    for (let level = 0; level < this.levels.length - 1; level++) {
      const nodes = this.levels[level];
      const sibling = index ^ 1;
      if (sibling < nodes.length) proof.push(nodes[sibling]);
      index >>= 1;
    }
    return proof;
  }
}

/** An OpenZeppelin-style double-hashed leaf for an off-chain event: keccak256(keccak256(abi.encode(...))). */
export function eventLeaf(batchId: bigint, eventType: string, payloadHash: string): string {
  const encoded = ethers.AbiCoder.defaultAbiCoder().encode(
    ["uint256", "string", "bytes32"],
    [batchId, eventType, payloadHash],
  );
  return ethers.keccak256(ethers.keccak256(encoded));
}
