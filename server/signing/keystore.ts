import fs from "node:fs";
import path from "node:path";
import { Wallet, encryptKeystoreJson, getAddress, isAddress } from "ethers";

/**
 * The keys of members who let the server sign for them, each in an encrypted JSON keystore file
 * (Web3 Secret Storage: scrypt + AES-128-CTR, as wallets write them) named by its address, in a folder
 * only the server's user can read. The passphrase comes from configuration, never from the repository;
 * a key is decrypted once per process and kept in memory.
 */
export interface Keystore {
  /** Addresses with a key, lowercase. */
  addresses(): string[];
  has(address: string): boolean;
  /** Stores `privateKey` (or a new random key); answers its address. Refuses to overwrite a stored key. */
  add(privateKey?: string): Promise<string>;
  /** The wallet of `address`, decrypted; throws KeyNotFoundError without a key. */
  wallet(address: string): Promise<Wallet>;
}

export class KeyNotFoundError extends Error {
  override readonly name = "KeyNotFoundError";
  constructor(readonly address: string) {
    super(`no managed key for ${address}`);
  }
}

export interface KeystoreOptions {
  /** scrypt cost; the default (2^17) costs about a second per key. Tests may lower it, nothing else should. */
  scryptN?: number;
}

const MIN_PASSPHRASE_LENGTH = 16;

export function createFileKeystore(dir: string, passphrase: string, options: KeystoreOptions = {}): Keystore {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new Error(`the managed-key passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const fileOf = (address: string) => path.join(dir, `${address.toLowerCase()}.json`);
  const unlocked = new Map<string, Promise<Wallet>>();

  return {
    addresses: () =>
      fs
        .readdirSync(dir)
        .map((name) => /^(0x[0-9a-f]{40})\.json$/.exec(name)?.[1])
        .filter((address): address is string => address !== undefined)
        .sort(),
    has: (address) => isAddress(address) && fs.existsSync(fileOf(address)),
    async add(privateKey) {
      const wallet = privateKey ? new Wallet(privateKey) : Wallet.createRandom();
      const account = { address: wallet.address, privateKey: wallet.privateKey };
      const json = await encryptKeystoreJson(account, passphrase, options.scryptN ? { scrypt: { N: options.scryptN } } : {});
      // "wx": never replace a key that may be the only copy.
      fs.writeFileSync(fileOf(wallet.address), json, { flag: "wx", mode: 0o600 });
      const address = wallet.address.toLowerCase();
      unlocked.set(address, Promise.resolve(new Wallet(wallet.privateKey)));
      return address;
    },
    wallet(address) {
      const key = getAddress(address).toLowerCase();
      let found = unlocked.get(key);
      if (!found) {
        const file = fileOf(key);
        if (!fs.existsSync(file)) return Promise.reject(new KeyNotFoundError(key));
        found = Wallet.fromEncryptedJson(fs.readFileSync(file, "utf8"), passphrase).then((wallet) => new Wallet(wallet.privateKey));
        found.catch(() => unlocked.delete(key));
        unlocked.set(key, found);
      }
      return found;
    },
  };
}
