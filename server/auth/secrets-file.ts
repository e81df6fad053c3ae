import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { decodeSecret } from "../../shared/config";

/**
 * The demo's generated secrets (`npm start` without them in the environment): DATA_DIR/secrets.json,
 * mode 0600, each created at first use as 256 random bits (base64) and reused afterwards, so that
 * tokens and managed keys survive a restart. Never committed (DATA_DIR is the local data folder).
 */
export function loadOrCreateSecret(file: string, name: string): { value: string; created: boolean } {
  const stored = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>) : {};
  const existing = stored[name];
  if (typeof existing === "string" && existing.length > 0) return { value: existing, created: false };
  if (existing !== undefined) throw new Error(`${file} has an unusable "${name}": fix or delete it`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const value = randomBytes(32).toString("base64");
  // Written aside and renamed: a reader never sees half a file, and the other secrets are kept.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify({ ...stored, [name]: value }, null, 2) + "\n", { mode: 0o600 });
  fs.renameSync(temporary, file);
  fs.chmodSync(file, 0o600);
  return { value, created: true };
}

/** The token key from the secrets file (see loadOrCreateSecret). */
export function loadOrCreateJwtSecret(file: string): { secret: Uint8Array; created: boolean } {
  const { value, created } = loadOrCreateSecret(file, "authJwtSecret");
  const secret = decodeSecret(value);
  if (!secret) throw new Error(`${file} has no usable "authJwtSecret" (>= 32 bytes, hex or base64): fix or delete it`);
  return { secret, created };
}
