import fs from "node:fs";
import path from "node:path";
import { HDNodeWallet, Mnemonic } from "ethers";
import type { Database } from "../../shared/db/client";
import { createApiKeyStore } from "../../server/auth/api-keys";
import { createFileKeystore } from "../../server/signing/keystore";
import { DEMO_MEMBERS, type DemoMemberKey } from "./scenario";

/** The embedded node's development accounts (Hardhat and anvil share them): public, for local use only. */
const DEVELOPMENT_MNEMONIC = Mnemonic.fromPhrase("test test test test test test test test test test test junk");
/** Public keys need no costly encryption: a cheap scrypt keeps the first start fast (a second per key otherwise). */
const DEVELOPMENT_SCRYPT_N = 1 << 12;

export interface DemoCredentials {
  /** Per demo member: its address and a read-write API key. */
  members: Record<DemoMemberKey, { address: string; apiKey: string }>;
}

/**
 * What a person trying the demo needs to call the private endpoints: an API key per demo member, and
 * the members' keys in the managed keystore so that POST /api/v1/writes can sign for them. Written to
 * `file` (mode 0600) and reused while its keys are valid. Only for the embedded chain: the demo
 * members are its development accounts, whose keys are public knowledge.
 */
export async function issueDemoCredentials(input: {
  db: Database;
  managedKeys: { dir: string; passphrase: string };
  members: Record<DemoMemberKey, string>;
  admin: string;
  file: string;
}): Promise<DemoCredentials> {
  const apiKeys = createApiKeyStore(input.db);
  const keystore = createFileKeystore(input.managedKeys.dir, input.managedKeys.passphrase, { scryptN: DEVELOPMENT_SCRYPT_N });
  const previous = fs.existsSync(input.file) ? (JSON.parse(fs.readFileSync(input.file, "utf8")) as DemoCredentials) : undefined;
  const members = {} as DemoCredentials["members"];
  for (const [index, { key }] of DEMO_MEMBERS.entries()) {
    const address = input.members[key].toLowerCase();
    const wallet = HDNodeWallet.fromMnemonic(DEVELOPMENT_MNEMONIC, `m/44'/60'/0'/0/${index + 1}`);
    if (wallet.address.toLowerCase() !== address) throw new Error(`demo member ${key} is not development account ${index + 1}`);
    if (!keystore.has(address)) await keystore.add(wallet.privateKey);
    const kept = previous?.members[key];
    const valid = kept?.address === address && (await apiKeys.find(kept.apiKey));
    members[key] = {
      address,
      apiKey: valid && valid !== "malformed" && !valid.revokedAt
        ? kept.apiKey
        : (await apiKeys.create({ memberAddress: address, name: "demo", scope: "read-write", createdBy: input.admin })).key,
    };
  }
  fs.mkdirSync(path.dirname(input.file), { recursive: true });
  fs.writeFileSync(input.file, JSON.stringify({ members }, null, 2) + "\n", { mode: 0o600 });
  fs.chmodSync(input.file, 0o600);
  return { members };
}
