import { toQuantity } from "ethers";
import { contractInterfaces } from "../../../shared/chain/contracts";
import type { Deployment } from "../../../shared/chain/deployments";
import { ValidationError } from "../../errors";
import type { Caller } from "../../http/authentication";
import type { ManagedWrites, WriteAnswer } from "../../signing/managed-writes";
import { abiArguments } from "../../transactions/abi-arguments";
import type { NodeClient } from "../../transactions/node-client";
import { describeCall } from "../../transactions/operations";
import type { TransactionOutcome } from "../../transactions/outcome";
import { ContractRevertError, isRevert, revertFromNodeError } from "../../transactions/revert";
import type { CaptureRepository } from "./capture.repository";
import { batchesOnChain } from "./chain-state";
import { parseCaptureDocument } from "./document";
import { planCapture, type EventOutcome, type PlannedCall } from "./planner";

const LEDGER = contractInterfaces.ProvenanceLedger;

/** ABI-encodes one planned call; its arguments were built by the planner, so a problem here is a bug. */
function encode(call: PlannedCall): string {
  const fragment = LEDGER.getFunction(call.function)!;
  const { values, problems } = abiArguments(fragment, call.args, call.pointer);
  if (problems.length > 0) throw new Error(`EPCIS capture planned a bad call: ${JSON.stringify(problems)}`);
  return LEDGER.encodeFunctionData(fragment, values);
}

export interface CaptureAnswerBody extends TransactionOutcome {
  captured: EventOutcome[];
}

/**
 * EPCIS capture: a document's events become ProvenanceLedger calls, all sent in one transaction
 * (`multicall`, each call keeping the member as msg.sender) signed with the member's managed key, so
 * the document is applied whole or not at all. Idempotency, the caller checks and the nonce lane are
 * ManagedWrites'.
 */
export function createEpcisCapture(deps: { writes: ManagedWrites; node: NodeClient; deployment: Deployment; repository: CaptureRepository }) {
  const ledger = deps.deployment.contracts.ProvenanceLedger.toLowerCase();
  const ethCall = (from: string, data: string, block: string) => deps.node.call<string>("eth_call", [{ from, to: ledger, data }, block]);
  const multicallData = (calls: string[]) => LEDGER.encodeFunctionData("multicall", [calls]);

  async function reverts(from: string, calls: string[], block: string): Promise<boolean> {
    try {
      await ethCall(from, multicallData(calls), block);
      return false;
    } catch (error) {
      if (isRevert(error)) return true;
      throw error;
    }
  }

  /**
   * The first call of `calls` that reverts when they run in order: the smallest prefix that reverts
   * ends with it (binary search, about log2(n) simulations).
   */
  async function firstFailing(from: string, calls: string[], block: string): Promise<number | undefined> {
    if (!(await reverts(from, calls, block))) return undefined;
    let [low, high] = [1, calls.length];
    while (low < high) {
      const middle = (low + high) >> 1;
      if (await reverts(from, calls.slice(0, middle), block)) high = middle;
      else low = middle + 1;
    }
    return low - 1;
  }

  /** The revert, named after the event whose call failed. */
  function blame(error: ContractRevertError, call: PlannedCall, index: number): ContractRevertError {
    const described = describeCall("ProvenanceLedger", LEDGER.getFunction(call.function)!, call.args);
    const details = error.details as ConstructorParameters<typeof ContractRevertError>[1];
    return new ContractRevertError(`event ${call.pointer}: ${error.message}`, {
      ...details,
      field: call.pointer,
      call: described,
      callIndex: index,
    });
  }

  /**
   * The ids the chain gave the batches the document created, in creation order (the planned ones
   * unless another member created batches between the simulation and the block). Only what an event
   * created is renamed: a later call that named a planned id used that id literally.
   */
  function settleIds(outcomes: EventOutcome[], outcome: TransactionOutcome): void {
    const created = outcome.events
      .filter((e) => e.contract === "ProvenanceLedger" && (e.name === "BatchCommissioned" || e.name === "BatchSplit"))
      .map((e) => Number(e.name === "BatchSplit" ? e.args.childId : e.args.batchId));
    const planned = [...new Set(outcomes.flatMap((o) => o.createdBatchIds))].sort((a, b) => a - b);
    if (planned.length !== created.length || planned.every((id, i) => id === created[i])) return;
    const actual = new Map(planned.map((id, i) => [id, created[i]]));
    for (const o of outcomes) {
      o.batchIds = o.batchIds.map((id) => (o.createdBatchIds.includes(id) ? actual.get(id)! : id));
      o.createdBatchIds = o.createdBatchIds.map((id) => actual.get(id)!);
    }
  }

  return {
    async capture(caller: Caller, idempotencyKey: string | undefined, document: unknown, waitSeconds: number): Promise<WriteAnswer> {
      return deps.writes.run(caller, idempotencyKey, ["epcis-capture", document], async (member): Promise<CaptureAnswerBody> => {
        const { events, problems } = parseCaptureDocument(document, deps.deployment.chainId);
        if (problems.length > 0) throw new ValidationError(problems);
        const snapshot = await deps.repository.snapshot(events);

        let planned: { calls: PlannedCall[]; data: string[]; outcomes: EventOutcome[] } | undefined;
        const build = async () => {
          // In the member's lane: its earlier writes are pending, so the pending batch count is where ours start.
          const [count] = LEDGER.decodeFunctionResult("batchCount", await ethCall(member, LEDGER.encodeFunctionData("batchCount"), "pending"));
          const batches = await batchesOnChain((data, block) => ethCall(member, data, block), snapshot.batches, "pending");
          const plan = planCapture(events, member, { ...snapshot, batches }, Number(count) + 1);
          if (plan.problems.length > 0) throw new ValidationError(plan.problems);
          const data = plan.calls.map(encode);
          planned = { calls: plan.calls, data, outcomes: plan.outcomes };
          const failing = await firstFailing(member, data, "pending");
          if (failing !== undefined) {
            try {
              await ethCall(member, multicallData(data.slice(0, failing + 1)), "pending");
            } catch (error) {
              throw blame(revertFromNodeError(error), plan.calls[failing], failing);
            }
          }
          return { contract: "ProvenanceLedger" as const, function: "multicall", args: { data } };
        };

        let outcome: TransactionOutcome;
        try {
          outcome = await deps.writes.signer.execute(member, build, waitSeconds);
        } catch (error) {
          // Mined but reverted (the state moved after the simulation): find the event at the block before.
          const mined = error instanceof ContractRevertError ? (error.details as { transaction?: TransactionOutcome }).transaction : undefined;
          if (planned && mined?.blockNumber) {
            const failing = await firstFailing(member, planned.data, toQuantity(mined.blockNumber - 1)).catch(() => undefined);
            if (failing !== undefined) throw blame(error as ContractRevertError, planned.calls[failing], failing);
          }
          throw error;
        }
        const { outcomes } = planned!;
        if (outcome.status === "success") settleIds(outcomes, outcome);
        return { ...outcome, captured: outcomes };
      });
    },
  };
}
export type EpcisCapture = ReturnType<typeof createEpcisCapture>;
