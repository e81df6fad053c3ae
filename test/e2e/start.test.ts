import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { HDNodeWallet } from "ethers";
import { startLocalNode } from "../../shared/chain/local-node";
import { freePort } from "../../shared/ports";

/** anvil's and hardhat's development mnemonic: its keys are public test keys, never secrets. */
const DEV_MNEMONIC = "test test test test test test test test test test test junk";

const ROOT = path.resolve(__dirname, "../..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

interface Running {
  child: ChildProcess;
  output: () => string;
  api: string;
}

/** Runs `npm start`'s program (contracts are compiled by `npm test` before this suite) until its banner. */
async function start(dataDir: string, args: string[] = [], env: Record<string, string> = {}): Promise<Running> {
  const [chainPort, apiPort] = [await freePort(), await freePort()];
  const child = spawn(TSX, ["scripts/start.ts", ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      CHAIN_PORT: String(chainPort),
      API_PORT: String(apiPort),
      DATABASE_URL: "",
      RPC_URL: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const deadline = Date.now() + 150_000;
  while (!output.includes("Press Ctrl-C to stop.")) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { child, output: () => output, api: `http://127.0.0.1:${apiPort}` };
}

async function stop(running: Running): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => running.child.once("exit", (code) => resolve(code)));
  running.child.kill("SIGINT");
  return exited;
}

/** GET as JSON; with a data folder, as the regulator of the demo it holds (demo-credentials.json). */
const json = async (url: string, dataDir?: string) => {
  const headers: Record<string, string> = dataDir ? { "x-api-key": demoCredentials(dataDir).members.regulator.apiKey } : {};
  return (await fetch(url, { headers })).json() as Promise<any>;
};
const demoCredentials = (dataDir: string) => JSON.parse(fs.readFileSync(path.join(dataDir, "demo-credentials.json"), "utf8"));

describe("npm start", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tracefin-start-"));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it("runs chain, indexer, API and demo, serves a trace, and stops cleanly on Ctrl-C", async () => {
    const dataDir = tempDir();
    const running = await start(dataDir);
    expect(running.output()).toContain("starts from genesis");
    const ready = await json(`${running.api}/readyz`);
    expect(ready).toMatchObject({ status: "ready", lagBlocks: 0 });
    expect((await fetch(`${running.api}/api/v1/batches?limit=200`)).status).toBe(401);
    const batches = await json(`${running.api}/api/v1/batches?limit=200`, dataDir);
    const juice = batches.items.find((b: any) => b.product.hsCode === "200979" && b.custodian.name?.includes("Port"));
    const trace = await json(`${running.api}/api/v1/batches/${juice.id}/trace?direction=backward`, dataDir);
    expect(trace.nodes.some((n: any) => n.batch.originRegion === 370686)).toBe(true);

    // The demo's credentials work as the banner says: an API key per member, and writes the server signs.
    const credentialsFile = path.join(dataDir, "demo-credentials.json");
    expect(running.output()).toContain(credentialsFile);
    if (process.platform !== "win32") expect(fs.statSync(credentialsFile).mode & 0o777).toBe(0o600);
    const { members } = demoCredentials(dataDir);
    const me = await (await fetch(`${running.api}/api/v1/auth/me`, { headers: { "x-api-key": members.bank.apiKey } })).json();
    expect(me).toMatchObject({ kind: "member", address: members.bank.address, via: "api-key" });
    const root = "0x" + "ab".repeat(32);
    const written = await fetch(`${running.api}/api/v1/writes`, {
      method: "POST",
      headers: { "x-api-key": members.orchard.apiKey, "idempotency-key": "e2e-1", "content-type": "application/json" },
      body: JSON.stringify({ contract: "ProvenanceLedger", function: "anchor", args: { root, eventCount: 1, uri: "" } }),
    });
    expect(written.status).toBe(200);
    expect(await written.json()).toMatchObject({ status: "success", from: members.orchard.address });
    // The access policy and its log: the orchard may not see the exposure view, and the regulator sees it tried.
    const refused = await fetch(`${running.api}/api/v1/receivables/exposure`, { headers: { "x-api-key": members.orchard.apiKey } });
    expect(refused.status).toBe(403);
    const log = await json(`${running.api}/api/v1/access-log?operation=getReceivablesExposure`, dataDir);
    expect(log.items[0]).toMatchObject({ caller: { address: members.orchard.address }, via: "api-key", status: 403 });
    expect(await stop(running)).toBe(0);
    expect(fs.existsSync(path.join(dataDir, "deployments.json"))).toBe(true);

    // Hardhat keeps no chain state: the second start rebuilds instead of trusting the old database.
    const again = await start(dataDir);
    expect(again.output()).toContain("starts from genesis");
    const count = (await json(`${again.api}/api/v1/batches?limit=200`, dataDir)).items.length;
    expect(count).toBe(batches.items.length);
    expect(await stop(again)).toBe(0);
  }, 300_000); // two starts, each deploying and loading the whole demo story

  it("with --chain anvil resumes chain and read model after a restart", async () => {
    const dataDir = tempDir();
    const first = await start(dataDir, ["--chain", "anvil"]);
    const before = await json(`${first.api}/api/v1/batches?limit=200`, dataDir);
    const readyBefore = await json(`${first.api}/readyz`);
    expect(await stop(first)).toBe(0);

    const second = await start(dataDir, ["--chain", "anvil"]);
    expect(second.output()).toContain("Resuming the embedded anvil chain");
    expect(second.output()).not.toContain("Loading the demo story");
    const after = await json(`${second.api}/api/v1/batches?limit=200`, dataDir);
    expect(after.items).toEqual(before.items);
    expect((await json(`${second.api}/readyz`)).indexedBlock).toBe(readyBefore.indexedBlock);
    expect(await stop(second)).toBe(0);

    const fresh = await start(dataDir, ["--chain", "anvil", "--fresh"]);
    expect(fresh.output()).toContain("Starting a new embedded anvil chain");
    expect((await json(`${fresh.api}/api/v1/batches?limit=200`, dataDir)).items).toHaveLength(before.items.length);
    expect(await stop(fresh)).toBe(0);
  });

  it("against an external chain deploys once with DEPLOYER_KEY, then resumes from the checkpoint", async () => {
    const node = await startLocalNode({ kind: "anvil", port: await freePort() });
    try {
      const deployerKey = HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, "m/44'/60'/0'/0/0").privateKey;
      const dataDir = tempDir();
      const env = { RPC_URL: node.url, DEPLOYER_KEY: deployerKey };
      const first = await start(dataDir, [], env);
      expect(first.output()).toContain("Deployed the contracts");
      expect(first.output()).not.toContain("Loading the demo story");
      const readyBefore = await json(`${first.api}/readyz`);
      expect(readyBefore.status).toBe("ready");
      expect(await stop(first)).toBe(0);

      await fetch(node.url, { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "evm_mine", params: [] }) });
      const second = await start(dataDir, [], env);
      expect(second.output()).toContain("indexing resumes from its checkpoint");
      expect(second.output()).not.toContain("Deployed the contracts");
      const readyAfter = await json(`${second.api}/readyz`);
      expect(readyAfter.indexedBlock).toBe(readyBefore.indexedBlock + 1);
      expect(await stop(second)).toBe(0);
    } finally {
      await node.stop();
    }
  });
});
