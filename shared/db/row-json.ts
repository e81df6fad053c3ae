import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/** How each column type reads as JSON so that it parses to what Drizzle returns for the column. */
const JSON_FORM: Record<string, (column: string) => string> = {
  bigint: (column) => column,
  integer: (column) => column,
  text: (column) => column,
  boolean: (column) => column,
  jsonb: (column) => column,
  // Decimal strings: JSON numbers would lose precision above 2^53.
  "numeric(78, 0)": (column) => `${column}::text`,
};

/**
 * `json_build_object('property', alias."column", ...)` for every column of `table`: a row inside a
 * JSON answer, keyed by Drizzle property names, that parses back to the row Drizzle would return.
 */
export function rowJson(table: PgTable, alias: string): SQL {
  const fields = Object.entries(getTableColumns(table)).map(([property, column]) => {
    const form = JSON_FORM[column.getSQLType()];
    if (!form) throw new Error(`${column.name}: no JSON form for ${column.getSQLType()}`);
    return `'${property}', ${form(`${alias}."${column.name}"`)}`;
  });
  return sql.raw(`json_build_object(${fields.join(", ")})`);
}
