import { contractInterfaces } from "../../../shared/chain/contracts";
import type { BatchStatus } from "../../../shared/db/schema";
import type { BatchState } from "./planner";

const LEDGER = contractInterfaces.ProvenanceLedger;
/** IProvenanceLedger.BatchStatus, in declaration order (None is a batch that does not exist). */
const STATUSES: (BatchStatus | undefined)[] = [undefined, "active", "in_transit", "on_hold", "recalled", "consumed", "retired"];
const ZERO_ADDRESS = "0x" + "0".repeat(40);

/**
 * The batches as the chain has them at `block`: the index tells which batches a lot has (the chain
 * cannot look a lot up), the chain what they hold now. The plan then agrees with the simulation even
 * while the indexer is a few blocks behind (a shipment since, a split that changed a quantity).
 */
export async function batchesOnChain(
  call: (data: string, block: string) => Promise<string>,
  indexed: readonly BatchState[],
  block: string,
): Promise<BatchState[]> {
  const fresh = await Promise.all(
    indexed.map(async (batch): Promise<BatchState | undefined> => {
      const [onChain] = LEDGER.decodeFunctionResult("batchOf", await call(LEDGER.encodeFunctionData("batchOf", [batch.id]), block));
      const status = STATUSES[Number(onChain.status)];
      if (!status) return undefined;
      const pending = String(onChain.pendingRecipient).toLowerCase();
      return {
        ...batch,
        quantity: BigInt(onChain.quantity),
        producer: String(onChain.producer).toLowerCase(),
        custodian: String(onChain.custodian).toLowerCase(),
        pendingRecipient: pending === ZERO_ADDRESS ? null : pending,
        status,
      };
    }),
  );
  return fresh.filter((batch): batch is BatchState => batch !== undefined);
}
