import { describe, expect, it } from "vitest";
import { getAddress, hexlify, randomBytes, type EventFragment, type ParamType } from "ethers";
import { contractInterfaces, CONTRACT_NAMES } from "../../shared/chain/contracts";
import type { Deployment } from "../../shared/chain/deployments";
import type { RpcLog } from "../../shared/chain/rpc";
import { createDecoder } from "../../indexer/decode";

const deployment: Deployment = {
  chainId: 31337,
  startBlock: 1,
  deployer: "0x" + "11".repeat(20),
  deployedAt: new Date(0).toISOString(),
  contracts: {
    MemberRegistry: getAddress("0x" + "aa".repeat(20)),
    ProvenanceLedger: getAddress("0x" + "bb".repeat(20)),
    WarehouseReceipt: getAddress("0x" + "cc".repeat(20)),
    LienRegistry: getAddress("0x" + "dd".repeat(20)),
    Receivables: getAddress("0x" + "ee".repeat(20)),
  },
};

/** A random value of `param`'s type, extremes included, as ethers encodes it. */
function sample(param: ParamType, i: number): unknown {
  if (param.baseType === "array") return Array.from({ length: i % 4 }, (_, j) => sample(param.arrayChildren!, i + j));
  if (param.type === "address") return getAddress(hexlify(randomBytes(20)));
  if (param.type === "bool") return i % 2 === 0;
  if (param.type === "string") return ["", "Qixia 栖霞 Fuji 🍎", "x".repeat(70)][i % 3];
  if (param.type === "bytes") return hexlify(randomBytes(i % 40));
  const fixed = /^bytes(\d+)$/.exec(param.type);
  if (fixed) return hexlify(randomBytes(Number(fixed[1])));
  const bits = BigInt(/^u?int(\d+)$/.exec(param.type)![1]);
  const max = (1n << bits) - 1n;
  return [0n, 1n, max, max / 3n][i % 4];
}

/** What the indexer expects: ethers' values, with addresses in lower case. */
const lowerAddresses = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(lowerAddresses)
    : typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value)
      ? value.toLowerCase()
      : value;

describe("event decoder", () => {
  const decoder = createDecoder(deployment);

  for (const contract of CONTRACT_NAMES) {
    const iface = contractInterfaces[contract];
    const events: EventFragment[] = [];
    iface.forEachEvent((event) => events.push(event));

    it.each(events.map((event) => [event.name, event] as const))(`decodes ${contract}.%s exactly as ethers does`, (_, event) => {
      for (let i = 0; i < 8; i++) {
        const values = event.inputs.map((param) => sample(param, i));
        const { data, topics } = iface.encodeEventLog(event, values);
        const log: RpcLog = {
          address: deployment.contracts[contract].toLowerCase(),
          topics,
          data,
          blockNumber: 7,
          blockHash: "0x" + "cd".repeat(32),
          transactionHash: "0x" + "ef".repeat(32),
          logIndex: i,
        };
        const expected = iface.parseLog(log)!;
        const decoded = decoder.decode(log);
        expect(decoded.contract).toBe(contract);
        expect(decoded.name).toBe(expected.name);
        expect(decoded.args).toEqual(
          Object.fromEntries(event.inputs.map((param, j) => [param.name, lowerAddresses(expected.args[j])])),
        );
      }
    });
  }

  it("rejects logs it cannot read", () => {
    const ledger = contractInterfaces.ProvenanceLedger;
    const { data, topics } = ledger.encodeEventLog("ReadingRecorded", [1n, getAddress("0x" + "22".repeat(20)), "0x" + "33".repeat(32)]);
    const log = (change: Partial<RpcLog>): RpcLog => ({
      address: deployment.contracts.ProvenanceLedger.toLowerCase(),
      topics,
      data,
      blockNumber: 7,
      blockHash: "0x" + "cd".repeat(32),
      transactionHash: "0x" + "ef".repeat(32),
      logIndex: 0,
      ...change,
    });
    expect(() => decoder.decode(log({ address: "0x" + "99".repeat(20) }))).toThrow(/unexpected address/);
    expect(() => decoder.decode(log({ topics: ["0x" + "00".repeat(32), ...topics.slice(1)] }))).toThrow(/Unknown event/);
    expect(() => decoder.decode(log({ topics: topics.slice(0, 2) }))).toThrow(/topics/);
    expect(() => decoder.decode(log({ data: "0x" }))).toThrow(/out of bounds/);
    const invalidUtf8 = ledger.encodeEventLog("ProductRegistered", [6_970_000_000_017n, getAddress("0x" + "22".repeat(20)), "080810", "x", ""]);
    // "x" becomes the lone byte 0xff, which is not UTF-8.
    const bad = invalidUtf8.data.replace("78" + "0".repeat(62), "ff" + "0".repeat(62));
    expect(bad).not.toBe(invalidUtf8.data);
    expect(() => decoder.decode(log({ topics: invalidUtf8.topics, data: bad }))).toThrow();
  });
});
