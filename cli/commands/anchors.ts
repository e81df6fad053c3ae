import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { buildMerkleTree, canonicalJson, leafOf, verifyMerkleProof } from "../../shared/merkle";
import { openChain } from "../context";
import { CliError, UsageError } from "../errors";
import { formatTime, shortAddress, toJson, txFields, txSuffix } from "../output";
import { parseIndex, readFileOption } from "../parse";

export const MANIFEST_FORMAT = "tracefin-anchor-manifest/1";
const MAX_EVENTS = 2 ** 32 - 1;

/** The events of a JSON Lines file (one event per non-blank line) or of a file holding a JSON array. */
export function readEvents(file: string): unknown[] {
  const text = readFileOption(file, "<file>").toString("utf8");
  if (text.trimStart().startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new UsageError(`${file} must hold a JSON array of events`);
    return parsed;
  }
  const events: unknown[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      events.push(JSON.parse(line));
    } catch {
      throw new UsageError(`${file}: line ${i + 1} is not valid JSON (expected JSON Lines or a JSON array)`);
    }
  });
  return events;
}

export interface AnchorManifest {
  format: typeof MANIFEST_FORMAT;
  source: string;
  canonicalization: string;
  root: string;
  eventCount: number;
  uri: string;
  chainId: number;
  ledger: string;
  submitter: string;
  txHash: string;
  blockNumber: number;
  leaves: { index: number; event: string; leaf: string; proof: string[] }[];
}

function readManifest(file: string): AnchorManifest {
  let manifest: AnchorManifest;
  try {
    manifest = JSON.parse(readFileOption(file, "<manifest>").toString("utf8")) as AnchorManifest;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`<manifest>: ${file} is not valid JSON`);
  }
  if (manifest?.format !== MANIFEST_FORMAT || !Array.isArray(manifest.leaves) || typeof manifest.root !== "string") {
    throw new UsageError(`<manifest>: ${file} is not a TraceFin anchor manifest (${MANIFEST_FORMAT})`);
  }
  return manifest;
}

/** One file's events, canonicalized and hashed into the tree whose root is anchored. */
interface PreparedFile {
  file: string;
  lines: string[];
  tree: ReturnType<typeof buildMerkleTree>;
}

function prepareFile(file: string): PreparedFile {
  const lines = readEvents(file).map(canonicalJson);
  if (lines.length === 0) throw new UsageError(`${file} contains no events`);
  if (lines.length > MAX_EVENTS) throw new UsageError(`${file} has more than ${MAX_EVENTS} events`);
  return { file, lines, tree: buildMerkleTree(lines.map((line) => leafOf(line))) };
}

/**
 * `anchor <files...>` builds one Merkle root per file and anchors them all in one transaction
 * (through the ledger's Multicall when there are several: the base cost and the membership check are
 * then paid once, which is what brings a busy anchoring service well under 50,000 gas per root);
 * `anchor verify` checks one event's proof on-chain.
 */
export function registerAnchorCommands(program: Command): void {
  const anchor = program
    .command("anchor")
    .description(
      "anchor the Merkle root of each file of events (JSON Lines or a JSON array) in one transaction and write <file>.anchor.json with every proof",
    )
    .argument("<files...>", "events.jsonl, or .json files holding an array of events; one root per file")
    .option("--uri <uri>", "where the events are published (with several files, each root gets <uri>/<file name>)", "")
    .action(async (files: string[], opts: { uri: string }, command: Command) => {
      const prepared = files.map(prepareFile);
      const fileByRoot = new Map<string, string>();
      for (const { file, tree } of prepared) {
        const twin = fileByRoot.get(tree.root);
        if (twin) throw new UsageError(`<files>: ${file} and ${twin} hold the same events (root ${tree.root})`);
        fileByRoot.set(tree.root, file);
      }
      const uriOf = (file: string) =>
        opts.uri === "" || prepared.length === 1 ? opts.uri : `${opts.uri.replace(/\/+$/, "")}/${path.basename(file)}`;

      const chain = await openChain(command);
      const { address, contracts } = await chain.member();
      const ledger = contracts.ledger;
      const receipt = await chain.send(
        prepared.length === 1
          ? ledger.anchor(prepared[0].tree.root, prepared[0].lines.length, uriOf(prepared[0].file))
          : ledger.multicall(
              prepared.map(({ file, lines, tree }) =>
                ledger.interface.encodeFunctionData("anchor", [tree.root, lines.length, uriOf(file)]),
              ),
            ),
      );

      const anchored = prepared.map(({ file, lines, tree }) => {
        const manifestFile = `${file}.anchor.json`;
        const manifest: AnchorManifest = {
          format: MANIFEST_FORMAT,
          source: path.basename(file),
          canonicalization: "RFC 8785 JSON (sorted keys, no whitespace); leaf = keccak256(keccak256(utf8(event)))",
          root: tree.root,
          eventCount: lines.length,
          uri: uriOf(file),
          chainId: chain.deployment.chainId,
          ledger: chain.deployment.contracts.ProvenanceLedger,
          submitter: address,
          txHash: receipt.hash,
          blockNumber: receipt.blockNumber,
          leaves: lines.map((event, index) => ({ index, event, leaf: tree.leaves[index], proof: tree.proof(index) })),
        };
        fs.writeFileSync(manifestFile, toJson(manifest, 2) + "\n");
        return { file, root: tree.root, eventCount: lines.length, uri: manifest.uri, manifest: manifestFile };
      });

      const summary = anchored
        .map((a) => `Anchored ${a.eventCount} events of ${path.basename(a.file)} under root ${a.root} ${txSuffix(receipt)}; manifest ${a.manifest}`)
        .join("\n");
      const results = anchored.map(({ file: _file, ...rest }) => rest);
      chain.out.result(
        summary,
        anchored.length === 1
          ? { action: "anchor", ...results[0], ...txFields(receipt) }
          : { action: "anchor", roots: results, ...txFields(receipt) },
      );
    });

  anchor
    .command("verify")
    .description("check on-chain (verifyInclusion) that event <index> of a manifest is under its anchored root")
    .argument("<manifest>", "a <file>.anchor.json written by `anchor`")
    .argument("<index>", "the event's position in the file, from 0", parseIndex)
    .action(async (manifestFile: string, index: number, _opts: unknown, command: Command) => {
      const manifest = readManifest(manifestFile);
      const entry = manifest.leaves[index];
      if (!entry) throw new UsageError(`<index>: ${manifestFile} has events 0 to ${manifest.leaves.length - 1}, not ${index}`);
      if (leafOf(entry.event) !== entry.leaf.toLowerCase()) {
        throw new CliError(`event ${index} of ${manifestFile} does not hash to its recorded leaf ${entry.leaf}`);
      }
      const chain = await openChain(command);
      if (manifest.ledger.toLowerCase() !== chain.deployment.contracts.ProvenanceLedger.toLowerCase()) {
        throw new CliError(
          `${manifestFile} was anchored on ledger ${manifest.ledger}, but the deployments file names ${chain.deployment.contracts.ProvenanceLedger}`,
        );
      }
      const [included, anchorInfo] = await Promise.all([
        chain.contracts.ledger.verifyInclusion(manifest.root, entry.leaf, entry.proof),
        chain.contracts.ledger.anchorOf(manifest.root),
      ]);
      const [submitter, anchoredAt, eventCount] = anchorInfo;
      if (anchoredAt === 0n) throw new CliError(`root ${manifest.root} is not anchored on this ledger`);
      if (!included) {
        const local = verifyMerkleProof(manifest.root, entry.leaf, entry.proof) ? "" : " (nor locally: the proof is corrupt)";
        throw new CliError(`event ${index} of ${manifestFile} is not included under root ${manifest.root}${local}`);
      }
      chain.out.result(
        `Event ${index} of ${manifest.source} is included under root ${manifest.root}, anchored by ${shortAddress(submitter)} at ${formatTime(anchoredAt)} over ${eventCount} events (verified on-chain)`,
        {
          included: true,
          index,
          leaf: entry.leaf,
          root: manifest.root,
          submitter,
          anchoredAt: formatTime(anchoredAt),
          eventCount: Number(eventCount),
        },
      );
    });
}
