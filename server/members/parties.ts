import { roleNames } from "../../shared/roles";
import type { MembersRepository } from "./members.repository";

export interface Party {
  address: string;
  name: string | null;
}

/** Labels addresses with member names in one query, for any resource that shows parties. */
export async function partyLabeller(members: MembersRepository, addresses: (string | null | undefined)[]) {
  return labeller(await members.namesOf(addresses.filter((a): a is string => !!a)));
}

/** Labels addresses with member names already read. */
export function labeller(names: Map<string, string>) {
  return (address: string): Party => ({ address, name: names.get(address) ?? null });
}

/** What a verification shows of a member: name, status and roles; "unknown" when it is not a member. */
export function standings(members: { address: string; name: string; roles: number; status: "active" | "suspended" | "revoked" }[]) {
  const byAddress = new Map(members.map((m) => [m.address, m]));
  return (address: string) => {
    const member = byAddress.get(address);
    return {
      address,
      name: member?.name ?? null,
      status: member?.status ?? ("unknown" as const),
      roles: member ? roleNames(member.roles) : [],
    };
  };
}
