import type { EventFragment, Interface, ParamType } from "ethers";
import { contractInterfaces, CONTRACT_NAMES, type ContractName } from "../shared/chain/contracts";
import type { Deployment } from "../shared/chain/deployments";
import type { RpcLog } from "../shared/chain/rpc";

/**
 * An event's arguments by name: bigint for (u)intN, lower-case 0x hex for address and bytesN,
 * string for string, arrays of those for dynamic arrays.
 */
export type EventArgs = Readonly<Record<string, unknown>>;

/** A log decoded with the compiled ABI of the contract that emitted it. */
export interface DecodedEvent {
  contract: ContractName;
  name: string;
  args: EventArgs;
  log: RpcLog;
}

export interface EventDecoder {
  addresses: string[];
  /** Which deployed contract is at `address` (lower-case), if any. */
  contractAt(address: string): ContractName | undefined;
  decode(log: RpcLog): DecodedEvent;
}

interface EventCodec {
  contract: ContractName;
  name: string;
  topicCount: number;
  decode(log: RpcLog): EventArgs;
}

export function createDecoder(deployment: Deployment): EventDecoder {
  const byAddress = new Map<string, ContractName>(
    CONTRACT_NAMES.map((name) => [deployment.contracts[name].toLowerCase(), name]),
  );
  // Keyed by address and topic0: ethers' parseLog hashes every event signature again for each log.
  const codecs = new Map<string, EventCodec>();
  for (const [address, contract] of byAddress) {
    contractInterfaces[contract].forEachEvent((fragment) => {
      codecs.set(`${address}:${fragment.topicHash}`, eventCodec(contract, contractInterfaces[contract], fragment));
    });
  }
  return {
    addresses: [...byAddress.keys()],
    contractAt: (address) => byAddress.get(address),
    decode(log) {
      const codec = codecs.get(`${log.address}:${log.topics[0]?.toLowerCase()}`);
      if (!codec) {
        const contract = byAddress.get(log.address);
        if (!contract) throw new Error(`Log from unexpected address ${log.address} in tx ${log.transactionHash}`);
        throw new Error(`Unknown event ${log.topics[0]} from ${contract} in tx ${log.transactionHash}`);
      }
      if (log.topics.length !== codec.topicCount) {
        throw new Error(`${codec.contract}.${codec.name} log with ${log.topics.length} topics in tx ${log.transactionHash}`);
      }
      return { contract: codec.contract, name: codec.name, args: codec.decode(log), log };
    },
  };
}

/**
 * A decoder for one event, compiled from its ABI fragment. Reading the words of the hex data
 * directly is an order of magnitude faster than ethers' AbiCoder and its Result proxies, and the
 * indexer decodes every log. Types it does not know (tuples, fixed arrays, dynamic indexed values)
 * make it fall back to ethers for that event.
 */
function eventCodec(contract: ContractName, iface: Interface, fragment: EventFragment): EventCodec {
  const base = { contract, name: fragment.name, topicCount: 1 + fragment.inputs.filter((p) => p.indexed).length };
  const readers: ((log: RpcLog) => unknown)[] = [];
  let topic = 1;
  let word = 0;
  for (const param of fragment.inputs) {
    const reader = param.indexed ? topicReader(param, topic++) : dataReader(param, word++);
    if (!reader) {
      return {
        ...base,
        decode: (log) => {
          const result = iface.decodeEventLog(fragment, log.data, log.topics);
          return Object.fromEntries(fragment.inputs.map((input, i) => [input.name, result[i]]));
        },
      };
    }
    readers.push(reader);
  }
  const names = fragment.inputs.map((param) => param.name);
  return {
    ...base,
    decode: (log) => {
      const args: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) args[names[i]] = readers[i](log);
      return args;
    },
  };
}

/** An indexed value: static types only (a dynamic one is stored as its hash). */
function topicReader(param: ParamType, index: number): ((log: RpcLog) => unknown) | null {
  const read = staticValue(param);
  return read && ((log) => read(log.topics[index].slice(2).toLowerCase()));
}

/** A value of the ABI-encoded data: inline when static, behind an offset when dynamic. */
function dataReader(param: ParamType, index: number): ((log: RpcLog) => unknown) | null {
  const read = staticValue(param);
  if (read) return (log) => read(wordAt(log.data, index));
  if (param.type === "string") return (log) => UTF8.decode(bytesAt(log.data, offsetAt(log.data, index)));
  if (param.type === "bytes") return (log) => "0x" + hexAt(log.data, offsetAt(log.data, index)).toLowerCase();
  if (param.baseType === "array" && param.arrayLength === -1) {
    const item = staticValue(param.arrayChildren!);
    if (!item) return null;
    return (log) => {
      const start = offsetAt(log.data, index) / 32;
      const length = Number(BigInt("0x" + wordAt(log.data, start)));
      if (2 + 64 * (start + 1 + length) > log.data.length) throw new Error("Log data out of bounds");
      return Array.from({ length }, (_, i) => item(wordAt(log.data, start + 1 + i)));
    };
  }
  return null;
}

/** Converts one 32-byte word (64 hex digits) of a static type; null for other types. */
function staticValue(param: ParamType): ((word: string) => unknown) | null {
  const type = param.type;
  if (type === "address") return (word) => "0x" + word.slice(24).toLowerCase();
  if (type === "bool") return (word) => BigInt("0x" + word) !== 0n;
  const integer = /^(u?)int(\d*)$/.exec(type);
  if (integer) {
    const bits = Number(integer[2] || 256);
    return integer[1] ? (word) => BigInt.asUintN(bits, BigInt("0x" + word)) : (word) => BigInt.asIntN(bits, BigInt("0x" + word));
  }
  const fixedBytes = /^bytes(\d+)$/.exec(type);
  if (fixedBytes) {
    const digits = 2 * Number(fixedBytes[1]);
    return (word) => "0x" + word.slice(0, digits).toLowerCase();
  }
  return null;
}

/** Rejects invalid UTF-8 as ethers' toUtf8String does. */
const UTF8 = new TextDecoder("utf-8", { fatal: true });

function wordAt(data: string, index: number): string {
  const start = 2 + 64 * index;
  if (start + 64 > data.length) throw new Error("Log data out of bounds");
  return data.slice(start, start + 64);
}

/** Byte offset stored in word `index`, where a dynamic value starts. */
function offsetAt(data: string, index: number): number {
  const offset = Number(BigInt("0x" + wordAt(data, index)));
  if (offset % 32 !== 0) throw new Error("Log data offset not word-aligned");
  return offset;
}

/** Hex digits of the length-prefixed bytes at byte offset `offset`. */
function hexAt(data: string, offset: number): string {
  const length = Number(BigInt("0x" + wordAt(data, offset / 32)));
  const start = 2 + 2 * offset + 64;
  if (start + 2 * length > data.length) throw new Error("Log data out of bounds");
  return data.slice(start, start + 2 * length);
}

const bytesAt = (data: string, offset: number) => Buffer.from(hexAt(data, offset), "hex");
