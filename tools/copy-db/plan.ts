/**
 * What copy-db copies: every table of the model (one per entity), its columns, in foreign-key
 * order. Tables that are not entities are not copied: the migrations table (the target's own
 * migrations made its schema), SQLite's FTS5 tables and `sqlite_sequence` (rebuilt on a SQLite
 * target), PostgreSQL's generated `search` columns (computed by the target).
 */
import { model, NodeTypeName } from "../../src/model/registry";

/** A usage mistake or a database copy-db refuses: printed as one line, exit code 1. */
export class CopyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CopyError";
  }
}

export interface TablePlan {
  table: string;
  /** Every column, by its database name, the primary key `id` first. */
  columns: string[];
  /** The columns holding instants (`createdAt`…): text on SQLite, `timestamptz` on PostgreSQL. */
  instants: string[];
}

/**
 * The tables in an order where every table comes after the tables its foreign keys point at
 * (a table's references to itself, such as an organization's parent, aside: both targets load
 * with foreign keys checked once at the end, so the order of rows within a table does not matter).
 */
export function copyPlan(): TablePlan[] {
  const types = [...model().types.values()];
  const byName = new Map(types.map((t) => [t.name, t]));
  const done = new Set<NodeTypeName>();
  const plan: TablePlan[] = [];
  const visit = (name: NodeTypeName, path: NodeTypeName[]): void => {
    if (done.has(name)) return;
    if (path.includes(name)) throw new Error(`foreign keys form a cycle: ${[...path, name].join(" → ")}`);
    const type = byName.get(name);
    if (!type) throw new Error(`no model for ${name}`);
    for (const relation of type.toOne.values()) if (relation.target !== name) visit(relation.target, [...path, name]);
    done.add(name);
    const columns = [...type.columns.values()].map((c) => c.name);
    plan.push({
      table: type.table,
      columns: ["id", ...columns.filter((c) => c !== "id")],
      instants: [...type.columns.values()].filter((c) => c.type === "datetime").map((c) => c.name),
    });
  };
  for (const type of types) visit(type.name, []);
  return plan;
}

/** `"a", "b"`: quoted column names for SQL. */
export function columnList(columns: readonly string[]): string {
  return columns.map((c) => `"${c}"`).join(", ");
}

/**
 * About how much text one batch may hold (in UTF-16 code units), whatever `--batch` says: 5000
 * article bodies would hold a hundred megabytes at once.
 */
export const BATCH_TEXT = 8 * 1024 * 1024;

/** The text a row holds, about: what its batch costs in memory. */
export function rowText(row: readonly unknown[]): number {
  let n = 0;
  for (const value of row) n += typeof value === "string" ? value.length : 8;
  return n;
}
