import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { asc } from "drizzle-orm";
import { batches, indexedBlocks, lineageEdges, traceEvents, undoLog } from "../../shared/db/schema";
import { persistRange, type Checkpoint } from "../../indexer/persist";
import { WorkingSet, type BatchRow } from "../../indexer/working-set";
import { openTestDatabase, databaseKind } from "../support/database";

type TestDb = Awaited<ReturnType<typeof openTestDatabase>>;

/** Strings that array literals must quote or escape, and some that look like their syntax. */
const AWKWARD = ['say "cheese"', "back\\slash", "{braces},commas", "NULL", "", "  padded  ", "栖霞 🍎", "a\\\"b", "\\"];

const position = (n: number) => ({
  blockNumber: 100 + n,
  blockHash: "0x" + n.toString(16).padStart(64, "a"),
  txHash: "0x" + n.toString(16).padStart(64, "b"),
  logIndex: n,
  blockTime: 1_700_000_000 + n,
});

function batch(id: number, lot: string): BatchRow {
  return {
    id,
    gtin: "06970000000017",
    producer: "0x" + "12".repeat(20),
    custodian: "0x" + "34".repeat(20),
    pendingRecipient: id % 2 ? null : "0x" + "56".repeat(20),
    quantity: (10n ** 30n + BigInt(id)).toString(),
    initialQuantity: "115792089237316195423570985008687907853269984665640564039457584007913129639935",
    unit: "KGM",
    originRegion: 370686,
    producedAt: 1_700_000_000,
    lot,
    documentHash: "0x" + "ef".repeat(32),
    status: "active",
    parentId: id > 1 ? id - 1 : null,
    transformationId: null,
    createdBlock: 100 + id,
    createdTx: position(id).txHash,
    updatedBlock: 100 + id,
  };
}

describe(`persistRange (${databaseKind})`, () => {
  let database: TestDb;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database?.close());
  beforeEach(() => database.reset());

  it("writes awkward strings, nulls, jsonb and uint256 values exactly as given", async () => {
    const set = new WorkingSet(103);
    AWKWARD.forEach((lot, i) => {
      set.put("batches", String(i + 1), batch(i + 1, lot), 100 + i);
      set.traceEvents.push({
        ...position(i),
        batchId: i + 1,
        type: "commissioned",
        actor: "0x" + "12".repeat(20),
        counterparty: i % 2 ? null : lot,
        quantity: i % 3 ? null : "1000",
        documentHash: null,
        details: { lot, nested: { list: [lot, i, null, true] }, quote: '"' },
      });
      set.lineageEdges.push({
        fromBatchId: i + 1,
        toBatchId: i + 100,
        kind: "split",
        quantity: "7",
        transformationId: i % 2 ? 3 : null,
        blockNumber: 100 + i,
        txHash: position(i).txHash,
        logIndex: i,
      });
    });
    const checkpoint: Checkpoint = { chainId: 31337, deploymentKey: "k", blockNumber: 120, blockHash: "0xab", blockTime: 0, headBlock: 120 };
    const blocks = [1, 2].map((n) => ({ number: 100 + n, hash: position(n).blockHash, parentHash: position(n - 1).blockHash, timestamp: 0 }));
    await database.db.transaction((tx) => persistRange(tx, set, blocks, checkpoint));

    const stored = await database.db.select().from(batches).orderBy(asc(batches.id));
    expect(stored).toEqual(AWKWARD.map((lot, i) => batch(i + 1, lot)));
    expect(await database.db.select().from(traceEvents).orderBy(asc(traceEvents.logIndex))).toEqual(set.traceEvents);
    expect(await database.db.select().from(lineageEdges).orderBy(asc(lineageEdges.logIndex))).toEqual(set.lineageEdges);
    expect(await database.db.select().from(indexedBlocks).orderBy(asc(indexedBlocks.number))).toEqual(
      blocks.map(({ number, hash, parentHash }) => ({ number, hash, parentHash })),
    );
    // Undo images in the order they were taken (rollback replays them newest first by id).
    const undo = await database.db.select().from(undoLog).orderBy(asc(undoLog.id));
    expect(undo.map(({ id: _, ...entry }) => entry)).toEqual(set.undo);
  });

  it("replaces state rows and ignores event rows already written", async () => {
    const checkpoint: Checkpoint = { chainId: 31337, deploymentKey: "k", blockNumber: 120, blockHash: "0xab", blockTime: 0, headBlock: 120 };
    const write = async (lot: string) => {
      const set = new WorkingSet(Number.POSITIVE_INFINITY);
      set.put("batches", "1", batch(1, lot), 101);
      set.traceEvents.push({
        ...position(1), batchId: 1, type: "observed", actor: "0x" + "12".repeat(20),
        counterparty: null, quantity: null, documentHash: null, details: { lot },
      });
      await database.db.transaction((tx) => persistRange(tx, set, [], checkpoint));
    };
    await write("first");
    await write("second");
    expect((await database.db.select().from(batches)).map((row) => row.lot)).toEqual(["second"]);
    expect((await database.db.select().from(traceEvents)).map((row) => row.details)).toEqual([{ lot: "first" }]);
  });
});
