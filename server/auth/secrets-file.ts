import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { decodeSecret } from "../../shared/config";

/**
 * The demo's generated secrets (`npm start` without AUTH_JWT_SECRET): DATA_DIR/secrets.json, mode
 * 0600, created at first start with a random 256-bit key and reused afterwards, so that tokens
 * survive a restart. Never committed (DATA_DIR is the local data folder).
 */
export function loadOrCreateJwtSecret(file: string): { secret: Uint8Array; created: boolean } {
  if (fs.existsSync(file)) {
    const stored = JSON.parse(fs.readFileSync(file, "utf8")) as { authJwtSecret?: string };
    const secret = stored.authJwtSecret ? decodeSecret(stored.authJwtSecret) : undefined;
    if (!secret) throw new Error(`${file} has no usable "authJwtSecret" (>= 32 bytes, hex or base64): fix or delete it`);
    return { secret, created: false };
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32);
  // "wx": never overwrite a file another process created meanwhile.
  fs.writeFileSync(file, JSON.stringify({ authJwtSecret: secret.toString("base64") }, null, 2) + "\n", { mode: 0o600, flag: "wx" });
  fs.chmodSync(file, 0o600);
  return { secret: new Uint8Array(secret), created: true };
}
