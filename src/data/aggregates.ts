import { Database } from "../db/database";
import { readKey } from "../db/read-cache";
import { BadUserInputError } from "../errors";
import { compileFilter } from "./filters";
import { NodeTypeName, tablesByType } from "./tables";

/** The most groups one aggregate returns. */
export const MAX_GROUPS = 1000;

/** One group: the value it groups by (an id, a kind, a title; null for "none") and its size. */
export interface GroupRow {
  key: string | number | null;
  count: number;
}

/**
 * Counts the rows of a type matching a filter, grouped by one column, in one statement: the
 * database does the counting, never the server. Largest groups first, ties by key. Grouping a
 * million quotes visits every one, so the groups are kept in the database's read cache until the
 * next change; the rows are frozen, since every request asking the same counts shares them.
 */
export async function groupCounts(
  db: Database,
  typeName: NodeTypeName,
  column: string,
  filter: unknown,
  first: number | null | undefined,
): Promise<readonly GroupRow[]> {
  const limit = first ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_GROUPS) {
    throw new BadUserInputError(`\`first\` must be between 1 and ${MAX_GROUPS}, got ${limit}`, "first");
  }
  const where = compileFilter(typeName, filter);
  const sql =
    `SELECT t."${column}" AS key, COUNT(*) AS count FROM "${tablesByType[typeName].table}" t ` +
    `${where ? `WHERE ${where.sql}` : ""} GROUP BY t."${column}" ORDER BY count DESC, key ASC LIMIT ?`;
  const params = [...(where?.params ?? []), limit];
  // Grouping visits every row of the table (an index scan of a million quotes takes 100 ms even
  // without a filter), so it is a heavy read, off the event loop and stopped at the time limit.
  return db.cachedRead(readKey("groups", sql, params), async () =>
    Object.freeze((await db.heavyRead<GroupRow>(sql, params)).map((row) => Object.freeze(row))),
  );
}
