import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeSecret, parseConfig } from "../../shared/config";
import { loadOrCreateJwtSecret } from "../../server/auth/secrets-file";
import { authOptionsFromConfig } from "../../server/auth/settings";

describe("sign-in configuration", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tracefin-secrets-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads AUTH_JWT_SECRET as hex or base64 of at least 32 bytes, and refuses shorter ones", () => {
    const hex = "ab".repeat(32);
    expect(decodeSecret(hex)).toEqual(new Uint8Array(Buffer.from(hex, "hex")));
    expect(decodeSecret("0x" + hex)).toEqual(new Uint8Array(Buffer.from(hex, "hex")));
    const base64 = Buffer.alloc(48, 7).toString("base64");
    expect(decodeSecret(base64)).toEqual(new Uint8Array(Buffer.alloc(48, 7)));
    expect(decodeSecret(Buffer.alloc(32, 9).toString("base64url"))).toEqual(new Uint8Array(Buffer.alloc(32, 9)));
    expect(decodeSecret("ab".repeat(31))).toBeUndefined();
    expect(decodeSecret("short")).toBeUndefined();
    expect(decodeSecret("not a secret!")).toBeUndefined();
    expect(() => parseConfig({ AUTH_JWT_SECRET: "secret" })).toThrow(/AUTH_JWT_SECRET: must be at least 32 bytes/);
    expect(parseConfig({ AUTH_JWT_SECRET: hex }).AUTH_JWT_SECRET).toHaveLength(32);
  });

  it("has defaults: 15-minute tokens, 5-minute nonces, the API's host:port as the SIWE domain", () => {
    const config = parseConfig({ API_HOST: "0.0.0.0", API_PORT: "8080" });
    expect(config.AUTH_JWT_SECRET).toBeUndefined();
    const options = authOptionsFromConfig(config);
    expect(options).toMatchObject({
      jwtSecret: undefined,
      tokenTtlSeconds: 900,
      nonceTtlSeconds: 300,
      audience: "tracefin-api",
      issuer: "tracefin",
      domain: "0.0.0.0:8080",
      rateLimit: { max: 30, windowMs: 60_000 },
    });
    expect(authOptionsFromConfig(parseConfig({ AUTH_DOMAIN: "ledger.example.cn" })).domain).toBe("ledger.example.cn");
    expect(() => parseConfig({ AUTH_DOMAIN: "https://ledger.example.cn/" })).toThrow(/AUTH_DOMAIN/);
  });

  it("generates the demo's key once into secrets.json (mode 0600) and reuses it", () => {
    const file = path.join(dir, "data", "secrets.json");
    const first = loadOrCreateJwtSecret(file);
    expect(first.created).toBe(true);
    expect(first.secret).toHaveLength(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const again = loadOrCreateJwtSecret(file);
    expect(again.created).toBe(false);
    expect(Buffer.from(again.secret).equals(Buffer.from(first.secret))).toBe(true);
    fs.writeFileSync(file, JSON.stringify({ authJwtSecret: "short" }));
    expect(() => loadOrCreateJwtSecret(file)).toThrow(/no usable "authJwtSecret"/);
  });
});
