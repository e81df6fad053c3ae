import { and, eq, gt, or, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/**
 * The keyset-pagination condition "(first, second) > (after[0], after[1])" for lists ordered by two
 * columns (e.g. block number then log index): the rows after the last one a page returned.
 */
export function after(first: PgColumn, second: PgColumn, key: readonly [unknown, unknown]): SQL {
  const [a, b] = key;
  return or(gt(first, a), and(eq(first, a), gt(second, b)))!;
}
