import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Wallet, hexlify, parseEther, randomBytes } from "ethers";
import { roleBits } from "../../shared/roles";
import { sha256Hex } from "../../shared/hashing";
import { createFileKeystore, KeyNotFoundError, type Keystore } from "../../server/signing/keystore";
import { createManagedSigner, type ManagedSigner } from "../../server/signing/managed-signer";
import { createNodeClient } from "../../server/transactions/node-client";
import { ContractRevertError } from "../../server/transactions/revert";
import { startTestChain, type TestChain } from "../support/chain";

const PASSPHRASE = "correct horse battery staple, test only";
/** Cheap scrypt for tests; production keeps the default cost. */
const TEST_SCRYPT_N = 1 << 10;
const anchorArgs = () => ({ root: hexlify(randomBytes(32)), eventCount: 1, uri: "" });

describe("managed signing: the server signs for members who keep their key with it", () => {
  let chain: TestChain;
  let dir: string;
  let keystore: Keystore;
  let signer: ManagedSigner;
  let member: string;

  beforeAll(async () => {
    chain = await startTestChain("hardhat");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tracefin-keystore-"));
    keystore = createFileKeystore(dir, PASSPHRASE, { scryptN: TEST_SCRYPT_N });
    // The server creates the member's key; the consortium admits that address and funds it with gas.
    member = await keystore.add();
    await (await chain.contracts.registry.admit(member, roleBits(["ENTERPRISE"]), sha256Hex("USCC managed"), "Managed Co.", "", sha256Hex("profile"))).wait();
    await (await chain.admin.sendTransaction({ to: member, value: parseEther("10") })).wait();
    signer = createManagedSigner(createNodeClient(chain.node.url), chain.deployment, keystore);
  });
  afterAll(async () => {
    await chain?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("signs and sends a write, and answers its outcome with the decoded events", async () => {
    const args = anchorArgs();
    const outcome = await signer.execute(member, { contract: "ProvenanceLedger", function: "anchor", args }, 30);
    expect(outcome).toMatchObject({ status: "success", from: member, contract: "ProvenanceLedger" });
    expect(outcome.events).toEqual([expect.objectContaining({ name: "RootAnchored", args: expect.objectContaining({ root: args.root }) })]);
    expect((await chain.contracts.ledger.anchorOf(args.root)).submitter.toLowerCase()).toBe(member);
  });

  it("gives 20 concurrent writes of one member 20 consecutive nonces, with blocks mined only every 200 ms", async () => {
    const before = await chain.provider.getTransactionCount(member, "pending");
    await chain.rpc("evm_setAutomine", [false]);
    await chain.rpc("evm_setIntervalMining", [200]);
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () => signer.execute(member, { contract: "ProvenanceLedger", function: "anchor", args: anchorArgs() }, 60)),
      );
      expect(outcomes.map((o) => o.status)).toEqual(Array(20).fill("success"));
      const nonces = await Promise.all(outcomes.map(async (o) => (await chain.provider.getTransaction(o.hash))!.nonce));
      expect([...nonces].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => before + i));
      // Several writes shared a block: they really were in flight together.
      expect(new Set(outcomes.map((o) => o.blockNumber)).size).toBeLessThan(20);
    } finally {
      await chain.rpc("evm_setIntervalMining", [0]);
      await chain.rpc("evm_setAutomine", [true]);
    }
    expect(await chain.provider.getTransactionCount(member, "latest")).toBe(before + 20);
  });

  it("answers a refused write with the contract's reason and spends no nonce on it", async () => {
    const args = anchorArgs();
    await signer.execute(member, { contract: "ProvenanceLedger", function: "anchor", args }, 30);
    const before = await chain.provider.getTransactionCount(member, "pending");
    const refused = signer.execute(member, { contract: "ProvenanceLedger", function: "anchor", args }, 30);
    await expect(refused).rejects.toBeInstanceOf(ContractRevertError);
    await expect(refused).rejects.toMatchObject({ details: expect.objectContaining({ error: "RootAlreadyAnchored" }) });
    expect(await chain.provider.getTransactionCount(member, "pending")).toBe(before);
    const next = await signer.execute(member, { contract: "ProvenanceLedger", function: "anchor", args: anchorArgs() }, 30);
    expect(next.status).toBe("success");
  });

  it("follows the node when the member's key sent a transaction elsewhere", async () => {
    const elsewhere = (await keystore.wallet(member)).connect(chain.provider);
    await (await elsewhere.sendTransaction({ to: member, value: 1n })).wait();
    const outcome = await signer.execute(member, { contract: "ProvenanceLedger", function: "anchor", args: anchorArgs() }, 30);
    expect(outcome.status).toBe("success");
  });

  it("keeps keys encrypted in files only the server's user reads, and never replaces one", async () => {
    const file = path.join(dir, `${member}.json`);
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    expect((json.Crypto ?? json.crypto).kdf).toBe("scrypt");
    expect(fs.readFileSync(file, "utf8")).not.toContain((await keystore.wallet(member)).privateKey.slice(2));
    if (process.platform !== "win32") expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(keystore.addresses()).toEqual([member]);

    // Another process with the right passphrase opens it; a wrong passphrase does not.
    expect((await createFileKeystore(dir, PASSPHRASE).wallet(member)).address.toLowerCase()).toBe(member);
    await expect(createFileKeystore(dir, "a wrong passphrase, long enough").wallet(member)).rejects.toThrow(/password/i);
    await expect(keystore.add((await keystore.wallet(member)).privateKey)).rejects.toThrow(/EEXIST/);
    await expect(keystore.wallet(Wallet.createRandom().address)).rejects.toBeInstanceOf(KeyNotFoundError);
    expect(() => createFileKeystore(dir, "short")).toThrow(/at least 16/);
  });
});
