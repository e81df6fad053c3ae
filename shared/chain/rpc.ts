/**
 * A minimal JSON-RPC client for the read side. It owns timeouts and the classification of failures,
 * which decide what the indexer does next:
 * - {RetryableRpcError}: the node is down, slow or rate-limiting; back off and try again;
 * - {RangeTooLargeError}: the node refuses an eth_getLogs range; ask for fewer blocks;
 * - {FatalRpcError}: the request itself is wrong; retrying cannot help.
 */
export class RetryableRpcError extends Error {
  override readonly name = "RetryableRpcError";
}
export class RangeTooLargeError extends Error {
  override readonly name = "RangeTooLargeError";
}
export class FatalRpcError extends Error {
  override readonly name = "FatalRpcError";
  constructor(message: string, readonly code?: number) {
    super(message);
  }
}

/** Phrases nodes use when a log query spans too many blocks or results (geth, Besu, Alchemy, Infura...). */
const RANGE_LIMIT_PATTERNS = [
  /block range/i,
  /range (is )?too (large|wide|big)/i,
  /more than \d+ (results|logs|blocks)/i,
  /query returned more than/i,
  /limit exceeded/i,
  /too many (results|logs|blocks)/i,
  /response size/i,
];

export interface RpcBlock {
  number: number;
  hash: string;
  parentHash: string;
  timestamp: number;
}

export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  logIndex: number;
  removed?: boolean;
}

/** A node that refuses JSON-RPC batches; the client then sends one call per request. */
class BatchRefusedError extends FatalRpcError {}

type Answer<T> = { id?: unknown; result?: T; error?: { code: number; message: string } };

export class RpcClient {
  private nextId = 1;
  private batching = true;

  constructor(
    readonly url: string,
    readonly timeoutMs = 15_000,
  ) {}

  async call<T>(method: string, params: unknown[]): Promise<T> {
    const { status, text } = await this.post(method, { jsonrpc: "2.0", id: this.nextId++, method, params });
    let body: Answer<T>;
    try {
      body = JSON.parse(text);
    } catch {
      throw new RetryableRpcError(`${method}: malformed response (HTTP ${status})`);
    }
    return unwrap(method, body);
  }

  /**
   * The same method with each of `paramsList`, as one JSON-RPC batch; answers in the calls' order.
   * Throws {BatchRefusedError} when the node answers the batch as a whole with a lasting error.
   */
  private async batch<T>(method: string, paramsList: unknown[][]): Promise<T[]> {
    const firstId = this.nextId;
    this.nextId += paramsList.length;
    const calls = paramsList.map((params, i) => ({ jsonrpc: "2.0", id: firstId + i, method, params }));
    const { status, text } = await this.post(method, calls);
    let body: Answer<T>[] | Answer<T>;
    try {
      body = JSON.parse(text);
    } catch {
      if (status >= 400) throw new BatchRefusedError(`${method}: batch refused (HTTP ${status})`);
      throw new RetryableRpcError(`${method}: malformed response (HTTP ${status})`);
    }
    if (!Array.isArray(body)) {
      // One answer for the whole batch: transient trouble is retried, anything else means no batches.
      try {
        unwrap(method, body);
      } catch (error) {
        if (error instanceof RetryableRpcError) throw error;
      }
      throw new BatchRefusedError(`${method}: batch refused: ${text.slice(0, 200)}`);
    }
    const byId = new Map(body.map((answer) => [answer.id, answer]));
    return calls.map((call) => {
      const answer = byId.get(call.id);
      if (!answer) throw new RetryableRpcError(`${method}: the batch answer lacks call ${call.id}`);
      return unwrap(method, answer);
    });
  }

  /** POSTs a request; transport failures and overload statuses become retryable or range errors. */
  private async post(method: string, request: unknown): Promise<{ status: number; text: string }> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new RetryableRpcError(`${method}: ${describe(error)}`);
    }
    const text = await response.text().catch((error) => {
      throw new RetryableRpcError(`${method}: reading response failed: ${describe(error)}`);
    });
    if (response.status === 429 || response.status >= 500) {
      if (isRangeLimit(text)) throw new RangeTooLargeError(`${method}: ${text.slice(0, 200)}`);
      throw new RetryableRpcError(`${method}: HTTP ${response.status}`);
    }
    return { status: response.status, text };
  }

  async chainId(): Promise<number> {
    return Number(await this.call<string>("eth_chainId", []));
  }

  async blockNumber(): Promise<number> {
    return Number(await this.call<string>("eth_blockNumber", []));
  }

  async block(number: number): Promise<RpcBlock | null> {
    const raw = await this.call<RawBlock | null>("eth_getBlockByNumber", [toHex(number), false]);
    return raw && parseBlock(raw);
  }

  /**
   * Blocks by number, in one JSON-RPC batch: one request instead of one per block, which made header
   * fetches a large part of a sync. Falls back to single calls, 16 at a time, for good once a node
   * refuses batches.
   */
  async blocks(numbers: number[]): Promise<(RpcBlock | null)[]> {
    if (this.batching) {
      try {
        const raw = await this.batch<RawBlock | null>("eth_getBlockByNumber", numbers.map((n) => [toHex(n), false]));
        return raw.map((block) => block && parseBlock(block));
      } catch (error) {
        // A node may also refuse a batch as too large ("batch limit exceeded").
        if (!(error instanceof BatchRefusedError) && !(error instanceof RangeTooLargeError)) throw error;
        this.batching = false;
      }
    }
    const blocks: (RpcBlock | null)[] = [];
    for (let i = 0; i < numbers.length; i += 16) {
      blocks.push(...(await Promise.all(numbers.slice(i, i + 16).map((n) => this.block(n)))));
    }
    return blocks;
  }

  async logs(addresses: string[], fromBlock: number, toBlock: number): Promise<RpcLog[]> {
    const raw = await this.call<RawLog[]>("eth_getLogs", [
      { address: addresses, fromBlock: toHex(fromBlock), toBlock: toHex(toBlock) },
    ]);
    return raw.map(parseLog);
  }
}

interface RawBlock {
  number: string;
  hash: string;
  parentHash: string;
  timestamp: string;
}
type RawLog = Omit<RpcLog, "blockNumber" | "logIndex"> & { blockNumber: string; logIndex: string };

const toHex = (n: number) => "0x" + n.toString(16);
const parseBlock = (raw: RawBlock): RpcBlock => ({
  number: Number(raw.number),
  hash: raw.hash,
  parentHash: raw.parentHash,
  timestamp: Number(raw.timestamp),
});
const parseLog = (raw: RawLog): RpcLog => ({
  ...raw,
  address: raw.address.toLowerCase(),
  blockNumber: Number(raw.blockNumber),
  logIndex: Number(raw.logIndex),
});

/** The result of one JSON-RPC answer, or its error classified. */
function unwrap<T>(method: string, body: Answer<T>): T {
  if (body.error) {
    const message = `${method}: ${body.error.message}`;
    if (isRangeLimit(body.error.message) || body.error.code === -32005) throw new RangeTooLargeError(message);
    // -32603 internal error and -32000 server error are how nodes report transient trouble.
    if (body.error.code === -32603 || body.error.code === -32000) throw new RetryableRpcError(message);
    throw new FatalRpcError(message, body.error.code);
  }
  if (!("result" in body)) throw new RetryableRpcError(`${method}: response without result`);
  return body.result as T;
}

const isRangeLimit = (message: string) => RANGE_LIMIT_PATTERNS.some((pattern) => pattern.test(message));
const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** Runs `operation`, retrying {RetryableRpcError}s with exponential backoff capped at `maxDelayMs`. */
export async function withRetry<T>(
  operation: () => Promise<T>,
  options: {
    retries?: number;
    baseDelayMs?: number;
    maxDelayMs?: number;
    /** Stops retrying (the last error is thrown) once aborted. */
    signal?: AbortSignal;
    onRetry?: (error: Error, attempt: number) => void;
  } = {},
): Promise<T> {
  const { retries = 8, baseDelayMs = 100, maxDelayMs = 5_000, signal, onRetry } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof RetryableRpcError) || attempt > retries || signal?.aborted) throw error;
      onRetry?.(error, attempt);
      const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, delay);
        function done() {
          clearTimeout(timer);
          signal?.removeEventListener("abort", done);
          resolve();
        }
        signal?.addEventListener("abort", done, { once: true });
      });
    }
  }
}
