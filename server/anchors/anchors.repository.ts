import { and, asc, eq, type SQL } from "drizzle-orm";
import { after } from "../http/keyset";
import type { Database } from "../../shared/db/client";
import { anchors } from "../../shared/db/schema";

export type AnchorRow = typeof anchors.$inferSelect;

export function createAnchorsRepository(db: Database) {
  return {
    async find(root: string): Promise<AnchorRow | undefined> {
      const [row] = await db.select().from(anchors).where(eq(anchors.root, root));
      return row;
    },
    async list(filter: { submitter?: string; after?: [number, number]; limit: number }) {
      const conditions: SQL[] = [];
      if (filter.submitter) conditions.push(eq(anchors.submitter, filter.submitter));
      if (filter.after) {
        const [block, logIndex] = filter.after;
        conditions.push(after(anchors.blockNumber, anchors.logIndex, [block, logIndex]));
      }
      return db
        .select()
        .from(anchors)
        .where(and(...conditions))
        .orderBy(asc(anchors.blockNumber), asc(anchors.logIndex))
        .limit(filter.limit + 1);
    },
  };
}
export type AnchorsRepository = ReturnType<typeof createAnchorsRepository>;
