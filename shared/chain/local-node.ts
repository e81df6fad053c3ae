import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export type LocalNodeKind = "hardhat" | "anvil";

export interface LocalNode {
  kind: LocalNodeKind;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "node_modules", ".bin");

/**
 * Starts an embedded JSON-RPC node on 127.0.0.1 (`hardhat node`, or `anvil` whose `--state` file lets
 * the chain survive restarts) and resolves once it answers eth_chainId.
 */
export async function startLocalNode(options: {
  kind?: LocalNodeKind;
  port: number;
  stateFile?: string;
  /** Appended to the node's command line, e.g. `["--gas-limit", "60000000"]` for anvil. */
  extraArgs?: string[];
  onOutput?: (line: string) => void;
}): Promise<LocalNode> {
  const kind = options.kind ?? "hardhat";
  const args =
    kind === "hardhat"
      ? ["node", "--hostname", "127.0.0.1", "--port", String(options.port)]
      : ["--host", "127.0.0.1", "--port", String(options.port), "--chain-id", "31337", "--accounts", "20", "--silent",
         ...(options.stateFile ? ["--state", options.stateFile, "--state-interval", "1"] : [])];
  args.push(...(options.extraArgs ?? []));
  const child = spawn(path.join(BIN, kind), args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], detached: false });
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
    options.onOutput?.(chunk.toString());
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);

  const url = `http://127.0.0.1:${options.port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`${kind} exited with code ${code} before it answered:\n${output}`))),
  );
  exited.catch(() => {});
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await Promise.race([isAnswering(url), exited]);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${kind} did not answer on ${url} within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    kind,
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      }),
  };
}

async function isAnswering(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(1000),
    });
    return response.ok;
  } catch {
    return false;
  }
}
