import { and, asc, eq, gt, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../shared/db/client";
import { members } from "../../shared/db/schema";

export type MemberRow = typeof members.$inferSelect;

export function createMembersRepository(db: Database) {
  return {
    async find(address: string): Promise<MemberRow | undefined> {
      const [row] = await db.select().from(members).where(eq(members.address, address));
      return row;
    },
    async list(filter: { roleBit?: number; status?: MemberRow["status"]; after?: string; limit: number }) {
      const conditions: SQL[] = [];
      if (filter.roleBit !== undefined) conditions.push(sql`(${members.roles} & ${filter.roleBit}) <> 0`);
      if (filter.status) conditions.push(eq(members.status, filter.status));
      if (filter.after) conditions.push(gt(members.address, filter.after));
      return db
        .select()
        .from(members)
        .where(and(...conditions))
        .orderBy(asc(members.address))
        .limit(filter.limit + 1);
    },
    /** Names of the given members, for labelling addresses in other resources. */
    async namesOf(addresses: string[]): Promise<Map<string, string>> {
      if (addresses.length === 0) return new Map();
      const rows = await db
        .select({ address: members.address, name: members.name })
        .from(members)
        .where(sql`${members.address} = ANY(${sql.param([...new Set(addresses)])}::text[])`);
      return new Map(rows.map((row) => [row.address, row.name]));
    },
  };
}
export type MembersRepository = ReturnType<typeof createMembersRepository>;
