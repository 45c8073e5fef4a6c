import type { Store } from "../storage/store";
import { readKey } from "../storage/read-cache";
import type { Dialect, SqlValue } from "../storage/dialect";
import { BadUserInputError } from "../errors";
import { typeModel } from "../model/registry";
import { compileFilter } from "./filter-compiler";
import { NodeTypeName, tablesByType } from "./tables";

/** The most groups one aggregate returns. */
export const MAX_GROUPS = 1000;

/** One group: the value it groups by (an id, a kind, a title; null for "none") and its size. */
export interface GroupRow {
  key: string | number | null;
  count: number;
}

/**
 * Every value a grouping column can take, for counts that include empty groups: the rows of the
 * table it refers to, or the values of its enum. A column without one (a position's free-text
 * title) has no groups but those with members.
 */
type GroupDomain = { table: string } | { values: readonly string[] };

/**
 * Every value a grouped column can hold, from the model registry: the rows of the table a
 * foreign key points at, or an enum's values. Other columns have no domain to list.
 */
function domainOf(typeName: NodeTypeName, column: string): GroupDomain | null {
  const type = typeModel(typeName);
  for (const relation of type.toOne.values()) {
    if (relation.column === column) return { table: typeModel(relation.target).table };
  }
  const values = type.columns.get(column)?.enumValues;
  return values ? { values } : null;
}

function emptyGroups(dialect: Dialect, typeName: NodeTypeName, column: string): { sql: string; params: SqlValue[] } | null {
  const domain = domainOf(typeName, column);
  if (!domain) return null;
  if ("table" in domain) return { sql: `SELECT k."id" AS key, 0 AS count FROM "${domain.table}" k`, params: [] };
  return { sql: `SELECT k.value AS key, 0 AS count FROM ${dialect.textRows("k")}`, params: [dialect.textListParam(domain.values)] };
}

/**
 * Counts the rows of a type matching a filter, grouped by one column, in one statement: the
 * database does the counting, never the server. Largest groups first, ties by key. Grouping a
 * million quotes visits every one, so the groups are kept in the database's read cache until the
 * next change; the rows are frozen, since every request asking the same counts shares them.
 * With `includeEmpty`, every value the column can take (every country for people per country)
 * is a group, with a count of 0 when no matching row has it: a researcher asking "how many per
 * country" sees the countries with none instead of not seeing them at all. They are added in the
 * same statement (a UNION ALL with the referenced table), so the statement count stays one.
 */
export async function groupCounts(
  db: Store,
  typeName: NodeTypeName,
  column: string,
  filter: unknown,
  first: number | null | undefined,
  includeEmpty = false,
): Promise<readonly GroupRow[]> {
  const limit = first ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_GROUPS) {
    throw new BadUserInputError(`\`first\` must be between 1 and ${MAX_GROUPS}, got ${limit}`, "first");
  }
  const where = compileFilter(db.dialect, typeName, filter);
  const grouped =
    `SELECT t."${column}" AS key, COUNT(*) AS count FROM "${tablesByType[typeName].table}" t ` +
    `${where ? `WHERE ${where.sql}` : ""} GROUP BY t."${column}"`;
  const empty = includeEmpty ? emptyGroups(db.dialect, typeName, column) : null;
  const sql = empty
    ? `SELECT key, SUM(count) AS count FROM (${grouped} UNION ALL ${empty.sql}) g GROUP BY key ORDER BY count DESC, key ASC NULLS FIRST LIMIT ?`
    : `${grouped} ORDER BY count DESC, key ASC NULLS FIRST LIMIT ?`;
  const params = [...(where?.params ?? []), ...(empty?.params ?? []), limit];
  // Grouping visits every row of the table (an index scan of a million quotes takes 100 ms even
  // without a filter), so it is a heavy read, off the event loop and stopped at the time limit.
  return db.cachedRead(readKey("groups", sql, params), async () =>
    Object.freeze((await db.heavyRead<GroupRow>(sql, params)).map((row) => Object.freeze(row))),
  );
}
