/**
 * The only place that knows which database runs the SQL (SPEC section 5): the read paths and the
 * services write one SQL text with `?` placeholders, and ask the store's `Dialect` for the few
 * things that differ. SQLite's dialect is here; PostgreSQL's is `postgresDialect`
 * (src/storage/postgres/dialect.ts), which also turns `?` into `$1, $2…`.
 */
import type BetterSqlite3 from "better-sqlite3";
import { BadUserInputError } from "../errors";

/**
 * A value that can be bound to a statement parameter. Arrays are for PostgreSQL only (a list of
 * ids as one `int[]` parameter); SQLite gets JSON text instead (see `Dialect.idListParam`).
 */
export type SqlValue = string | number | bigint | null | Buffer | readonly number[] | readonly string[];

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

/**
 * Refuses a read whose text parameters hold the NUL character (U+0000), as BAD_USER_INPUT on both
 * databases: PostgreSQL cannot hold it in text (it would fail the statement), and no stored text
 * holds it on SQLite either (editing refuses it), so such a filter or look-up can only be a
 * mistake. Called by both stores before every read.
 */
export function refuseNul(params: readonly SqlValue[]): void {
  for (const param of params) {
    if (typeof param === "string" && param.includes("\u0000")) {
      throw new BadUserInputError("A text argument holds the NUL character (U+0000), which no stored text can hold");
    }
  }
}

/** Escapes `%`, `_` and `\` for a LIKE pattern used with `ESCAPE '\'`. */
export function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The case-insensitive comparisons of filters, look-ups and uniqueness checks. */
export interface IgnoringCase {
  equals(column: string, value: string): Sql;
  contains(column: string, value: string): Sql;
  startsWith(column: string, value: string): Sql;
  /**
   * A condition true when `column` matches the bound LIKE pattern `?` (escaped with `\\`, its
   * letters already folded by `foldText`), ignoring case.
   */
  like(column: string): string;
}

/**
 * What differs between SQLite and PostgreSQL in our SQL. Everything else (joins, window
 * functions, keyset comparisons of row values, `COALESCE`, `TRUE`/`FALSE`) is written once.
 */
export interface Dialect {
  readonly kind: "sqlite" | "postgres";
  /** A statement's text as the database takes it (PostgreSQL numbers its placeholders). */
  native(sql: string): string;
  readonly ignoringCase: IgnoringCase;
  /** A condition true when `column` holds `?` as a substring (case-sensitive). */
  contains(column: string): string;
  /** A condition true when `column` begins with `?` (case-sensitive); binds the value `startsWithParams` times. */
  startsWith(column: string): string;
  readonly startsWithParams: number;
  /**
   * A row source `alias(value, key)` of a bound list of ids in the list's order, for joins
   * against many parents: `key` orders them as given.
   */
  idRows(alias: string): string;
  /** A subquery of a bound list of ids, for `IN`. */
  idList(): string;
  /** Encodes ids for the parameter that `idRows` and `idList` expect. */
  idListParam(ids: readonly number[]): SqlValue;
  /** A row source `alias(value)` of a bound list of strings (`textListParam`). */
  textRows(alias: string): string;
  textListParam(values: readonly string[]): SqlValue;
  /** A row source `alias(value)` of the strings of a JSON array column (aliases). */
  jsonEntries(column: string, alias: string): string;
  /** The number of entries of a JSON array column. */
  jsonLength(column: string): string;
  /** A bound instant as the timestamp columns compare with it. */
  timestampParam(date: Date): SqlValue;
  /** A condition matching rows whose `name` or any of whose JSON `aliases` equals `name`, ignoring case. */
  nameOrAliasMatch(alias: string, name: string): Sql;
  /** A condition true when any entry of a JSON array column satisfies `condition` on `value`. */
  anyJsonEntry(column: string, condition: (value: string) => string): string;
}

/**
 * SQLite's case-insensitive comparisons. An ASCII value uses SQLite's own NOCASE and LIKE, which
 * are native and use NOCASE indexes; any other value compares both sides folded by `foldText`, a
 * JavaScript function called per row. An ASCII value cannot equal or be found in text only by
 * folding its non-ASCII letters, so both give the same answers (but for a handful of
 * compatibility characters, such as the Kelvin sign).
 */
const sqliteIgnoringCase: IgnoringCase = {
  equals(column, value) {
    return isAscii(value) ? { sql: `${column} = ? COLLATE NOCASE`, params: [value] } : { sql: `${FOLD}(${column}) = ?`, params: [foldText(value)] };
  },
  contains(column, value) {
    return isAscii(value)
      ? { sql: `${column} LIKE ? ESCAPE '\\'`, params: [`%${likeEscape(value)}%`] }
      : { sql: `instr(${FOLD}(${column}), ?) > 0`, params: [foldText(value)] };
  },
  startsWith(column, value) {
    if (isAscii(value)) return { sql: `${column} LIKE ? ESCAPE '\\'`, params: [`${likeEscape(value)}%`] };
    const folded = foldText(value);
    return { sql: `substr(${FOLD}(${column}), 1, length(?)) = ?`, params: [folded, folded] };
  },
  like: (column) => `${column} LIKE ? ESCAPE '\\'`,
};

/** SQLite's dialect: JSON text for lists (`json_each`), NOCASE and `kb_fold` for case. */
export const sqliteDialect: Dialect = {
  kind: "sqlite",
  native: (sql) => sql,
  ignoringCase: sqliteIgnoringCase,
  contains: (column) => `instr(${column}, ?) > 0`,
  startsWith: (column) => `substr(${column}, 1, length(?)) = ?`,
  startsWithParams: 2,
  idRows: (alias) => `json_each(?) ${alias}`,
  idList: () => "(SELECT value FROM json_each(?))",
  idListParam: (ids) => JSON.stringify(ids),
  textRows: (alias) => `json_each(?) ${alias}`,
  textListParam: (values) => JSON.stringify(values),
  jsonEntries: (column, alias) => `json_each(${column}) ${alias}`,
  jsonLength: (column) => `json_array_length(${column})`,
  timestampParam,
  nameOrAliasMatch(alias, name) {
    const byName = sqliteIgnoringCase.equals(`${alias}."name"`, name);
    const byAlias = sqliteIgnoringCase.equals("a.value", name);
    return {
      sql: `(${byName.sql} OR EXISTS (SELECT 1 FROM json_each(${alias}."aliases") a WHERE ${byAlias.sql}))`,
      params: [...byName.params, ...byAlias.params],
    };
  },
  anyJsonEntry: (column, condition) => `EXISTS (SELECT 1 FROM json_each(${column}) j WHERE ${condition("j.value")})`,
};
