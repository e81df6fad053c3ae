import { createHash } from "node:crypto";

/** Documents are referenced on-chain by their SHA-256, as 0x-prefixed hex (bytes32). */
export function sha256Hex(content: string | Uint8Array): string {
  return "0x" + createHash("sha256").update(content).digest("hex");
}

export const ZERO_HASH = "0x" + "0".repeat(64);
