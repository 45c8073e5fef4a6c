/**
 * The only place that knows we run on SQLite. Everything here has a PostgreSQL counterpart
 * (SPEC section 5), so moving to `DATABASE_URL` means rewriting this module, not the queries.
 */
import type BetterSqlite3 from "better-sqlite3";

/** A value that can be bound to a SQLite statement parameter. */
export type SqlValue = string | number | bigint | null | Buffer;

/** The SQL function that folds text for comparing it ignoring case (see `foldText`). */
const FOLD = "kb_fold";

/**
 * `foldText`'s source. The read pool's reader processes build the same function from it: a
 * compiled function's own text would carry whatever a build or a coverage tool wraps it in.
 */
const FOLD_SOURCE = `(text) => text.normalize("NFKC").toLowerCase()`;

/**
 * Text as it compares ignoring case, in any script: Unicode compatibility-normalized (a letter
 * and its combining accent become one character) and lower-cased. SQLite's own NOCASE and LIKE
 * fold only ASCII, so "ÉMILE" and "émile", or "Ангела" and "ангела", would differ.
 */
export const foldText = new Function(`return ${FOLD_SOURCE}`)() as (text: string) => string;

/**
 * Whether a value compares the same folded by SQLite (ASCII only) as by `foldText`: printable
 * ASCII. Anything else, control characters included, takes the folding path, which is right
 * for every value, only slower.
 */
function isAscii(text: string): boolean {
  return /^[ -~]*$/.test(text);
}

/** A compiled condition: SQL text over table aliases, and its parameters in order. */
export interface Sql {
  sql: string;
  params: SqlValue[];
}

/**
 * The case-insensitive comparisons of filters, look-ups and uniqueness checks. An ASCII value
 * uses SQLite's own NOCASE and LIKE, which are native and use NOCASE indexes; any other value
 * compares both sides folded by `foldText`, a JavaScript function called per row. An ASCII value
 * cannot equal or be found in text only by folding its non-ASCII letters, so both give the same
 * answers (but for a handful of compatibility characters, such as the Kelvin sign).
 */
export const ignoringCase = {
  equals(column: string, value: string): Sql {
    return isAscii(value) ? { sql: `${column} = ? COLLATE NOCASE`, params: [value] } : { sql: `${FOLD}(${column}) = ?`, params: [foldText(value)] };
  },
  contains(column: string, value: string): Sql {
    return isAscii(value)
      ? { sql: `${column} LIKE ? ESCAPE '\\'`, params: [`%${likeEscape(value)}%`] }
      : { sql: `instr(${FOLD}(${column}), ?) > 0`, params: [foldText(value)] };
  },
  startsWith(column: string, value: string): Sql {
    if (isAscii(value)) return { sql: `${column} LIKE ? ESCAPE '\\'`, params: [`${likeEscape(value)}%`] };
    const folded = foldText(value);
    return { sql: `substr(${FOLD}(${column}), 1, length(?)) = ?`, params: [folded, folded] };
  },
};

/** `foldText` as the read pool's reader processes register it (see `ReadPool`). */
export const READER_FOLD = { name: FOLD, source: FOLD_SOURCE };

/** Functions our SQL calls, registered on every connection that runs it. */
export function registerFunctions(db: BetterSqlite3.Database): void {
  db.function(FOLD, { deterministic: true }, (text: unknown) => (typeof text === "string" ? foldText(text) : text));
}

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
 * `name`, ignoring case.
 */
export function nameOrAliasMatch(alias: string, name: string): Sql {
  const byName = ignoringCase.equals(`${alias}."name"`, name);
  const byAlias = ignoringCase.equals("a.value", name);
  return {
    sql: `(${byName.sql} OR EXISTS (SELECT 1 FROM json_each(${alias}."aliases") a WHERE ${byAlias.sql}))`,
    params: [...byName.params, ...byAlias.params],
  };
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
