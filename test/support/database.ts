import { sql } from "drizzle-orm";
import { openDatabase, type DatabaseHandle } from "../../shared/db/client";
import { resetReadModel } from "../../shared/db/reset";

/**
 * The database the TypeScript suites run on: PGlite in memory by default, or the PostgreSQL server
 * named by TEST_DATABASE_URL, in a schema of its own so that test files can run side by side.
 */
export async function openTestDatabase(): Promise<DatabaseHandle & { reset(): Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  const schemaName = url ? `t_${process.pid}_${Math.random().toString(36).slice(2, 8)}` : undefined;
  const handle = await openDatabase({ url, schemaName });
  return {
    ...handle,
    reset: () => resetReadModel(handle.db),
    async close() {
      if (schemaName) await handle.db.execute(sql.raw(`DROP SCHEMA "${schemaName}" CASCADE`));
      await handle.close();
    },
  };
}

/** Which database the suites run on, for test names. */
export const databaseKind = process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite";
