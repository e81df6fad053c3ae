import { and, asc, eq, gt, like, type SQL } from "drizzle-orm";
import type { Database } from "../../shared/db/client";
import { members, products } from "../../shared/db/schema";

const columns = {
  product: products,
  registrantName: members.name,
};

export function createProductsRepository(db: Database) {
  const base = () => db.select(columns).from(products).leftJoin(members, eq(members.address, products.registrant));
  return {
    async find(gtin: string) {
      const [row] = await base().where(eq(products.gtin, gtin));
      return row;
    },
    async list(filter: { registrant?: string; hsPrefix?: string; after?: string; limit: number }) {
      const conditions: SQL[] = [];
      if (filter.registrant) conditions.push(eq(products.registrant, filter.registrant));
      if (filter.hsPrefix) conditions.push(like(products.hsCode, `${filter.hsPrefix}%`));
      if (filter.after) conditions.push(gt(products.gtin, filter.after));
      return base()
        .where(and(...conditions))
        .orderBy(asc(products.gtin))
        .limit(filter.limit + 1);
    },
  };
}
export type ProductsRepository = ReturnType<typeof createProductsRepository>;
export type ProductWithRegistrant = NonNullable<Awaited<ReturnType<ProductsRepository["find"]>>>;
