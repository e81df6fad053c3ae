import type { ErrorDescription } from "ethers";
import { decodeRevertData, explainRevert, findRevertData } from "../../shared/chain/revert-reasons";
import { ApiError } from "../errors";
import { namedValues } from "./json-values";
import { NodeError } from "./node-client";

/** Names of the arguments of Solidity's built-in errors, which carry none in the ABI. */
const BUILTIN_ARGUMENTS: Record<string, string[]> = { Error: ["message"], Panic: ["code"] };

export interface RevertDetails {
  /** The custom error's name (Error for require messages, Panic for assertions); null without revert data. */
  error: string | null;
  args: Record<string, unknown>;
  signature: string | null;
  [more: string]: unknown;
}

/** A contract refused the operation: 422 CONTRACT_REVERT, explained in a sentence, with the decoded error. */
export class ContractRevertError extends ApiError {
  constructor(message: string, details: RevertDetails) {
    super("CONTRACT_REVERT", message, details);
  }
}

/** True when a node error means the EVM reverted (rather than the node refusing the request). */
export function isRevert(error: unknown): boolean {
  if (!(error instanceof NodeError)) return false;
  return error.code === 3 || /revert|VM Exception/i.test(error.message) || findRevertData(error) !== undefined;
}

function describe(decoded: ErrorDescription | undefined, data: string | undefined): { message: string; details: RevertDetails } {
  if (!decoded) {
    const unknown = data && data !== "0x";
    return {
      message: unknown ? `the contract reverted with an error this API cannot decode (${data.slice(0, 10)})` : "the contract reverted without a reason",
      details: { error: null, args: unknown ? { data } : {}, signature: null },
    };
  }
  const builtin = BUILTIN_ARGUMENTS[decoded.name];
  const args = namedValues(decoded.fragment.inputs, decoded.args, (i) => builtin?.[i] ?? String(i));
  const sentence =
    explainRevert(decoded) ??
    (decoded.name === "Error"
      ? `the contract refused: ${String(args.message)}`
      : decoded.name === "Panic"
        ? `the contract failed an internal check (panic code ${String(args.code)})`
        : `${decoded.name}(${Object.values(args).map(String).join(", ")})`);
  return {
    message: `${sentence} (${decoded.name})`,
    details: { error: decoded.name, args, signature: decoded.signature },
  };
}

/** The 422 answer for a revert reported by the node (eth_call, eth_estimateGas, eth_sendRawTransaction). */
export function revertFromNodeError(error: unknown, extra: Record<string, unknown> = {}): ContractRevertError {
  const raw = error instanceof NodeError ? error.data : undefined;
  const data = findRevertData(error) ?? (typeof raw === "string" ? raw : undefined);
  const { message, details } = describe(data ? decodeRevertData(data) : undefined, data);
  return new ContractRevertError(message, { ...details, ...extra });
}

/** The 422 answer for a revert whose data is known (or not, when `data` is undefined). */
export function revertFromData(data: string | undefined, extra: Record<string, unknown> = {}): ContractRevertError {
  const { message, details } = describe(data ? decodeRevertData(data) : undefined, data);
  return new ContractRevertError(message, { ...details, ...extra });
}
