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
