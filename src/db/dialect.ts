/**
 * The only place that knows we run on SQLite. Everything here has a PostgreSQL counterpart
 * (SPEC section 5), so moving to `DATABASE_URL` means rewriting this module, not the queries.
 */
import type BetterSqlite3 from "better-sqlite3";

/** Pragmas applied to every connection before TypeORM uses it. */
export function applyPragmas(db: BetterSqlite3.Database, options: { inMemory: boolean }): void {
  // WAL lets readers proceed while a writer commits. synchronous=FULL fsyncs the WAL on every
  // commit, so an acknowledged write survives a power cut as well as a process crash; writes are
  // rare next to reads here, so the cost is worth it.
  if (!options.inMemory) db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
}

/**
 * A SQL fragment that expands one bound parameter holding a JSON array of ids into a row set, so
 * that a batch of any size is one statement with one parameter (PostgreSQL: `= ANY($1)`).
 */
export function idList(): string {
  return "(SELECT value FROM json_each(?))";
}

/** Encodes ids for the parameter that `idList()` expects. */
export function idListParam(ids: readonly number[]): string {
  return JSON.stringify(ids);
}

/**
 * A condition matching rows whose `name` column or any entry of their JSON `aliases` column equals
 * the bound parameter, ignoring case. It takes two parameters, both the name.
 */
export function nameOrAliasMatch(alias: string): string {
  return (
    `(${alias}."name" = ? COLLATE NOCASE OR EXISTS ` +
    `(SELECT 1 FROM json_each(${alias}."aliases") a WHERE a.value = ? COLLATE NOCASE))`
  );
}

/** A condition true when any entry of a JSON array column satisfies `condition` on `value`. */
export function anyJsonEntry(column: string, condition: (value: string) => string): string {
  return `EXISTS (SELECT 1 FROM json_each(${column}) j WHERE ${condition("j.value")})`;
}

/**
 * Formats an instant the way `createdAt` and `updatedAt` are stored, so that comparing the text
 * compares the instants. They are stored to the second (`datetime('now')`, as the column
 * defaults and the seeder write them: `2026-11-28 20:07:03`), and a stored second sorts before
 * any longer text it begins, so an instant on a whole second must be written without its
 * `.000`: otherwise `eq` never matches and `gte`/`lt` are off by that second. An instant with
 * milliseconds keeps them, and then compares rightly with every whole second.
 */
export function timestampParam(date: Date): string {
  return date.toISOString().replace("T", " ").replace(/(\.000)?Z$/, "");
}

/** Escapes `%`, `_` and `\` for a LIKE pattern used with `ESCAPE '\'`. */
export function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
