import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

/** A document's address: its SHA-256 as 0x-prefixed lower-case hex, as the ledger's bytes32 hashes are written. */
export type Sha256 = string;

export const SHA256_PATTERN = /^0x[0-9a-f]{64}$/;

export function sha256Of(bytes: Uint8Array): Sha256 {
  return "0x" + createHash("sha256").update(bytes).digest("hex");
}

/**
 * Where document bytes live, addressed by their SHA-256. Implementations store bytes as given and
 * never check them on `get`: the caller re-hashes what it reads (see documents.service.ts), so a store
 * that was tampered with is caught whichever implementation sits behind this interface.
 */
export interface DocumentStore {
  /** Stores the bytes (idempotent: the same bytes twice are one object) and answers their address. */
  put(bytes: Uint8Array): Promise<Sha256>;
  /** The bytes stored at an address, or undefined when there are none. */
  get(sha256: Sha256): Promise<Uint8Array | undefined>;
  has(sha256: Sha256): Promise<boolean>;
}

/**
 * A local folder: `<dir>/<first 2 hex digits>/<64 hex digits>`. Bytes are written to a temporary file
 * in the same folder and renamed into place, so a reader never sees half a document and concurrent
 * uploads of the same bytes both succeed with one file. Putting bytes whose file was damaged repairs it.
 */
export function createLocalDocumentStore(dir: string): DocumentStore & { pathOf(sha256: Sha256): string } {
  const pathOf = (sha256: Sha256) => {
    if (!SHA256_PATTERN.test(sha256)) throw new Error(`not a SHA-256 address: ${sha256}`);
    const hex = sha256.slice(2);
    return path.join(dir, hex.slice(0, 2), hex);
  };
  const exists = async (file: string) => {
    try {
      await fs.access(file);
      return true;
    } catch {
      return false;
    }
  };
  const get = async (sha256: Sha256): Promise<Uint8Array | undefined> => {
    try {
      return new Uint8Array(await fs.readFile(pathOf(sha256)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  };
  return {
    pathOf,
    async put(bytes) {
      const sha256 = sha256Of(bytes);
      const file = pathOf(sha256);
      // Already stored and intact: nothing to write. Damaged (it no longer hashes to its name): replaced.
      const existing = await get(sha256);
      if (existing && sha256Of(existing) === sha256) return sha256;
      await fs.mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
      try {
        await fs.writeFile(temporary, bytes, { flag: "wx", mode: 0o640 });
        await fs.rename(temporary, file);
      } catch (error) {
        await fs.rm(temporary, { force: true });
        throw error;
      }
      return sha256;
    },
    get,
    has: (sha256) => exists(pathOf(sha256)),
  };
}
