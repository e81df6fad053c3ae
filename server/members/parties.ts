import type { MembersRepository } from "./members.repository";

export interface Party {
  address: string;
  name: string | null;
}

/** Labels addresses with member names in one query, for any resource that shows parties. */
export async function partyLabeller(members: MembersRepository, addresses: (string | null | undefined)[]) {
  const names = await members.namesOf(addresses.filter((a): a is string => !!a));
  return (address: string): Party => ({ address, name: names.get(address) ?? null });
}
