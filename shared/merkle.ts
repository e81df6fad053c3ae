import { concat, keccak256, toUtf8Bytes } from "ethers";

/**
 * Merkle trees for bulk anchoring, compatible with OpenZeppelin's MerkleProof (sorted-pair
 * keccak256). A leaf is keccak256(keccak256(content)): hashing twice means no 64-byte inner node can
 * be passed off as a leaf.
 */
export function leafOf(content: string | Uint8Array): string {
  const bytes = typeof content === "string" ? toUtf8Bytes(content) : content;
  return keccak256(keccak256(bytes));
}

function hashPair(a: string, b: string): string {
  return a.toLowerCase() < b.toLowerCase() ? keccak256(concat([a, b])) : keccak256(concat([b, a]));
}

export interface MerkleTree {
  root: string;
  leaves: string[];
  proof(leafIndex: number): string[];
}

export function buildMerkleTree(leaves: string[]): MerkleTree {
  if (leaves.length === 0) throw new Error("A Merkle tree needs at least one leaf");
  const layers: string[][] = [leaves.map((leaf) => leaf.toLowerCase())];
  while (layers.at(-1)!.length > 1) {
    const below = layers.at(-1)!;
    const above: string[] = [];
    // An odd node out is carried up unchanged; its proof simply has no sibling at that level.
    for (let i = 0; i < below.length; i += 2) above.push(i + 1 < below.length ? hashPair(below[i], below[i + 1]) : below[i]);
    layers.push(above);
  }
  return {
    root: layers.at(-1)![0],
    leaves: layers[0],
    proof(leafIndex) {
      if (leafIndex < 0 || leafIndex >= leaves.length) throw new RangeError(`No leaf ${leafIndex}`);
      const proof: string[] = [];
      let index = leafIndex;
      for (const layer of layers.slice(0, -1)) {
        const sibling = index ^ 1;
        if (sibling < layer.length) proof.push(layer[sibling]);
        index >>= 1;
      }
      return proof;
    },
  };
}

export function verifyMerkleProof(root: string, leaf: string, proof: string[]): boolean {
  return proof.reduce((node, sibling) => hashPair(node, sibling), leaf.toLowerCase()) === root.toLowerCase();
}

/**
 * The canonical JSON line of an event: object keys sorted (by UTF-16 code units), no whitespace,
 * numbers and strings as JSON.stringify writes them; for parsed JSON this is RFC 8785 (JCS).
 * The same event therefore hashes to the same leaf however its file was formatted.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}
