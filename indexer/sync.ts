import { desc, eq, lte } from "drizzle-orm";
import type { Database } from "../shared/db/client";
import { indexedBlocks, indexerCheckpoints } from "../shared/db/schema";
import type { Deployment } from "../shared/chain/deployments";
import { RangeTooLargeError, withRetry, type RpcBlock, type RpcClient, type RpcLog } from "../shared/chain/rpc";
import type { Logger } from "../shared/logger";
import { createDecoder, type DecodedEvent, type EventDecoder } from "./decode";
import { handlerFor } from "./handlers";
import { CHECKPOINT_ID, persistRange, saveCheckpoint, type Checkpoint } from "./persist";
import { pruneFinalized, rollbackAbove } from "./rollback";
import { emptyTouches, WorkingSet } from "./working-set";

/** Stops the indexer: continuing would corrupt the read model. */
export class FatalIndexerError extends Error {
  override readonly name = "FatalIndexerError";
}

/** The chain changed under a range being read; the step is retried and the reorg check finds it. */
class ChainMovedError extends Error {}

const MAX_CHAIN_MOVES = 20;

export interface IndexerOptions {
  db: Database;
  rpc: RpcClient;
  deployment: Deployment;
  logger: Logger;
  confirmations: number;
  reorgWindow: number;
  maxBlockRange: number;
  pollIntervalMs: number;
}

export interface IndexerStatus {
  checkpoint: number;
  head: number;
  lagBlocks: number;
  eventsIndexed: number;
  reorgs: number;
  blockRange: number;
}

export interface Indexer {
  /** Indexes until the safe head is reached; resolves with the checkpoint block. */
  syncToHead(): Promise<number>;
  /** Follows the head until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
  status(): IndexerStatus;
}

const deploymentKey = (d: Deployment) =>
  `${d.chainId}:${d.contracts.MemberRegistry.toLowerCase()}:${d.contracts.ProvenanceLedger.toLowerCase()}:${d.startBlock}`;

export function createIndexer(options: IndexerOptions): Indexer {
  const { db, rpc, deployment, logger, confirmations, reorgWindow, maxBlockRange } = options;
  const decoder = createDecoder(deployment);
  const key = deploymentKey(deployment);
  const state: IndexerStatus = { checkpoint: -1, head: -1, lagBlocks: 0, eventsIndexed: 0, reorgs: 0, blockRange: maxBlockRange };
  /** Set while `run` follows the head, so that Ctrl-C also ends a retry loop against a dead node. */
  let stopSignal: AbortSignal | undefined;
  /** Smallest range the node refused: growing back never reaches it again, so a hard limit costs one refusal. */
  let refusedRange = Number.POSITIVE_INFINITY;
  const retry = <T>(operation: () => Promise<T>) =>
    withRetry(operation, {
      signal: stopSignal,
      onRetry: (error, attempt) => logger.warn("RPC failed, retrying", { attempt, error: error.message }),
    });

  async function loadCheckpoint(): Promise<Checkpoint> {
    const [row] = await db.select().from(indexerCheckpoints).where(eq(indexerCheckpoints.id, CHECKPOINT_ID));
    if (row) {
      if (row.deploymentKey !== key) {
        throw new FatalIndexerError(
          `The database indexes another deployment (${row.deploymentKey}), not ${key}. Use a fresh database.`,
        );
      }
      return row;
    }
    const chainId = await retry(() => rpc.chainId());
    if (chainId !== deployment.chainId) {
      throw new FatalIndexerError(`RPC chain id ${chainId} differs from the deployment's ${deployment.chainId}`);
    }
    const before = deployment.startBlock - 1;
    const block = before >= 0 ? await retry(() => rpc.block(before)) : null;
    const initial = {
      chainId, deploymentKey: key, blockNumber: before, blockHash: block?.hash ?? "0x", blockTime: block?.timestamp ?? 0, headBlock: before,
    };
    await saveCheckpoint(db, initial);
    return initial;
  }

  /** Compares the checkpoint with the chain; on a fork, rolls back to the newest common block. */
  async function reconcileReorg(checkpoint: Checkpoint): Promise<Checkpoint> {
    if (checkpoint.blockNumber < 0) return checkpoint;
    const canonical = await retry(() => rpc.block(checkpoint.blockNumber));
    if (canonical?.hash === checkpoint.blockHash) return checkpoint;

    const stored = await db
      .select()
      .from(indexedBlocks)
      .where(lte(indexedBlocks.number, checkpoint.blockNumber))
      .orderBy(desc(indexedBlocks.number));
    for (const block of stored) {
      const onChain = await retry(() => rpc.block(block.number));
      if (onChain?.hash !== block.hash) continue;
      const next = { ...checkpoint, blockNumber: block.number, blockHash: block.hash, blockTime: onChain.timestamp };
      const { undone } = await db.transaction(async (tx) => {
        const result = await rollbackAbove(tx, block.number);
        await saveCheckpoint(tx, next);
        return result;
      });
      state.reorgs++;
      logger.warn("Chain reorganization: rolled back", {
        from: checkpoint.blockNumber,
        to: block.number,
        stateRowsRestored: undone,
      });
      return next;
    }
    throw new FatalIndexerError(
      `Reorganization deeper than the reorg window (${reorgWindow} blocks) below block ${checkpoint.blockNumber}: rebuild the database`,
    );
  }

  /**
   * eth_getLogs over [from, to], halving the range while the node refuses it. Also returns the hash
   * the range's last block had just before the logs were read (see its use in `step`).
   */
  async function fetchLogs(from: number, to: number): Promise<{ logs: RpcLog[]; to: number; toHash: string }> {
    for (;;) {
      const end = Math.min(to, from + state.blockRange - 1);
      try {
        const endBlock = await retry(() => rpc.block(end));
        if (!endBlock) throw new ChainMovedError(`block ${end} vanished`);
        const logs = await retry(() => rpc.logs(decoder.addresses, from, end));
        // Only a full-width range accepted says the node may take a wider one (not one cut at the safe head).
        if (end - from + 1 === state.blockRange) {
          state.blockRange = Math.max(state.blockRange, Math.min(maxBlockRange, state.blockRange * 2, refusedRange - 1));
        }
        return { logs, to: end, toHash: endBlock.hash };
      } catch (error) {
        if (!(error instanceof RangeTooLargeError) || state.blockRange === 1) throw error;
        refusedRange = Math.min(refusedRange, end - from + 1);
        state.blockRange = Math.max(1, Math.floor(state.blockRange / 2));
        logger.info("Node refused the log range; shrinking it", { blockRange: state.blockRange });
      }
    }
  }

  /** Block headers, BLOCKS_PER_BATCH per JSON-RPC batch, BATCHES_IN_FLIGHT batches at a time. */
  async function fetchBlocks(numbers: number[]): Promise<Map<number, RpcBlock>> {
    const BLOCKS_PER_BATCH = 100;
    const BATCHES_IN_FLIGHT = 4;
    const blocks = new Map<number, RpcBlock>();
    const slices: number[][] = [];
    for (let i = 0; i < numbers.length; i += BLOCKS_PER_BATCH) slices.push(numbers.slice(i, i + BLOCKS_PER_BATCH));
    for (let i = 0; i < slices.length; i += BATCHES_IN_FLIGHT) {
      const group = slices.slice(i, i + BATCHES_IN_FLIGHT);
      const fetched = await Promise.all(group.map((slice) => retry(() => rpc.blocks(slice))));
      fetched.flat().forEach((block, j) => {
        if (!block) throw new ChainMovedError(`block ${group.flat()[j]} vanished`);
        blocks.set(block.number, block);
      });
    }
    return blocks;
  }

  /** Indexes one range after the checkpoint; returns false when already at the safe head. */
  async function step(): Promise<boolean> {
    let checkpoint = await reconcileReorg(await loadCheckpoint());
    const head = await retry(() => rpc.blockNumber());
    state.head = head;
    const safeHead = head - confirmations;
    state.checkpoint = checkpoint.blockNumber;
    state.lagBlocks = Math.max(0, safeHead - checkpoint.blockNumber);
    if (checkpoint.blockNumber >= safeHead) return false;

    const from = checkpoint.blockNumber + 1;
    const { logs, to, toHash } = await fetchLogs(from, safeHead);
    // The last `reorgWindow` blocks and their parent: the common ancestor of the deepest reorg undone.
    const windowStart = head - reorgWindow;
    const unfinalized = to >= windowStart;

    // Inside the reorg window every block header is kept, so a later fork can find its ancestor;
    // below it only the blocks that carry logs (for their timestamps) and the range end.
    const wanted = new Set<number>(logs.map((log) => log.blockNumber));
    wanted.add(to);
    if (unfinalized) for (let n = Math.max(from, windowStart); n <= to; n++) wanted.add(n);
    const blocks = await fetchBlocks([...wanted].sort((a, b) => a - b));

    // Logs name their block hash, but no logs name nothing: the range's last block, the same before the
    // logs were read and after, vouches that they come from the chain the blocks were read from.
    if (blocks.get(to)!.hash !== toHash) throw new ChainMovedError(`block ${to} changed while its logs were read`);

    for (const log of logs) {
      if (log.removed || blocks.get(log.blockNumber)!.hash !== log.blockHash) {
        throw new ChainMovedError(`log of block ${log.blockNumber} is not on the canonical chain`);
      }
    }
    if (unfinalized) {
      const first = blocks.get(Math.max(from, windowStart))!;
      if (first.number === from && checkpoint.blockNumber >= 0 && first.parentHash !== checkpoint.blockHash) {
        throw new ChainMovedError(`block ${from} does not extend the checkpoint`);
      }
      for (let n = first.number + 1; n <= to; n++) {
        if (blocks.get(n)!.parentHash !== blocks.get(n - 1)!.hash) throw new ChainMovedError(`fork at block ${n}`);
      }
    }

    const events = logs.map((log) => decoder.decode(log));
    const set = new WorkingSet(unfinalized ? windowStart : Number.POSITIVE_INFINITY);
    const touches = emptyTouches();
    for (const event of events) handlerFor(event.contract, event.name).touches?.(event.args, touches);

    const recentBlocks = [...blocks.values()].filter((b) => b.number >= windowStart);
    const last = blocks.get(to)!;
    checkpoint = { ...checkpoint, blockNumber: to, blockHash: last.hash, blockTime: last.timestamp, headBlock: head };
    await db.transaction(async (tx) => {
      await set.load(tx, touches);
      for (const event of events) applyEvent(set, event, blocks, decoder);
      await persistRange(tx, set, recentBlocks, checkpoint);
      if (unfinalized || recentBlocks.length > 0) await pruneFinalized(tx, windowStart - 1);
    });
    state.eventsIndexed += events.length;
    state.checkpoint = to;
    state.lagBlocks = Math.max(0, safeHead - to);
    logger.debug("Indexed range", { from, to, events: events.length });
    return to < safeHead;
  }

  /**
   * A step whose chain moved under it is simply retried: the next one sees the reorg. A node that
   * keeps answering blocks that do not link up is not reorganizing but broken, so after
   * MAX_CHAIN_MOVES retries in a row the step fails with the reason instead of spinning forever.
   */
  let chainMovesInARow = 0;
  async function guardedStep(): Promise<boolean> {
    try {
      const more = await step();
      chainMovesInARow = 0;
      return more;
    } catch (error) {
      if (!(error instanceof ChainMovedError)) throw error;
      if (++chainMovesInARow > MAX_CHAIN_MOVES) {
        chainMovesInARow = 0;
        throw new Error(`The node's chain keeps changing under every read (${error.message}); is the node healthy?`);
      }
      logger.warn("Chain moved while reading a range; retrying", { reason: error.message });
      await sleep(Math.min(2_000, 50 * chainMovesInARow), stopSignal ?? new AbortController().signal);
      return true;
    }
  }

  return {
    async syncToHead() {
      while (await guardedStep());
      return state.checkpoint;
    },
    async run(signal) {
      stopSignal = signal;
      while (!signal.aborted) {
        let more = false;
        try {
          more = await guardedStep();
        } catch (error) {
          if (error instanceof FatalIndexerError) throw error;
          // Database errors arrive wrapped ("Failed query: ..."); the reason is their cause.
          const { message, cause } = error as Error;
          logger.error("Indexer step failed; will retry", { error: message, ...(cause instanceof Error && { cause: cause.message }) });
        }
        if (!more) await sleep(options.pollIntervalMs, signal);
      }
    },
    status: () => ({ ...state }),
  };
}

function applyEvent(set: WorkingSet, event: DecodedEvent, blocks: Map<number, RpcBlock>, decoder: EventDecoder): void {
  const block = blocks.get(event.log.blockNumber)!;
  handlerFor(event.contract, event.name).apply(
    {
      set,
      contractAt: decoder.contractAt,
      at: {
        blockNumber: event.log.blockNumber,
        blockHash: event.log.blockHash.toLowerCase(),
        txHash: event.log.transactionHash.toLowerCase(),
        logIndex: event.log.logIndex,
        blockTime: block.timestamp,
      },
    },
    event.args,
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
