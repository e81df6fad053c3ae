import type { ParamType, Result } from "ethers";

/**
 * A decoded ABI value as JSON: integers as decimal strings (they exceed 2^53), structs as objects
 * keyed by their field names, arrays as arrays; addresses in lower case as everywhere in the API; hex
 * and strings as they are.
 */
export function jsonValue(param: ParamType, value: unknown): unknown {
  if (param.isTuple()) {
    const items = value as Result | unknown[];
    return Object.fromEntries(param.components.map((component, i) => [component.name || String(i), jsonValue(component, items[i])]));
  }
  if (param.isArray()) return Array.from(value as unknown[], (item) => jsonValue(param.arrayChildren, item));
  if (typeof value === "bigint") return value.toString();
  if (param.baseType === "address" && typeof value === "string") return value.toLowerCase();
  return value;
}

/** Named arguments of a function, event or error: `{ name: value }`, unnamed ones by position. */
export function namedValues(inputs: readonly ParamType[], values: Result | unknown[], unnamed: (index: number) => string = String) {
  return Object.fromEntries(inputs.map((param, i) => [param.name || unnamed(i), jsonValue(param, values[i])]));
}
