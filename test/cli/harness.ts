import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { HDNodeWallet } from "ethers";
import { expect } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const MNEMONIC = "test test test test test test test test test test test junk";

/** hardhat node's first accounts, with their private keys (the CLI signs with TRACEFIN_PRIVATE_KEY). */
export const accounts = Array.from({ length: 8 }, (_, i) => HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`));

/** What a transaction's summary ends with. */
export const TX = "in tx 0x[0-9a-f]{64}, gas [\\d,]+";

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliHarness {
  /** Runs `tsx cli/index.ts <args>` signed by `signer` (a wallet, or none), with --rpc and --deployments. */
  cli(signer: HDNodeWallet | null, args: string[], env?: Record<string, string>): Promise<Run>;
  /** Runs a command that must succeed; returns its stdout. */
  ok(signer: HDNodeWallet | null, args: string[], env?: Record<string, string>): Promise<string>;
  /** Runs a `--json` command that must succeed and parses its output. */
  okJson<T = Record<string, unknown>>(signer: HDNodeWallet | null, args: string[], env?: Record<string, string>): Promise<T>;
  /** Runs a command that must be refused with exit `code` and print nothing on stdout; returns stderr. */
  refused(signer: HDNodeWallet | null, args: string[], code: 1 | 2): Promise<string>;
}

/** Writes `content` to `dir/name` for a command to read; returns the path. */
export function writeFile(dir: string, name: string, content: string): string {
  const target = path.join(dir, name);
  fs.writeFileSync(target, content);
  return target;
}

/** Runs the CLI as a child process against `rpcUrl` and a deployments file, as a member would. */
export function cliHarness(connection: { rpcUrl: () => string; deploymentsFile: () => string }): CliHarness {
  function cli(signer: HDNodeWallet | null, args: string[], env: Record<string, string> = {}): Promise<Run> {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const name of ["TRACEFIN_PRIVATE_KEY", "TRACEFIN_KEYSTORE_PASSWORD", "RPC_URL", "DEPLOYMENTS_FILE"]) {
      if (!(name in env)) delete childEnv[name];
    }
    if (signer) childEnv.TRACEFIN_PRIVATE_KEY = signer.privateKey;
    const rpc = env.RPC_URL ? [] : ["--rpc", connection.rpcUrl()];
    return new Promise((resolve, reject) => {
      const child = spawn(TSX, ["cli/index.ts", ...rpc, "--deployments", connection.deploymentsFile(), ...args], {
        cwd: ROOT,
        env: childEnv,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.once("error", reject);
      child.once("close", (code) => resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() }));
    });
  }

  async function ok(signer: HDNodeWallet | null, args: string[], env: Record<string, string> = {}): Promise<string> {
    const run = await cli(signer, args, env);
    expect(run, `cli ${args.join(" ")}`).toMatchObject({ code: 0, stderr: "" });
    return run.stdout;
  }

  async function okJson<T = Record<string, unknown>>(signer: HDNodeWallet | null, args: string[], env: Record<string, string> = {}) {
    return JSON.parse(await ok(signer, [...args, "--json"], env)) as T;
  }

  async function refused(signer: HDNodeWallet | null, args: string[], code: 1 | 2): Promise<string> {
    const run = await cli(signer, args);
    expect(run, `cli ${args.join(" ")}`).toMatchObject({ code, stdout: "" });
    return run.stderr;
  }

  return { cli, ok, okJson, refused };
}
