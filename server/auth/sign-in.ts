import { roleNames, type RoleName } from "../../shared/roles";
import { NotReadyError, UnauthorizedError } from "../errors";
import type { NodeClient } from "../transactions/node-client";
import type { ConsortiumAdmin } from "./consortium-admin";
import type { MemberStandingReader } from "./member-standing";
import type { NonceStore } from "./nonces";
import { parseSiweMessage, SiweParseError, type SiweMessage } from "./siwe-message";
import { verifySignedMessage } from "./signature";
import type { TokenService } from "./tokens";

/** Clocks of wallets and servers differ a little: issued-at and not-before may be this far ahead. */
const CLOCK_SKEW_MS = 60_000;
const MESSAGE = "body.message";
const SIGNATURE = "body.signature";

export interface SignInDependencies {
  domain: string;
  /** The chain id sign-in messages must name (resolved once known). */
  chainId(): Promise<number>;
  nonces: NonceStore;
  tokens: TokenService;
  standing: MemberStandingReader;
  admin: ConsortiumAdmin;
  node?: NodeClient;
}

export interface SignInResult {
  token: string;
  tokenType: "Bearer";
  expiresAt: string;
  member: { address: string; name: string; roles: RoleName[] };
  admin: boolean;
}

const refuse = (reason: string, message: string, field = MESSAGE) => new UnauthorizedError(reason, message, field);

/** The fields of a parsed message that must equal what this API expects. */
async function checkFields(message: SiweMessage, deps: SignInDependencies, now: number): Promise<void> {
  if (message.domain !== deps.domain) {
    throw refuse("DOMAIN_MISMATCH", `the message is for domain "${message.domain}"; this API accepts "${deps.domain}"`);
  }
  if (message.scheme !== undefined && message.scheme !== "https" && message.scheme !== "http") {
    throw refuse("DOMAIN_MISMATCH", `the scheme "${message.scheme}" is not http or https`);
  }
  let uriHost: string | undefined;
  try {
    const url = new URL(message.uri);
    if (url.protocol === "https:" || url.protocol === "http:") uriHost = url.host;
  } catch {
    uriHost = undefined;
  }
  if (uriHost !== deps.domain) {
    throw refuse("URI_MISMATCH", `the URI "${message.uri}" is not an http(s) URI of the domain "${deps.domain}"`);
  }
  if (message.version !== "1") throw refuse("UNSUPPORTED_VERSION", `the version is "${message.version}"; only "1" is supported`);
  const chainId = await deps.chainId();
  if (message.chainId !== chainId) throw refuse("CHAIN_ID_MISMATCH", `the message names chain ${message.chainId}; this API serves chain ${chainId}`);
  if (Date.parse(message.issuedAt) > now + CLOCK_SKEW_MS) throw refuse("ISSUED_IN_FUTURE", `"Issued At" ${message.issuedAt} is in the future`);
  if (message.expirationTime !== undefined && Date.parse(message.expirationTime) <= now) {
    throw refuse("MESSAGE_EXPIRED", `the message expired at ${message.expirationTime}`);
  }
  if (message.notBefore !== undefined && Date.parse(message.notBefore) > now + CLOCK_SKEW_MS) {
    throw refuse("MESSAGE_NOT_YET_VALID", `the message is not valid before ${message.notBefore}`);
  }
}

/**
 * Sign-In with Ethereum: checks the message against this API (domain, URI, version, chain, times),
 * the signature, then consumes the nonce (once, atomically) and requires an active member, or the
 * consortium admin; answers a session token. Every refusal is an UnauthorizedError naming its field.
 */
export function createSignInService(deps: SignInDependencies) {
  return {
    async signIn(text: string, signature: string): Promise<SignInResult> {
      const now = Date.now();
      let message: SiweMessage;
      try {
        message = parseSiweMessage(text);
      } catch (error) {
        if (error instanceof SiweParseError) throw refuse("MALFORMED_MESSAGE", `not an EIP-4361 message: ${error.message}`);
        throw error;
      }
      await checkFields(message, deps, now);
      if (!(await verifySignedMessage(text, signature, message.address, deps.node))) {
        throw refuse("BAD_SIGNATURE", `the signature is not ${message.address}'s signature of the message`, SIGNATURE);
      }
      const consumed = await deps.nonces.consume(message.nonce, new Date(now));
      if (consumed === "unknown") throw refuse("NONCE_UNKNOWN", "the nonce was not issued by this API (GET /api/v1/auth/nonce)");
      if (consumed === "used") throw refuse("NONCE_USED", "the nonce has already been used: get a new one");
      if (consumed === "expired") throw refuse("NONCE_EXPIRED", "the nonce has expired: get a new one");

      const address = message.address.toLowerCase();
      const member = await deps.standing(address);
      if (member && member.status !== "active") {
        throw refuse("MEMBER_NOT_ACTIVE", `${message.address} is a ${member.status} member`);
      }
      // A member signs in even when the node cannot say whether it is also the admin.
      const admin = member ? await deps.admin.is(address).catch(() => false) : await deps.admin.is(address);
      if (!member && !admin) throw refuse("NOT_A_MEMBER", `${message.address} is not a member of the consortium`);
      const { token, expiresAt } = await deps.tokens.issue(address);
      return {
        token,
        tokenType: "Bearer",
        expiresAt: expiresAt.toISOString(),
        member: member
          ? { address, name: member.name, roles: roleNames(member.roles) }
          : { address, name: "Consortium admin", roles: [] },
        admin,
      };
    },
  };
}
export type SignInService = ReturnType<typeof createSignInService>;

export function chainIdResolver(fixed: number | undefined, indexed: () => Promise<number | undefined>): () => Promise<number> {
  let known = fixed;
  return async () => {
    known ??= await indexed();
    if (known === undefined) throw new NotReadyError("The chain id is not known yet: the indexer has not run");
    return known;
  };
}
