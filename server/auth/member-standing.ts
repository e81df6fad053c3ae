import { eq } from "drizzle-orm";
import type { Database } from "../../shared/db/client";
import { members } from "../../shared/db/schema";

export interface MemberStanding {
  address: string;
  name: string;
  roles: number;
  status: "active" | "suspended" | "revoked";
}

/**
 * A member's roles and status as indexed from the MemberRegistry, read on every authenticated
 * request (one primary-key lookup), so a suspension takes effect as soon as it is indexed.
 */
export function createMemberStandingReader(db: Database) {
  return async (address: string): Promise<MemberStanding | undefined> => {
    const [row] = await db
      .select({ address: members.address, name: members.name, roles: members.roles, status: members.status })
      .from(members)
      .where(eq(members.address, address.toLowerCase()));
    return row;
  };
}
export type MemberStandingReader = ReturnType<typeof createMemberStandingReader>;
