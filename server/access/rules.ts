import { ROLES, type RoleName } from "../../shared/roles";
import { ForbiddenError, UnauthorizedError } from "../errors";
import type { AuthenticatedCaller, Caller } from "../http/authentication";
import type { PartyResolver } from "./parties";

/**
 * The data classification of an operation, as the README's access table writes it:
 * - public: anyone, no credential;
 * - member: any active member (and the consortium admin): shared consortium data;
 * - party: the parties of the asset, and regulators and auditors (read-only);
 * - oversight: regulators and auditors only;
 * - admin: the consortium admin (the MemberRegistry owner).
 */
export type AccessTier = "public" | "member" | "party" | "oversight" | "admin";

/** What a rule may look at: the request's validated path and query parameters. */
export interface AccessInput {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
}

export interface AccessRule {
  tier: AccessTier;
  /** Who may call, in words: shown in the README, the OpenAPI document and every refusal. */
  who: string;
  /** The operation changes state: an API key needs the read-write scope. */
  writes?: boolean;
  /** For a signed-in caller: whether it may make this request. Unset: every signed-in caller may. */
  allows?(caller: AuthenticatedCaller, input: AccessInput, parties: PartyResolver): boolean | Promise<boolean>;
}

const OVERSIGHT_BITS = ROLES.REGULATOR | ROLES.AUDITOR;

/** Regulators and auditors read everything (and change nothing through that right). */
export function hasOversight(caller: Caller): boolean {
  return caller.kind !== "anonymous" && (caller.roleBits & OVERSIGHT_BITS) !== 0;
}

const hasRole = (caller: AuthenticatedCaller, role: RoleName) => (caller.roleBits & ROLES[role]) !== 0;

export const PUBLIC: AccessRule = { tier: "public", who: "anyone, without a credential" };

export const MEMBERS: AccessRule = { tier: "member", who: "any active member or the consortium admin" };

export const MEMBER_WRITES: AccessRule = { ...MEMBERS, writes: true };

export const OVERSIGHT: AccessRule = { tier: "oversight", who: "regulators and auditors", allows: hasOversight };

export const ADMIN: AccessRule = { tier: "admin", who: "the consortium admin", allows: (caller) => caller.kind === "admin" };

export const ADMIN_OR_OVERSIGHT: AccessRule = {
  tier: "oversight",
  who: "the consortium admin, regulators and auditors",
  allows: (caller) => caller.kind === "admin" || hasOversight(caller),
};

const PARTY_WHO = (parties: string) => `${parties}; regulators and auditors`;

/**
 * The parties of one ledger object, found by `resolve` from the request (an unknown id has none, so
 * only oversight learns whether it exists); `orRole` also admits every member with that role (a bank
 * checking collateral before it makes an offer).
 */
export function partiesOf(
  parties: string,
  resolve: (input: AccessInput, resolver: PartyResolver) => Promise<Set<string>>,
  orRole?: RoleName,
): AccessRule {
  return {
    tier: "party",
    who: PARTY_WHO(orRole ? `${parties}; any ${orRole.toLowerCase()}` : parties),
    allows: async (caller, input, resolver) =>
      hasOversight(caller) || (orRole !== undefined && hasRole(caller, orRole)) || (await resolve(input, resolver)).has(caller.address),
  };
}

/**
 * A list of party data: the caller must name itself in one of the `filters` (a list is never
 * silently narrowed to what the caller may see: a list that would hold others' data is a 403).
 */
export function listNamingCaller(filters: string[]): AccessRule {
  const named = filters.map((filter) => `\`${filter}\``).join(" or ");
  return {
    tier: "party",
    who: PARTY_WHO(`a member naming itself as ${named}`),
    allows: (caller, input) => hasOversight(caller) || filters.some((filter) => input.query[filter] === caller.address),
  };
}

/** A member's own book (holdings, calendar, loan book): the member named by the path parameter. */
export function memberItself(param: string): AccessRule {
  return {
    tier: "party",
    who: PARTY_WHO(`the member \`${param}\` itself`),
    allows: (caller, input) => hasOversight(caller) || input.params[param] === caller.address,
  };
}

/** Refuses what the rule does not allow: 401 without a credential, 403 (never 404) with one. */
export function describeRefusal(operation: string, rule: AccessRule, caller: Caller): Error {
  if (caller.kind === "anonymous") {
    return new UnauthorizedError("CREDENTIAL_REQUIRED", `${operation} is for ${rule.who}: sign in (Bearer token) or present an API key (X-API-Key)`);
  }
  return new ForbiddenError(`${operation} is for ${rule.who}; ${caller.address} is not one of them`, {
    reason: "NOT_PERMITTED",
    operation,
    tier: rule.tier,
  });
}
