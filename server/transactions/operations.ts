import type { FunctionFragment } from "ethers";
import { contractInterfaces, type ContractName } from "../../shared/chain/contracts";
import { ValidationError } from "../errors";

/**
 * Functions no member calls: hooks the contracts call on each other. They would only revert for a
 * member (NotLienRegistry, NotWarehouseReceipts), so preparing them is refused up front.
 */
export const EXCLUDED_FUNCTIONS: Record<ContractName, Record<string, string>> = {
  MemberRegistry: {},
  ProvenanceLedger: {
    lockForReceipt: "the WarehouseReceipt contract",
    splitLocked: "the WarehouseReceipt contract",
    releaseFromReceipt: "the WarehouseReceipt contract",
  },
  WarehouseReceipt: {
    lock: "the LienRegistry contract",
    unlock: "the LienRegistry contract",
    seize: "the LienRegistry contract",
    releasePart: "the LienRegistry contract",
  },
  LienRegistry: {},
  Receivables: {
    lock: "the LienRegistry contract",
    unlock: "the LienRegistry contract",
    seize: "the LienRegistry contract",
    releasePart: "the LienRegistry contract",
  },
};

/** The functions of `contract` a member may call through the API: state-changing, not a contract-only hook. */
export function callableFunctions(contract: ContractName): FunctionFragment[] {
  const found: FunctionFragment[] = [];
  contractInterfaces[contract].forEachFunction((fragment) => {
    if (!fragment.constant && !(fragment.name in EXCLUDED_FUNCTIONS[contract])) found.push(fragment);
  });
  return found;
}

const refuse = (message: string): never => {
  throw new ValidationError([{ field: "body.function", message }]);
};

/**
 * The ABI function a request names: by name, or by signature (`safeTransferFrom(address,address,uint256,bytes)`)
 * for an overloaded one. An overloaded name alone picks the overload whose parameter names are the
 * request's argument names.
 */
export function resolveFunction(contract: ContractName, name: string, argNames: string[]): FunctionFragment {
  const iface = contractInterfaces[contract];
  const bySignature = name.includes("(");
  const candidates: FunctionFragment[] = [];
  iface.forEachFunction((fragment) => {
    if (bySignature ? fragment.format("sighash") === name.replace(/\s+/g, "") : fragment.name === name) candidates.push(fragment);
  });
  if (candidates.length === 0) {
    const names = [...new Set(callableFunctions(contract).map((f) => f.name))].sort().join(", ");
    return refuse(`${contract} has no function ${name}; its functions members call are ${names}`);
  }
  const fragmentName = candidates[0].name;
  const hook = EXCLUDED_FUNCTIONS[contract][fragmentName];
  if (hook) return refuse(`${contract}.${fragmentName} is called only by ${hook}, never by a member`);
  const writable = candidates.filter((fragment) => !fragment.constant);
  if (writable.length === 0) return refuse(`${contract}.${fragmentName} only reads (${candidates[0].stateMutability}); call it with eth_call instead`);
  if (writable.length === 1) return writable[0];
  const wanted = [...argNames].sort().join(",");
  const matching = writable.filter((fragment) => fragment.inputs.map((p) => p.name).sort().join(",") === wanted);
  if (matching.length === 1) return matching[0];
  return refuse(
    `${contract}.${fragmentName} is overloaded; name one by its signature: ${writable.map((f) => f.format("sighash")).join(" or ")}`,
  );
}

/** "Receivables.confirm(receivableId: 7)" — what a prepared transaction does, for the signer to read. */
export function describeCall(contract: ContractName, fragment: FunctionFragment, args: Record<string, unknown>): string {
  const shown = fragment.inputs.map((param) => `${param.name}: ${JSON.stringify(args[param.name])}`).join(", ");
  return `${contract}.${fragment.name}(${shown})`;
}
