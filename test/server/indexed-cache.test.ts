import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveCheckpoint } from "../../indexer/persist";
import type { CheckpointWatch } from "../../shared/db/checkpoint-watch";
import { createIndexedCache } from "../../server/http/indexed-cache";
import { databaseKind, openTestDatabase } from "../support/database";

type TestDb = Awaited<ReturnType<typeof openTestDatabase>>;

const hash = (n: number) => "0x" + n.toString(16).padStart(64, "0");
const checkpointAt = (block: number) => ({ chainId: 31337, deploymentKey: "test", blockNumber: block, blockHash: hash(block), blockTime: 0, headBlock: block });

/** Polls `condition` for up to two seconds: a notification crosses a connection. */
async function eventually(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met within 2 s");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe(`answers cached per indexed state (${databaseKind})`, () => {
  let database: TestDb;
  let watch: CheckpointWatch;
  beforeAll(async () => {
    database = await openTestDatabase();
    await database.reset();
    watch = await database.watchCheckpoint();
  });
  afterAll(async () => {
    await watch?.close();
    await database?.close();
  });

  /** A cache whose loads count themselves and answer the count. */
  function countingCache(withWatch: boolean) {
    const cache = createIndexedCache<string, number>(database.db, 2, withWatch ? watch : undefined);
    let loads = 0;
    return { get: (key: string) => cache.get(key, async () => ++loads), loads: () => loads };
  }

  /** Moves the checkpoint as the indexer does, and waits for the announcement to arrive. */
  async function moveCheckpoint(block: number): Promise<void> {
    const before = watch.moves;
    await database.db.transaction((tx) => saveCheckpoint(tx, checkpointAt(block)));
    await eventually(async () => watch.moves > before);
  }

  it.each([
    ["with the checkpoint watch", true],
    ["reading the checkpoint per request", false],
  ])("%s: serves the cached answer until the checkpoint moves, in a commit or a rollback", async (_name, withWatch) => {
    expect(watch.live).toBe(true);
    const cache = countingCache(withWatch);
    await moveCheckpoint(10);
    const first = await cache.get("a");
    expect(await cache.get("a")).toBe(first);
    expect(cache.loads()).toBe(1);

    // A committed range moves the checkpoint: the next answer is loaded again.
    await moveCheckpoint(11);
    const second = await cache.get("a");
    expect(second).not.toBe(first);
    expect(await cache.get("a")).toBe(second);

    // A range whose transaction fails announces nothing: the cached answer stands.
    const moves = watch.moves;
    await expect(
      database.db.transaction(async (tx) => {
        await saveCheckpoint(tx, checkpointAt(12));
        throw new Error("simulated failure");
      }),
    ).rejects.toThrow("simulated failure");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(watch.moves).toBe(moves);
    expect(await cache.get("a")).toBe(second);

    // A reorg moves the checkpoint back: also a new state.
    await moveCheckpoint(9);
    expect(await cache.get("a")).not.toBe(second);
  });

  it("keeps at most its bound of entries, dropping the oldest", async () => {
    const cache = countingCache(true);
    await moveCheckpoint(20);
    const a = await cache.get("a");
    await cache.get("b");
    await cache.get("c"); // the third key evicts "a"
    expect(await cache.get("a")).not.toBe(a);
  });
});
