import { NotReadyError } from "../errors";
import type { NodeClient } from "../transactions/node-client";

/** `owner()` of OpenZeppelin's Ownable. */
const OWNER_SELECTOR = "0x8da5cb5b";
const CACHE_MS = 10_000;

/**
 * Who the consortium admin is: the MemberRegistry's owner. The indexer does not store it (ownership
 * events feed no table), so it is read with eth_call and kept for 10 s: a handover (two steps on
 * chain) reaches the API within that time. Without a node or a deployment nobody is the admin.
 */
export function createConsortiumAdmin(node: NodeClient | undefined, registry: string | undefined) {
  let cached: { owner: string; at: number } | undefined;
  async function owner(): Promise<string | undefined> {
    if (!node || !registry) return undefined;
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.owner;
    let result: string;
    try {
      result = await node.call<string>("eth_call", [{ to: registry, data: OWNER_SELECTOR }, "latest"]);
    } catch (error) {
      throw new NotReadyError(`Cannot read the consortium admin from the chain: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!/^0x[0-9a-fA-F]{64}$/.test(result)) throw new NotReadyError("The MemberRegistry's owner() answered garbage");
    cached = { owner: ("0x" + result.slice(26)).toLowerCase(), at: Date.now() };
    return cached.owner;
  }
  return {
    /** Whether `address` is the MemberRegistry's owner. */
    async is(address: string): Promise<boolean> {
      const current = await owner();
      return current !== undefined && current === address.toLowerCase();
    },
  };
}
export type ConsortiumAdmin = ReturnType<typeof createConsortiumAdmin>;
