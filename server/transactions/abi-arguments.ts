import type { FunctionFragment, ParamType } from "ethers";
import type { FieldProblem } from "../errors";

/**
 * Turns a request's named JSON arguments into the values the ABI encoder takes, checking each against
 * its ABI type. Every bad field becomes one problem named after it: `body.args.amount`,
 * `body.args.terms.principal`, `body.args.inputs[1].quantity`.
 */
export function abiArguments(
  fragment: FunctionFragment,
  args: Record<string, unknown>,
  field: string,
): { values: unknown[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const values = namedFields(fragment.inputs, args, field, `a parameter of ${fragment.format("sighash")}`, problems);
  return { values, problems };
}

function namedFields(
  params: readonly ParamType[],
  object: Record<string, unknown>,
  field: string,
  owner: string,
  problems: FieldProblem[],
): unknown[] {
  const names = new Set(params.map((param) => param.name));
  for (const key of Object.keys(object)) {
    if (!names.has(key)) problems.push({ field: `${field}.${key}`, message: `is not ${owner}` });
  }
  return params.map((param) => {
    if (!Object.hasOwn(object, param.name) || object[param.name] === undefined) {
      problems.push({ field: `${field}.${param.name}`, message: `is required (${param.format("full")})` });
      return undefined;
    }
    return abiValue(param, object[param.name], `${field}.${param.name}`, problems);
  });
}

const HEX = /^0x[0-9a-fA-F]*$/;
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function integer(value: unknown): bigint | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?\d+$/.test(value) && value.length <= 80) return BigInt(value);
  return undefined;
}

/** One argument checked against its ABI type; undefined (and a problem) when it does not fit. */
function abiValue(param: ParamType, value: unknown, field: string, problems: FieldProblem[]): unknown {
  const problem = (message: string) => {
    problems.push({ field, message });
    return undefined;
  };
  if (param.isTuple()) {
    if (!isPlainObject(value)) return problem(`must be an object with ${param.components.map((c) => c.name).join(", ")}`);
    return namedFields(param.components, value, field, `a field of ${param.type}`, problems);
  }
  if (param.isArray()) {
    if (!Array.isArray(value)) return problem(`must be an array of ${param.arrayChildren.type}`);
    if (param.arrayLength >= 0 && value.length !== param.arrayLength) return problem(`must have exactly ${param.arrayLength} items`);
    return value.map((item, i) => abiValue(param.arrayChildren, item, `${field}[${i}]`, problems));
  }
  const type = param.baseType;
  if (type === "address") {
    if (typeof value !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(value)) return problem("must be a 0x-prefixed 20-byte hex address");
    return value.toLowerCase();
  }
  if (type === "bool") {
    if (typeof value !== "boolean") return problem("must be true or false");
    return value;
  }
  if (type === "string") {
    if (typeof value !== "string") return problem("must be a string");
    return value;
  }
  if (type === "bytes") {
    if (typeof value !== "string" || !HEX.test(value) || value.length % 2 !== 0) return problem("must be 0x-prefixed hex bytes");
    return value;
  }
  const fixedBytes = /^bytes(\d+)$/.exec(type);
  if (fixedBytes) {
    const size = Number(fixedBytes[1]);
    if (typeof value !== "string" || !HEX.test(value) || value.length !== 2 + 2 * size) {
      return problem(`must be a 0x-prefixed ${size}-byte hex value`);
    }
    return value.toLowerCase();
  }
  const int = /^(u?)int(\d*)$/.exec(type);
  if (int) {
    const bits = BigInt(int[2] || "256");
    const number = integer(value);
    if (int[1] === "u") {
      if (number === undefined || number < 0n || number >= 1n << bits) {
        return problem(`must be an unsigned integer below 2^${bits} (a decimal string or a safe integer)`);
      }
      return number;
    }
    const limit = 1n << (bits - 1n);
    if (number === undefined || number < -limit || number >= limit) {
      return problem(`must be an integer from -2^${bits - 1n} to 2^${bits - 1n}-1 (a decimal string or a safe integer)`);
    }
    return number;
  }
  return problem(`has the ABI type ${type}, which this API cannot encode`);
}
