#!/usr/bin/env node
/*
 * Stand-in for a native `solc` binary, for Foundry (forge) on machines that cannot download compilers.
 * It wraps the pinned npm `solc` (wasm) package and implements the two ways forge calls a compiler:
 *   solc --version                      -> "Version: <solc.version()>"
 *   solc [other flags] --standard-json  -> standard JSON in on stdin, standard JSON out on stdout
 * Flags such as --allow-paths, --base-path and --include-path are ignored: forge sends every source's
 * content in the standard JSON input, so no file system access is needed.
 */
"use strict";

const solc = require("solc");

const args = process.argv.slice(2);

if (args.includes("--version") || args.includes("-v")) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}

if (!args.includes("--standard-json")) {
  process.stderr.write("solc-forge.js: only --version and --standard-json are supported\n");
  process.exit(1);
}

const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", () => {
  const input = Buffer.concat(chunks).toString("utf8");
  const output = solc.compile(input);
  process.stdout.write(output, () => process.exit(0));
});
