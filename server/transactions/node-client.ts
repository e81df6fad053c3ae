/**
 * JSON-RPC calls for the write path. Unlike the indexer's RpcClient, it keeps the node's error as
 * sent (code, message and `data`): a revert's data is what names the contract's custom error.
 */
export class NodeError extends Error {
  override readonly name = "NodeError";
  constructor(
    readonly method: string,
    message: string,
    readonly code?: number,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/** The node cannot be reached or answered garbage: nothing about the request itself is known. */
export class NodeUnavailableError extends Error {
  override readonly name = "NodeUnavailableError";
}

export interface NodeClient {
  call<T>(method: string, params: unknown[]): Promise<T>;
}

export function createNodeClient(url: string, timeoutMs = 15_000): NodeClient {
  let nextId = 1;
  return {
    async call<T>(method: string, params: unknown[]): Promise<T> {
      let text: string;
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        throw new NodeUnavailableError(`${method}: ${error instanceof Error ? error.message : String(error)}`);
      }
      let body: { result?: T; error?: { code?: number; message?: string; data?: unknown } };
      try {
        body = JSON.parse(text);
      } catch {
        throw new NodeUnavailableError(`${method}: malformed response: ${text.slice(0, 200)}`);
      }
      if (body.error) throw new NodeError(method, String(body.error.message ?? "error"), body.error.code, body.error.data);
      if (!("result" in body)) throw new NodeUnavailableError(`${method}: response without result`);
      return body.result as T;
    },
  };
}
