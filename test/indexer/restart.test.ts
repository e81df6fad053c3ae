import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { gt, sql } from "drizzle-orm";
import { indexedBlocks, indexerCheckpoints, undoLog } from "../../shared/db/schema";
import { FatalIndexerError, type IndexerOptions } from "../../indexer/sync";
import { startTestChain, type TestChain } from "../support/chain";
import { openTestDatabase, databaseKind } from "../support/database";
import { loadDemo, recordingLogger, referenceDump, testIndexer, waitFor, type TestDatabase } from "../support/indexer";
import { dumpTables, rowCounts, type TableDump } from "../support/tables";

/**
 * Stopping the indexer between ranges, or having a range's transaction fail at its very last write,
 * must leave the tables exactly as a sync up to the checkpoint would, and a new indexer instance over
 * the same database must finish with the tables of one uninterrupted sync: no gap, no duplicate.
 */
describe(`indexer stop and restart on hardhat node (${databaseKind})`, () => {
  let chain: TestChain;
  let database: TestDatabase;
  let start: number;
  let head: number;
  /** Tables of one uninterrupted sync: of the whole chain, and up to the checkpoints the tests stop at. */
  let full: TableDump;
  const upTo = new Map<number, TableDump>();
  /**
   * The range of 4 blocks starting there fails in the second test (chosen in beforeAll): one that
   * commissions and inspects batches, and one that settles and closes holders of a receivable.
   */
  const failRanges = { goods: 0, receivables: 0 };
  /** Where the first test stops inside the demo's receivables story (chosen in beforeAll). */
  let soldAt: number;
  let beforeLotRelease: number;

  beforeAll(async () => {
    [chain, database] = await Promise.all([startTestChain("hardhat"), openTestDatabase()]);
    await loadDemo(chain);
    start = chain.deployment.startBlock;
    head = await chain.provider.getBlockNumber();
    expect(head - start).toBeGreaterThan(30);
    full = await referenceDump(chain, database);
    // The first of the 4-block ranges the test syncs in (from `start`) that commissions and inspects
    // a batch, past the members' admissions; and the first that settles and closes receivable holders.
    const typesFrom = (block: number, events: { blockNumber: number; type: string }[] = full.traceEvents) =>
      new Set(events.filter((e) => e.blockNumber >= block && e.blockNumber <= block + 3).map((e) => e.type));
    failRanges.goods = start + 16;
    while (!(typesFrom(failRanges.goods).has("commissioned") && typesFrom(failRanges.goods).has("inspected"))) failRanges.goods += 4;
    expect(failRanges.goods + 3).toBeLessThan(head);
    const settles = (block: number) => typesFrom(block, full.receivableEvents);
    failRanges.receivables = start;
    while (!(settles(failRanges.receivables).has("holder_settled") && settles(failRanges.receivables).has("holder_closed"))) {
      failRanges.receivables += 4;
      expect(failRanges.receivables).toBeLessThan(head);
    }
    // The first test's stops inside the receivables story: right after a part is sold to the bank,
    // and right before a lot is freed after its holder was settled (the freeing then has a range of its own).
    const lastOf = (type: string) => Math.max(...full.receivableEvents.filter((e) => e.type === type).map((e) => e.blockNumber));
    soldAt = lastOf("sold");
    beforeLotRelease = lastOf("lot_released") - 1;
    expect(soldAt).toBeGreaterThan(start + 24);
    expect(beforeLotRelease).toBeGreaterThan(soldAt);
    const stops = [start + 9, start + 24, soldAt, beforeLotRelease, failRanges.goods - 1, failRanges.receivables - 1];
    for (const block of stops) upTo.set(block, await referenceDump(chain, database, block));
  });
  afterAll(async () => {
    await chain?.stop();
    await database?.close();
  });
  beforeEach(() => database.reset());

  const checkpointBlock = async () => (await database.db.select().from(indexerCheckpoints))[0]?.blockNumber;

  /** Runs a new indexer instance and aborts its run() right after its `ranges`-th range is committed. */
  async function runAndStopAfter(ranges: number, overrides: Partial<IndexerOptions>): Promise<number> {
    const controller = new AbortController();
    let indexed = 0;
    const logger = recordingLogger((entry) => {
      if (entry.message === "Indexed range" && ++indexed === ranges) controller.abort();
    });
    const guard = setTimeout(() => controller.abort(), 30_000);
    await testIndexer(chain, database.db, { ...overrides, logger }).run(controller.signal);
    clearTimeout(guard);
    return indexed;
  }

  it("resumes with new instances after stops between ranges: no gap, no duplicate", async () => {
    // Instance 1: one block per range, stopped after 10 ranges.
    expect(await runAndStopAfter(10, { maxBlockRange: 1 })).toBe(10);
    expect(await checkpointBlock()).toBe(start + 9);
    expect(await dumpTables(database.db)).toEqual(upTo.get(start + 9));

    // Instance 2: three blocks per range, stopped after 5 ranges.
    expect(await runAndStopAfter(5, { maxBlockRange: 3 })).toBe(5);
    expect(await checkpointBlock()).toBe(start + 24);
    expect(await dumpTables(database.db)).toEqual(upTo.get(start + 24));

    // Instance 3: one range that ends in the middle of the receivables story, right after a sale.
    expect(await runAndStopAfter(1, { maxBlockRange: soldAt - (start + 24) })).toBe(1);
    expect(await checkpointBlock()).toBe(soldAt);
    expect(await dumpTables(database.db)).toEqual(upTo.get(soldAt));
    expect(rowCounts(upTo.get(soldAt)!).receivableEvents).toBeLessThan(rowCounts(full).receivableEvents);

    // Instance 4: one block per range through payments, settlements and closings, stopped before a lot is freed.
    const between = full.receivableEvents.filter((e) => e.blockNumber > soldAt && e.blockNumber <= beforeLotRelease);
    expect(between.map((e) => e.type)).toEqual(expect.arrayContaining(["lot_pledged", "payment", "holder_settled", "holder_closed"]));
    expect(await runAndStopAfter(beforeLotRelease - soldAt, { maxBlockRange: 1 })).toBe(beforeLotRelease - soldAt);
    expect(await checkpointBlock()).toBe(beforeLotRelease);
    expect(await dumpTables(database.db)).toEqual(upTo.get(beforeLotRelease));

    // Instance 5 finishes in one range.
    const last = testIndexer(chain, database.db);
    expect(await last.syncToHead()).toBe(head);
    const dump = await dumpTables(database.db);
    expect(rowCounts(dump)).toEqual(rowCounts(full));
    expect(dump).toEqual(full);

    // A further instance finds nothing to do and changes nothing.
    expect(await testIndexer(chain, database.db, { maxBlockRange: 2 }).syncToHead()).toBe(head);
    expect(await dumpTables(database.db)).toEqual(full);
  });

  it.each([
    { name: "commissions and inspects batches", kind: "goods" as const },
    { name: "settles and closes receivable holders", kind: "receivables" as const },
  ])("a range that $name and fails at its last write leaves nothing half-written; a restart completes it", async ({ kind }) => {
    // A real database failure, no mock: a trigger makes the checkpoint update (the last statement of
    // a range's transaction, after its state, event, undo and block rows) raise from block failAt on.
    const failAt = failRanges[kind];
    const rangeEnd = failAt + 3;
    // The failing range holds events that write event rows and change state rows.
    if (kind === "goods") {
      const inRange = full.traceEvents.filter((e) => e.blockNumber >= failAt && e.blockNumber <= rangeEnd);
      expect(inRange.map((e) => e.type)).toEqual(expect.arrayContaining(["commissioned", "inspected"]));
    } else {
      const inRange = full.receivableEvents.filter((e) => e.blockNumber >= failAt && e.blockNumber <= rangeEnd);
      expect(inRange.map((e) => e.type)).toEqual(expect.arrayContaining(["holder_settled", "holder_closed"]));
    }
    await database.db.execute(
      sql.raw(`CREATE OR REPLACE FUNCTION simulated_crash() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.block_number >= ${failAt} THEN RAISE EXCEPTION 'simulated crash at block %', NEW.block_number; END IF;
          RETURN NEW;
        END $$`),
    );
    await database.db.execute(
      sql.raw(`CREATE TRIGGER simulated_crash BEFORE INSERT OR UPDATE ON indexer_checkpoints
        FOR EACH ROW EXECUTE FUNCTION simulated_crash()`),
    );
    try {
      // Ranges of 4 from `start`: [failAt, failAt+3] is the first one that fails.
      const failure = await testIndexer(chain, database.db, { maxBlockRange: 4 }).syncToHead().then(
        () => undefined,
        (error: Error) => error,
      );
      // Drizzle wraps the database error: the reason is the cause.
      expect((failure?.cause as Error | undefined)?.message).toMatch(/simulated crash at block/);
      expect(await checkpointBlock()).toBe(failAt - 1);
      expect(await dumpTables(database.db)).toEqual(upTo.get(failAt - 1));
      // The bookkeeping of the failed range was rolled back too.
      expect(await database.db.select().from(undoLog).where(gt(undoLog.blockNumber, failAt - 1))).toEqual([]);
      expect(await database.db.select().from(indexedBlocks).where(gt(indexedBlocks.number, failAt - 1))).toEqual([]);

      // run() keeps retrying the failed step; once the database accepts writes again it catches up.
      const controller = new AbortController();
      const logger = recordingLogger();
      const running = testIndexer(chain, database.db, { maxBlockRange: 4, logger }).run(controller.signal);
      try {
        await waitFor("the step failure to be logged", () =>
          logger.entries.some((e) => e.level === "error" && /simulated crash/.test(String(e.fields?.cause))),
        );
        expect(await checkpointBlock()).toBe(failAt - 1);
        await database.db.execute(sql.raw("DROP TRIGGER simulated_crash ON indexer_checkpoints"));
        await waitFor("the indexer to reach the head", async () => (await checkpointBlock()) === head);
      } finally {
        controller.abort();
        await running;
      }
      expect(await dumpTables(database.db)).toEqual(full);
    } finally {
      await database.db.execute(sql.raw("DROP TRIGGER IF EXISTS simulated_crash ON indexer_checkpoints"));
      await database.db.execute(sql.raw("DROP FUNCTION IF EXISTS simulated_crash()"));
    }
  });

  it("refuses to resume over a database that indexes another deployment", async () => {
    await testIndexer(chain, database.db, { maxBlockRange: 10, confirmations: head - start - 5 }).syncToHead();
    const before = await dumpTables(database.db);
    const other = { ...chain.deployment, startBlock: chain.deployment.startBlock + 1 };
    await expect(testIndexer(chain, database.db, { deployment: other }).syncToHead()).rejects.toThrow(FatalIndexerError);
    expect(await dumpTables(database.db)).toEqual(before);
  });
});
