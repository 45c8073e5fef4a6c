import { Dialect, foldText, IgnoringCase, likeEscape, Sql } from "../dialect";

/** How many statement texts `native` keeps translated; past it, it starts again. */
const NATIVE_CACHE_ENTRIES = 5000;

const translated = new Map<string, string>();

/**
 * A statement's text with its `?` placeholders numbered (`$1`, `$2`…), as PostgreSQL takes them.
 * A `?` inside a string literal, a quoted identifier or a comment is left alone. Translations are
 * kept (statement texts repeat: they depend on the query's shape, never on its values).
 */
export function numberPlaceholders(sql: string): string {
  const kept = translated.get(sql);
  if (kept !== undefined) return kept;
  let out = "";
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = closing(sql, i, c);
      out += sql.slice(i, end);
      i = end;
    } else if (c === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === "?") {
      out += `$${++n}`;
      i += 1;
    } else {
      out += c;
      i += 1;
    }
  }
  if (translated.size >= NATIVE_CACHE_ENTRIES) translated.clear();
  translated.set(sql, out);
  return out;
}

/** The index just past the quote that closes the one at `start` (a doubled quote is escaped). */
function closing(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i += 1;
  }
  return sql.length;
}

/**
 * PostgreSQL's case-insensitive comparisons: both sides folded by `kb_fold` (the migration
 * PostgresSearch: NFKC, then lower-cased by ICU, in every script), which its expression indexes
 * serve: a btree for equality, trigram GIN indexes for LIKE patterns. The value is folded in
 * JavaScript (`foldText`, the same rule) for patterns, so that its LIKE escapes stay escapes.
 */
const postgresIgnoringCase: IgnoringCase = {
  equals: (column, value) => ({ sql: `kb_fold(${column}) = kb_fold(?)`, params: [value] }),
  contains: (column, value) => ({ sql: `kb_fold(${column}) LIKE ?`, params: [`%${likeEscape(foldText(value))}%`] }),
  startsWith: (column, value) => ({ sql: `kb_fold(${column}) LIKE ?`, params: [`${likeEscape(foldText(value))}%`] }),
  like: (column) => `kb_fold(${column}) LIKE ?`,
};

/** 0001-01-01T00:00:00Z, the earliest instant PostgreSQL reads in ISO form. */
const FIRST_INSTANT = Date.parse("0001-01-01T00:00:00Z");

/** PostgreSQL's dialect: arrays for lists, `json` functions on the JSON text columns, `kb_fold`. */
export const postgresDialect: Dialect = {
  kind: "postgres",
  native: numberPlaceholders,
  ignoringCase: postgresIgnoringCase,
  contains: (column) => `strpos(${column}, ?) > 0`,
  startsWith: (column) => `starts_with(${column}, ?)`,
  startsWithParams: 1,
  idRows: (alias) => `unnest(?::int[]) WITH ORDINALITY ${alias}(value, key)`,
  idList: () => "(SELECT unnest(?::int[]))",
  idListParam: (ids) => ids,
  textRows: (alias) => `unnest(?::text[]) ${alias}(value)`,
  textListParam: (values) => values,
  jsonEntries: (column, alias) => `json_array_elements_text(${column}::json) ${alias}(value)`,
  jsonLength: (column) => `json_array_length(${column}::json)`,
  // PostgreSQL's timestamps start at year 1 (in ISO form; older ones are written "BC"): an
  // earlier instant, which graphql-scalars' DateTime accepts ("0000-01-01T00:00:00Z"), compares
  // as `-infinity`, before every stored time, as its text does on SQLite.
  timestampParam: (date) => (date.getTime() < FIRST_INSTANT ? "-infinity" : date.toISOString()),
  nameOrAliasMatch(alias, name): Sql {
    return {
      sql: `(kb_fold(${alias}."name") = kb_fold(?) OR EXISTS (SELECT 1 FROM json_array_elements_text(${alias}."aliases"::json) a(value) WHERE kb_fold(a.value) = kb_fold(?)))`,
      params: [name, name],
    };
  },
  anyJsonEntry: (column, condition) => `EXISTS (SELECT 1 FROM json_array_elements_text(${column}::json) j(value) WHERE ${condition("j.value")})`,
};
