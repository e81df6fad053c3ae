import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { keccak256, parseEther, toUtf8Bytes } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeDeployment } from "../../shared/chain/deployments";
import { buildMerkleTree, canonicalJson, leafOf } from "../../shared/merkle";
import { ROLES } from "../../shared/roles";
import { startTestChain, type TestChain } from "../support/chain";
import { accounts, cliHarness, TX } from "./harness";

/** hardhat node's accounts 0..5: 0 is the consortium admin (it deployed the registry). */
const [admin, orchard, juicePlant, carrier, inspector, regulator] = accounts;

const APPLES = "6901234567892";
const JUICE = "6901234567908";

// Every step runs the CLI as its own `tsx` process (about a second of CPU each), so allow for busy machines.
describe("member CLI against a hardhat node", { timeout: 300_000 }, () => {
  let chain: TestChain;
  let dir: string;
  let deploymentsFile: string;

  beforeAll(async () => {
    chain = await startTestChain("hardhat");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tracefin-cli-"));
    deploymentsFile = path.join(dir, "deployments.json");
    writeDeployment(deploymentsFile, chain.deployment);
  });
  afterAll(async () => {
    await chain?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const { cli, ok, okJson } = cliHarness({ rpcUrl: () => chain.node.url, deploymentsFile: () => deploymentsFile });

  const ids: Record<string, string> = {};

  it("admits members with readable and JSON output, and refuses bad input and non-admins", async () => {
    const admitted = await ok(admin, [
      "member", "admit", orchard.address, "--roles", "ENTERPRISE", "--name", "Qixia Red Fuji Orchard",
      "--credit-code", "91370686MA3C4XXX1A", "--metadata-uri", "https://tracefin.example/m/orchard",
    ]);
    expect(admitted).toMatch(new RegExp(`^Admitted 0x7099…79C8 \\(Qixia Red Fuji Orchard\\) as ENTERPRISE ${TX}$`));

    const profile = path.join(dir, "juice-profile.json");
    fs.writeFileSync(profile, JSON.stringify({ name: "Yantai Golden Apple Juice Co." }));
    const json = await okJson(admin, [
      "member", "admit", juicePlant.address, "--roles", "enterprise,WAREHOUSE", "--name", "Yantai Golden Apple Juice Co.",
      "--credit-code", "91370602MA3C4XXX2B", "--metadata-file", profile,
    ]);
    expect(json).toMatchObject({ action: "member.admit", account: juicePlant.address, roles: ["ENTERPRISE", "WAREHOUSE"], roleBits: 3 });
    expect(json.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(json.metadataHash).toMatch(/^0x[0-9a-f]{64}$/);

    for (const [who, roles, code] of [
      [carrier, "LOGISTICS", "91370600MA3C4XXX3C"],
      [inspector, "INSPECTOR", "91370600MA3C4XXX4D"],
      [regulator, "ENTERPRISE", "91370600MA3C4XXX5E"],
    ] as const) {
      await ok(admin, ["member", "admit", who.address, "--roles", roles, "--name", `member ${roles}`, "--credit-code", code]);
    }
    expect(await ok(admin, ["member", "roles", regulator.address, "--roles", "REGULATOR,AUDITOR"])).toMatch(
      new RegExp(`^Roles of 0x9965…A4dc changed from ENTERPRISE to REGULATOR,AUDITOR ${TX}$`),
    );
    expect(await chain.contracts.registry.hasActiveRole(regulator.address, ROLES.REGULATOR | ROLES.AUDITOR)).toBe(true);

    const shown = await okJson(null, ["member", "show", juicePlant.address]);
    expect(shown).toMatchObject({ account: juicePlant.address, status: "active", roles: ["ENTERPRISE", "WAREHOUSE"] });
    expect(await ok(null, ["member", "show", "0x000000000000000000000000000000000000dEaD"])).toMatch(/is not a member$/);

    const again = await cli(admin, ["member", "admit", orchard.address, "--roles", "ENTERPRISE", "--name", "x", "--credit-code", "y"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`Error: ${orchard.address} is already admitted (MemberAlreadyAdmitted)`);

    const notAdmin = await cli(orchard, ["member", "suspend", juicePlant.address, "--reason", "audit"]);
    expect(notAdmin.code).toBe(1);
    expect(notAdmin.stderr).toContain(`${orchard.address} is not the consortium admin`);

    const unknownRole = await cli(admin, ["member", "roles", carrier.address, "--roles", "LOGISTICS,SHIPPER"]);
    expect(unknownRole.code).toBe(2);
    expect(unknownRole.stderr).toContain("--roles");
    expect(unknownRole.stderr).toContain('Unknown role "SHIPPER"');

    const badAddress = await cli(admin, ["member", "show", "0x1234"]);
    expect(badAddress.code).toBe(2);
    expect(badAddress.stderr).toContain("argument 'address'");

    const unsigned = await cli(null, ["member", "suspend", carrier.address]);
    expect(unsigned.code).toBe(2);
    expect(unsigned.stderr).toContain("TRACEFIN_PRIVATE_KEY");
  });

  it("registers products, checking the GTIN locally first", async () => {
    const badGtin = await cli(orchard, ["product", "register", "--gtin", "6901234567891", "--hs", "080810", "--name", "apples"]);
    expect(badGtin.code).toBe(2);
    expect(badGtin.stderr).toContain("--gtin");
    expect(badGtin.stderr).toContain("check digit should be 2");

    const [apples, juice] = await Promise.all([
      ok(orchard, ["product", "register", "--gtin", APPLES, "--hs", "080810", "--name", "Qixia Red Fuji apples"]),
      ok(juicePlant, ["product", "register", "--gtin", JUICE, "--hs", "200971", "--name", "Apple juice", "--uri", "https://x.example/juice"]),
    ]);
    expect(apples).toMatch(new RegExp(`^Registered product 06901234567892 "Qixia Red Fuji apples" \\(HS 080810\\) ${TX}$`));
    expect(juice).toContain("Registered product 06901234567908");
    expect(await chain.contracts.ledger.productRegistrant(BigInt(APPLES))).toBe(orchard.address);

    const noRole = await cli(carrier, ["product", "register", "--gtin", "6901234567915", "--hs", "080810", "--name", "x"]);
    expect(noRole.code).toBe(1);
    expect(noRole.stderr).toBe(`Error: ${carrier.address} is not an active member with role ENTERPRISE (MissingRole)`);
  });

  it("commissions a batch, ships part of it, and the recipient receives, inspects and observes it", async () => {
    const record = path.join(dir, "batch-record.txt");
    fs.writeFileSync(record, "harvest record QX-2026-A");
    const commissioned = await okJson(orchard, [
      "batch", "commission", "--gtin", APPLES, "--lot", "QX-2026-A", "--quantity", "10000", "--unit", "KGM",
      "--origin", "370686", "--produced-at", "2026-09-14T08:00:00+08:00", "--document", record,
    ]);
    expect(commissioned).toMatchObject({ action: "batch.commission", quantity: "10000", unit: "KGM", producedAt: "2026-09-14T00:00:00.000Z" });
    ids.apples = commissioned.batchId as string;
    expect(BigInt(ids.apples)).toBe(await chain.contracts.ledger.batchCount());

    const text = await ok(orchard, ["batch", "commission", "--gtin", APPLES, "--lot", "QX-2026-B", "--quantity", "500", "--unit", "kgm", "--origin", "370686"]);
    const lotB = text.match(new RegExp(`^Commissioned batch (\\d+): 500 KGM of 06901234567892, lot QX-2026-B, origin 370686 ${TX}$`));
    expect(lotB, text).not.toBeNull();
    // A whole-batch shipment keeps its id; the shipper can call it back until it is received.
    expect(await ok(orchard, ["batch", "ship", lotB![1], "--to", juicePlant.address, "--quantity", "500"])).toMatch(
      new RegExp(`^Shipped batch ${lotB![1]} \\(500 KGM\\) to 0x3C44…93BC ${TX}$`),
    );
    expect(await ok(orchard, ["batch", "cancel", lotB![1], "--reason", "truck broke down"])).toMatch(
      new RegExp(`^Cancelled the shipment of batch ${lotB![1]} to 0x3C44…93BC; it is back in your custody ${TX}$`),
    );
    expect(await okJson(null, ["batch", "show", lotB![1]])).toMatchObject({ status: "active", custodian: orchard.address, pendingRecipient: null });

    const notInteger = await cli(orchard, ["batch", "ship", ids.apples, "--to", juicePlant.address, "--quantity", "12.5"]);
    expect(notInteger.code).toBe(2);
    expect(notInteger.stderr).toContain("--quantity");

    const shipped = await ok(orchard, [
      "batch", "ship", ids.apples, "--to", juicePlant.address, "--quantity", "3000", "--carrier", carrier.address, "--document", record,
    ]);
    const match = shipped.match(new RegExp(`^Shipped batch (\\d+) \\(3000 KGM, split from batch ${ids.apples}\\) to 0x3C44…93BC via 0x90F7…b906 ${TX}$`));
    expect(match, shipped).not.toBeNull();
    ids.shipped = match![1];

    const inTransit = await okJson(null, ["batch", "show", ids.shipped]);
    expect(inTransit).toMatchObject({ status: "in_transit", quantity: "3000", parentId: ids.apples, pendingRecipient: juicePlant.address });

    expect(await ok(juicePlant, ["batch", "receive", ids.shipped])).toMatch(
      new RegExp(`^Received batch ${ids.shipped} from 0x7099…79C8 ${TX}$`),
    );
    const certificate = path.join(dir, "certificate.pdf");
    fs.writeFileSync(certificate, "phytosanitary certificate");
    expect(await ok(inspector, ["batch", "inspect", ids.shipped, "--passed", "--certificate", certificate])).toMatch(
      new RegExp(`^Recorded inspection of batch ${ids.shipped}: passed ${TX}$`),
    );
    const neither = await cli(inspector, ["batch", "inspect", ids.shipped]);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain("--passed or --failed");

    const reading = path.join(dir, "coldroom.csv");
    fs.writeFileSync(reading, "hour,celsius\n0,1.5\n1,1.75\n");
    expect(await okJson(juicePlant, ["batch", "reading", ids.shipped, "--file", reading])).toMatchObject({ action: "batch.reading" });

    const received = await chain.contracts.ledger.batchOf(ids.shipped);
    expect(received.custodian).toBe(juicePlant.address);
    expect(received.quantity).toBe(3000n);
    expect((await chain.contracts.ledger.batchOf(ids.apples)).quantity).toBe(7000n);
  });

  it("transforms batches into new ones", async () => {
    const result = await okJson<{ transformationId: string; outputIds: string[]; outputs: { lot: string; unit: string }[] }>(juicePlant, [
      "batch", "transform", "--input", `${ids.shipped}:2000`,
      "--output", `${JUICE}:800:LTR:370602:GAJ-2026-01`, "--output", `${JUICE}:100:LTR:370602:GAJ:2026:02`,
    ]);
    expect(result.transformationId).toBe("1");
    expect(result.outputIds).toHaveLength(2);
    expect(result.outputs.map((output) => output.lot)).toEqual(["GAJ-2026-01", "GAJ:2026:02"]);
    ids.juice = result.outputIds[0];
    ids.blend = result.outputIds[1];
    const juice = await okJson(null, ["batch", "show", ids.juice]);
    expect(juice).toMatchObject({ gtin: "06901234567908", quantity: "800", unit: "LTR", status: "active", custodian: juicePlant.address });
    expect(await okJson(null, ["batch", "show", ids.shipped])).toMatchObject({ quantity: "1000", status: "active" });

    const badOutput = await cli(juicePlant, ["batch", "transform", "--input", `${ids.shipped}:10`, "--output", `${JUICE}:10:LTR`]);
    expect(badOutput.code).toBe(2);
    expect(badOutput.stderr).toContain("--output");
  });

  it("retires part of a batch and then the rest, and refuses to retire or ship a retired batch", async () => {
    const part = await ok(juicePlant, ["batch", "retire", ids.blend, "--quantity", "30", "--reason", "spilled in the filling hall"]);
    const match = part.match(new RegExp(`^Retired batch (\\d+) \\(30 LTR, split from batch ${ids.blend}\\) ${TX}$`));
    expect(match, part).not.toBeNull();
    expect(await okJson(null, ["batch", "show", match![1]])).toMatchObject({ status: "retired", quantity: "30", parentId: ids.blend });

    const certificate = path.join(dir, "destruction-certificate.pdf");
    fs.writeFileSync(certificate, "destruction certificate D-17");
    const whole = await okJson<Record<string, unknown>>(juicePlant, ["batch", "retire", ids.blend, "--quantity", "70", "--document", certificate]);
    expect(whole).toMatchObject({
      action: "batch.retire", batchId: ids.blend, sourceBatchId: ids.blend, split: false, quantity: "70", unit: "LTR",
      reasonHash: "0x" + createHash("sha256").update("destruction certificate D-17").digest("hex"),
    });
    expect(await okJson(null, ["batch", "show", ids.blend])).toMatchObject({ status: "retired", quantity: "70" });

    const again = await cli(juicePlant, ["batch", "retire", ids.blend, "--quantity", "1"]);
    expect(again).toMatchObject({ code: 1, stderr: `Error: batch ${ids.blend} is retired (BatchIsRetired)` });
    const ship = await cli(juicePlant, ["batch", "ship", ids.blend, "--to", orchard.address, "--quantity", "1"]);
    expect(ship).toMatchObject({ code: 1, stderr: `Error: batch ${ids.blend} is retired (BatchIsRetired)` });
    const notHeld = await cli(orchard, ["batch", "retire", ids.juice, "--quantity", "1"]);
    expect(notHeld.code).toBe(1);
    expect(notHeld.stderr).toContain("(NotCustodian)");
    const both = await cli(juicePlant, ["batch", "retire", ids.juice, "--quantity", "1", "--reason", "x", "--document", certificate]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--reason or --document");
  });

  it("holds, releases and recalls a batch, then refuses to ship the recalled batch", async () => {
    expect(await ok(orchard, ["batch", "hold", ids.apples, "--reason", "pesticide residue"])).toMatch(/^Put batch \d+ on hold in tx/);
    const onHold = await cli(orchard, ["batch", "ship", ids.apples, "--to", juicePlant.address, "--quantity", "10"]);
    expect(onHold).toMatchObject({ code: 1, stderr: `Error: batch ${ids.apples} is on hold (BatchOnHold)` });
    await ok(orchard, ["batch", "release", ids.apples]);
    expect(await ok(regulator, ["batch", "recall", ids.apples, "--reason", "recall order YT-2026-031"])).toMatch(
      new RegExp(`^Recalled batch ${ids.apples} ${TX}$`),
    );

    const recalled = await cli(orchard, ["batch", "ship", ids.apples, "--to", juicePlant.address, "--quantity", "1000"]);
    expect(recalled.code).toBe(1);
    expect(recalled.stdout).toBe("");
    expect(recalled.stderr).toBe(`Error: batch ${ids.apples} is recalled (BatchRecalled)`);

    const asJson = await cli(orchard, ["batch", "ship", ids.apples, "--to", juicePlant.address, "--quantity", "1000", "--json"]);
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stderr)).toEqual({
      error: {
        message: `batch ${ids.apples} is recalled (BatchRecalled)`,
        exitCode: 1,
        name: "BatchRecalled",
        signature: "BatchRecalled(uint256)",
        args: [ids.apples],
      },
    });
    expect(await okJson(null, ["batch", "show", ids.apples])).toMatchObject({ status: "recalled" });
  });

  it("anchors a file of events and verifies a proof on-chain", async () => {
    const events = Array.from({ length: 5 }, (_, hour) => ({ sensor: "coldroom-3", hour, celsius: 1.5 + hour / 4, batchId: Number(ids.shipped) }));
    const file = path.join(dir, "events.jsonl");
    // Pretty spacing and unsorted keys: the leaves hash each event's canonical line, not the file's text.
    fs.writeFileSync(file, events.map((event) => JSON.stringify(event, null, 1).replace(/\n/g, "")).join("\n") + "\n\n");
    const anchored = await ok(juicePlant, ["anchor", file, "--uri", "https://tracefin.example/anchors/day-1.jsonl"]);
    expect(anchored).toMatch(new RegExp(`^Anchored 5 events of events.jsonl under root 0x[0-9a-f]{64} ${TX}; manifest .*events.jsonl.anchor.json$`));

    const manifest = JSON.parse(fs.readFileSync(`${file}.anchor.json`, "utf8"));
    const canonical = events.map((e) => `{"batchId":${e.batchId},"celsius":${e.celsius},"hour":${e.hour},"sensor":"coldroom-3"}`);
    const expected = buildMerkleTree(canonical.map((line) => leafOf(line)));
    expect(manifest.root).toBe(expected.root);
    expect(manifest.leaves.map((leaf: { event: string }) => leaf.event)).toEqual(canonical);
    expect(manifest.leaves[3].proof).toEqual(expected.proof(3));
    const [submitter, , eventCount] = await chain.contracts.ledger.anchorOf(manifest.root);
    expect([submitter, eventCount]).toEqual([juicePlant.address, 5n]);

    expect(await ok(null, ["anchor", "verify", `${file}.anchor.json`, "3"])).toMatch(
      new RegExp(`^Event 3 of events.jsonl is included under root ${manifest.root}, anchored by 0x3C44…93BC at .* over 5 events \\(verified on-chain\\)$`),
    );
    expect(await okJson(null, ["anchor", "verify", `${file}.anchor.json`, "0"])).toMatchObject({ included: true, index: 0, eventCount: 5 });

    const tampered = path.join(dir, "tampered.anchor.json");
    manifest.leaves[3].proof[0] = keccak256(toUtf8Bytes("not a sibling"));
    fs.writeFileSync(tampered, JSON.stringify(manifest));
    const rejected = await cli(null, ["anchor", "verify", tampered, "3"]);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain(`event 3 of ${tampered} is not included under root ${manifest.root}`);

    const outOfRange = await cli(null, ["anchor", "verify", `${file}.anchor.json`, "5"]);
    expect(outOfRange.code).toBe(2);

    const twice = await cli(juicePlant, ["anchor", file]);
    expect(twice).toMatchObject({ code: 1, stderr: `Error: root ${manifest.root} is already anchored (RootAlreadyAnchored)` });
  });

  it("anchors several files in one transaction, one root and manifest each", async () => {
    const files = ["day-2.jsonl", "day-3.json"].map((name) => path.join(dir, name));
    fs.writeFileSync(files[0], '{"sensor":"coldroom-3","hour":0,"celsius":1.0}\n{"sensor":"coldroom-3","hour":1,"celsius":1.25}\n');
    fs.writeFileSync(files[1], JSON.stringify([{ sensor: "dock-1", hour: 0, celsius: 4 }]));
    const result = await okJson<{ txHash: string; roots: { root: string; uri: string }[] }>(juicePlant, ["anchor", ...files, "--uri", "https://tracefin.example/anchors/"]);
    expect(result.roots).toHaveLength(2);
    expect(result.roots.map((r) => r.uri)).toEqual([
      "https://tracefin.example/anchors/day-2.jsonl",
      "https://tracefin.example/anchors/day-3.json",
    ]);
    const receipt = await chain.provider.getTransactionReceipt(result.txHash);
    const anchoredRoots = receipt!.logs
      .map((log) => chain.contracts.ledger.interface.parseLog(log))
      .filter((event) => event?.name === "RootAnchored")
      .map((event) => event!.args.root);
    expect(anchoredRoots).toEqual(result.roots.map((r) => r.root));
    for (const [i, file] of files.entries()) {
      const manifest = JSON.parse(fs.readFileSync(`${file}.anchor.json`, "utf8"));
      expect(manifest).toMatchObject({ root: result.roots[i].root, txHash: result.txHash, eventCount: i === 0 ? 2 : 1 });
      expect(await okJson(null, ["anchor", "verify", `${file}.anchor.json`, "0"])).toMatchObject({ included: true });
    }

    const duplicate = await cli(juicePlant, ["anchor", files[0], files[0]]);
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain(`${files[0]} and ${files[0]} hold the same events`);
    // One root already anchored: the whole transaction reverts, nothing is half-anchored.
    const fresh = path.join(dir, "day-4.jsonl");
    fs.writeFileSync(fresh, '{"sensor":"dock-1","hour":1,"celsius":5}\n');
    const partly = await cli(juicePlant, ["anchor", fresh, files[1]]);
    expect(partly).toMatchObject({ code: 1, stderr: `Error: root ${result.roots[1].root} is already anchored (RootAlreadyAnchored)` });
    const freshRoot = buildMerkleTree([leafOf(canonicalJson({ sensor: "dock-1", hour: 1, celsius: 5 }))]).root;
    const [, freshAnchoredAt] = await chain.contracts.ledger.anchorOf(freshRoot);
    expect(freshAnchoredAt).toBe(0n);
    expect(fs.existsSync(`${fresh}.anchor.json`)).toBe(false);
  });

  it("creates an encrypted keystore and signs with it", async () => {
    const keystore = path.join(dir, "member.keystore.json");
    const password = { TRACEFIN_KEYSTORE_PASSWORD: "correct horse battery staple" };
    const created = await okJson<{ address: string }>(null, ["keystore", "new", keystore], password);
    expect(created.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(await ok(null, ["keystore", "address", keystore])).toBe(created.address);
    expect((await cli(null, ["keystore", "new", keystore], password)).code).toBe(2);

    await (await chain.admin.sendTransaction({ to: created.address, value: parseEther("1") })).wait();
    await ok(admin, ["member", "admit", created.address, "--roles", "AUDITOR", "--name", "Keystore member", "--credit-code", "91370600MA3C4XXX6F"]);

    const events = path.join(dir, "audit.json");
    fs.writeFileSync(events, JSON.stringify([{ audit: 1, finding: "none" }, { audit: 2, finding: "minor" }, { audit: 3 }]));
    const anchored = await okJson<{ root: string; from: string }>(null, ["--keystore", keystore, "anchor", events], password);
    expect(anchored.from).toBe(created.address);
    expect((await chain.contracts.ledger.anchorOf(anchored.root))[0]).toBe(created.address);

    const wrong = await cli(null, ["--keystore", keystore, "anchor", events], { TRACEFIN_KEYSTORE_PASSWORD: "wrong" });
    expect(wrong).toMatchObject({ code: 2, stderr: `Error: --keystore: cannot decrypt ${keystore}: wrong password` });
  });

  it("hands the admin role over in two steps, reading the RPC URL from RPC_URL", async () => {
    const env = { RPC_URL: chain.node.url };
    await ok(admin, ["admin", "transfer", regulator.address], env);
    expect(await okJson(null, ["admin", "show"], env)).toEqual({ admin: admin.address, pendingAdmin: regulator.address });
    const notPending = await cli(orchard, ["admin", "accept"], env);
    expect(notPending.code).toBe(1);
    expect(notPending.stderr).toContain("(OwnableUnauthorizedAccount)");
    expect(await ok(regulator, ["admin", "accept"], env)).toMatch(new RegExp(`^0x9965…A4dc is now the consortium admin ${TX}$`));
    expect(await chain.contracts.registry.owner()).toBe(regulator.address);
  });
});
