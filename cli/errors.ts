import { isError } from "ethers";
import { decodeRevert, EXPLAIN } from "../shared/chain/revert-reasons";

export { decodeRevert, LOAN_STATUS } from "../shared/chain/revert-reasons";

/** Invalid input (bad address, quantity, role, missing key...): exit code 2, message names the option. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A failure the CLI explains itself (e.g. a proof that does not verify): exit code 1. */
export class CliError extends Error {
  override name = "CliError";
}

export interface DescribedError {
  message: string;
  exitCode: 1 | 2;
  /** The decoded custom error, when the failure was a contract revert. */
  revert?: { name: string; signature: string; args: string[] };
}

const formatArg = (value: unknown): string => (typeof value === "string" ? value : String(value));

/** Turns anything thrown by a command into the line printed after "Error: " and an exit code. */
export function describeError(error: unknown, rpcUrl?: string): DescribedError {
  if (error instanceof UsageError) return { message: error.message, exitCode: 2 };
  if (error instanceof CliError) return { message: error.message, exitCode: 1 };

  const decoded = decodeRevert(error);
  if (decoded) {
    const args = Array.from(decoded.args, formatArg);
    const explain = EXPLAIN[decoded.name];
    const message = explain
      ? `${explain(decoded.args)} (${decoded.name})`
      : `${decoded.name}(${args.join(", ")})`;
    return { message, exitCode: 1, revert: { name: decoded.name, signature: decoded.signature, args } };
  }

  if (isError(error, "CALL_EXCEPTION")) {
    const reason = error.reason ? `: ${error.reason}` : "";
    return { message: `the transaction reverted${reason}`, exitCode: 1 };
  }
  const rpcMessage = nodeMessage(error);
  if (isError(error, "INSUFFICIENT_FUNDS") || /enough funds|insufficient funds/i.test(rpcMessage ?? "")) {
    return { message: "the signing account does not have enough ether to pay for gas", exitCode: 1 };
  }
  if (rpcMessage) return { message: `the node refused the request: ${rpcMessage}`, exitCode: 1 };
  const text = error instanceof Error ? error.message : String(error);
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|fetch failed|SERVER_ERROR|TIMEOUT/i.test(text) || isError(error, "TIMEOUT")) {
    return { message: `cannot reach the JSON-RPC node${rpcUrl ? ` at ${rpcUrl}` : ""} (${shortMessage(error)})`, exitCode: 1 };
  }
  return { message: shortMessage(error), exitCode: 1 };
}

/** The JSON-RPC error message ethers could not map to one of its codes ("could not coalesce error"). */
function nodeMessage(error: unknown): string | undefined {
  if (!isError(error, "UNKNOWN_ERROR")) return undefined;
  const inner = (error as { error?: { message?: unknown } }).error;
  return typeof inner?.message === "string" ? inner.message : undefined;
}

function shortMessage(error: unknown): string {
  if (error && typeof error === "object" && typeof (error as { shortMessage?: unknown }).shortMessage === "string") {
    return (error as { shortMessage: string }).shortMessage;
  }
  return error instanceof Error ? error.message : String(error);
}
