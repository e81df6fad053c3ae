import { AbiCoder, hashMessage, verifyMessage } from "ethers";
import type { NodeClient } from "../transactions/node-client";

/** bytes4(keccak256("isValidSignature(bytes32,bytes)")): the selector and the magic value of EIP-1271. */
const EIP1271_MAGIC = "0x1626ba7e";

/**
 * Whether `signature` is `address`'s signature of the EIP-191 personal message `message`: an EOA's
 * (recovered with ecrecover), or, when a node is configured and the address holds code, a contract
 * wallet's by EIP-1271 `isValidSignature(hash, signature)`.
 */
export async function verifySignedMessage(message: string, signature: string, address: string, node?: NodeClient): Promise<boolean> {
  try {
    if (verifyMessage(message, signature).toLowerCase() === address.toLowerCase()) return true;
  } catch {
    // Not a 65-byte ECDSA signature: it may still be a contract wallet's.
  }
  if (!node) return false;
  try {
    const code = await node.call<string>("eth_getCode", [address, "latest"]);
    if (!code || code === "0x") return false;
    const data = EIP1271_MAGIC + AbiCoder.defaultAbiCoder().encode(["bytes32", "bytes"], [hashMessage(message), signature]).slice(2);
    const result = await node.call<string>("eth_call", [{ to: address, data }, "latest"]);
    return typeof result === "string" && result.toLowerCase().startsWith(EIP1271_MAGIC);
  } catch {
    return false;
  }
}
