import { z } from "zod";
import { ROLE_NAMES, type RoleName } from "../../shared/roles";
import { addressSchema } from "../http/common-schemas";

const roleList = z.array(z.enum(ROLE_NAMES as [RoleName, ...RoleName[]]));
const isoTime = z.string().describe("ISO 8601 UTC time");

export const nonceSchema = z
  .object({
    nonce: z.string().describe("Single-use, alphanumeric (128 random bits); put it in the message's Nonce field"),
    issuedAt: isoTime,
    expiresAt: isoTime.describe("The nonce is refused after this time"),
    domain: z.string().describe("What the message's first line must name (host[:port])"),
    uri: z.string().describe("A URI the message may state (its host must be the domain)"),
    chainId: z.number().int().describe("The message's Chain ID"),
    version: z.literal("1").describe("The message's Version"),
  })
  .meta({ id: "SignInNonce" });

export const signInBody = z.object({
  message: z.string().min(1).max(4096).describe("The EIP-4361 message, exactly as signed (LF line ends)"),
  signature: z
    .string()
    .regex(/^0x([0-9a-fA-F]{2}){1,2048}$/, "must be 0x-prefixed hex")
    .describe("EIP-191 personal_sign signature of the message (65 bytes for an account; EIP-1271 for a contract wallet)"),
});

const signedInMember = z.object({
  address: z.string(),
  name: z.string(),
  roles: roleList,
});

export const signInResultSchema = z
  .object({
    token: z.string().describe("Send as `Authorization: Bearer <token>`"),
    tokenType: z.literal("Bearer"),
    expiresAt: isoTime,
    member: signedInMember,
    admin: z.boolean().describe("Whether the address is the consortium admin (the MemberRegistry's owner)"),
  })
  .meta({ id: "SignInResult" });

export const callerSchema = z
  .union([
    z.object({ kind: z.literal("anonymous") }),
    z.object({
      kind: z.enum(["member", "admin"]),
      address: z.string(),
      name: z.string(),
      roles: roleList,
      via: z.enum(["token", "api-key"]),
      scope: z.enum(["read", "read-write"]),
      apiKeyId: z.string().optional(),
    }),
  ])
  .meta({ id: "Caller" });

export const apiKeyScope = z.enum(["read", "read-write"]);

export const apiKeySchema = z
  .object({
    id: z.string().describe("Public id: the key's prefix after tfk_"),
    member: z.string(),
    name: z.string(),
    scope: apiKeyScope,
    createdAt: isoTime,
    createdBy: z.string().describe("Address that issued the key: the member or the consortium admin"),
    lastUsedAt: isoTime.nullable().describe("Updated at most once a minute"),
    revokedAt: isoTime.nullable(),
  })
  .meta({ id: "ApiKey" });

export const issuedApiKeySchema = apiKeySchema
  .extend({ key: z.string().describe("The secret key, shown only in this answer: `X-API-Key: <key>`") })
  .meta({ id: "IssuedApiKey" });

export const apiKeyListSchema = z.object({ items: z.array(apiKeySchema) }).meta({ id: "ApiKeyList" });

/** The member path parameter (named `member`, see README "Sign-in"). */
export const memberKeysParams = z.object({ member: addressSchema });
export const apiKeyParams = z.object({
  member: addressSchema,
  id: z.string().regex(/^[0-9a-f]{12}$/, "must be an API key id (12 hex characters)"),
});
export const createApiKeyBody = z.object({
  name: z.string().trim().min(1).max(100).describe("What the key is for, e.g. the bank's core system"),
  scope: apiKeyScope,
});
