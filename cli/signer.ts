import fs from "node:fs";
import { Wallet, type HDNodeWallet } from "ethers";
import { UsageError } from "./errors";

export const PRIVATE_KEY_ENV = "TRACEFIN_PRIVATE_KEY";
export const KEYSTORE_PASSWORD_ENV = "TRACEFIN_KEYSTORE_PASSWORD";

export type MemberWallet = Wallet | HDNodeWallet;

/** The keystore password; only the environment supplies it (no prompt), so scripts never hang. */
export function keystorePassword(purpose = "--keystore", env: NodeJS.ProcessEnv = process.env): string {
  const password = env[KEYSTORE_PASSWORD_ENV];
  if (!password) throw new UsageError(`${purpose} needs the keystore password in the environment variable ${KEYSTORE_PASSWORD_ENV}`);
  return password;
}

/**
 * The member's signing key: an encrypted JSON keystore (`--keystore`, password from
 * TRACEFIN_KEYSTORE_PASSWORD) or else a raw key in TRACEFIN_PRIVATE_KEY.
 */
export async function loadWallet(keystore: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<MemberWallet> {
  if (keystore !== undefined) {
    const password = keystorePassword("--keystore", env);
    let json: string;
    try {
      json = fs.readFileSync(keystore, "utf8");
    } catch (error) {
      throw new UsageError(`--keystore: cannot read ${keystore} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
    }
    try {
      return await Wallet.fromEncryptedJson(json, password);
    } catch (error) {
      const reason = /password/i.test((error as Error).message) ? "wrong password" : "not an encrypted JSON keystore";
      throw new UsageError(`--keystore: cannot decrypt ${keystore}: ${reason}`);
    }
  }
  const key = env[PRIVATE_KEY_ENV]?.trim();
  if (key) {
    const normalized = key.startsWith("0x") ? key : `0x${key}`;
    if (!/^0x[0-9a-fA-F]{64}$/.test(normalized)) {
      throw new UsageError(`${PRIVATE_KEY_ENV} must be a 32-byte hex private key`);
    }
    return new Wallet(normalized);
  }
  throw new UsageError(
    `this command signs a transaction: pass --keystore <path> (password in ${KEYSTORE_PASSWORD_ENV}) or set ${PRIVATE_KEY_ENV}`,
  );
}

/** Writes a new random wallet as an encrypted keystore (mode 0600) and returns its address. */
export async function createKeystore(file: string, password: string): Promise<string> {
  if (fs.existsSync(file)) throw new UsageError(`keystore ${file} already exists; refusing to overwrite it`);
  const wallet = Wallet.createRandom();
  const json = await wallet.encrypt(password);
  fs.writeFileSync(file, json + "\n", { mode: 0o600, flag: "wx" });
  return wallet.address;
}
