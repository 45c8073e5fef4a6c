/**
 * Everything that knows the full-text index is SQLite FTS5 (SPEC section 5: PostgreSQL comes
 * later, where this module becomes tsvector columns and ts_rank). One FTS5 table indexes people
 * (name and aliases as the title, description as the body), organizations (likewise), quotes
 * (text) and articles (title, and the full text as the body). Triggers keep it in step with every
 * insert, update and delete, whoever writes: the API, the seeder, the generator or a hand-run SQL
 * statement.
 *
 * `createSearchIndexStatements` builds the index as it is now, after every migration (the
 * generator builds generated databases with it). The migrations hold their own copies of the SQL
 * as they first ran it: AddSearchIndex1795862400000 creates the index with article titles only,
 * AddArticleBodySearch1796404969050 adds article bodies, and the two end in this index
 * (test/migrations.test.ts checks that they do).
 */
import type { Store } from "./store";
import { readKey } from "./read-cache";

/** The types that can be searched, with the code folded into each index row's rowid. */
export const SEARCH_TYPE_CODES = { Article: 1, Organization: 2, Person: 3, Quote: 4 } as const;
export type SearchableType = keyof typeof SEARCH_TYPE_CODES;

/**
 * Index rows are keyed `id * 8 + typeCode`, so a trigger finds a row's index entry by rowid,
 * which FTS5 looks up directly, instead of scanning an unindexed column.
 */
const SLOTS = 8;

export function searchRowId(type: SearchableType, id: number): number {
  return id * SLOTS + SEARCH_TYPE_CODES[type];
}

export function fromSearchRowId(rowid: number): { type: SearchableType; id: number } {
  const code = rowid % SLOTS;
  const type = (Object.keys(SEARCH_TYPE_CODES) as SearchableType[]).find((t) => SEARCH_TYPE_CODES[t] === code);
  if (!type) throw new Error(`search index row ${rowid} has no type`);
  return { type, id: Math.floor(rowid / SLOTS) };
}

const TABLE = "search_index";

/** What each searchable table contributes: SQL expressions over `r` (the row) for title and body. */
const SOURCES: Record<SearchableType, { table: string; title: string; body: string; columns: string[] }> = {
  Article: { table: "article", title: `r."title"`, body: `r."body"`, columns: ["title", "body"] },
  Organization: {
    table: "organization",
    title: `r."name" || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(r."aliases")), '')`,
    body: `COALESCE(r."description", '')`,
    columns: ["name", "aliases", "description"],
  },
  Person: {
    table: "person",
    title: `r."name" || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(r."aliases")), '')`,
    body: `COALESCE(r."description", '')`,
    columns: ["name", "aliases", "description"],
  },
  Quote: { table: "quote", title: `''`, body: `r."text"`, columns: ["text"] },
};

function insertRow(type: SearchableType, row: string): string {
  const s = SOURCES[type];
  const expr = (e: string): string => e.replace(/\br\./g, `${row}.`);
  return `INSERT INTO "${TABLE}" (rowid, title, body) VALUES (${row}.id * ${SLOTS} + ${SEARCH_TYPE_CODES[type]}, ${expr(s.title)}, ${expr(s.body)});`;
}

function deleteRow(type: SearchableType, row: string): string {
  return `DELETE FROM "${TABLE}" WHERE rowid = ${row}.id * ${SLOTS} + ${SEARCH_TYPE_CODES[type]};`;
}

/**
 * A subquery of the ids of one type's rows whose title (a person's or organization's name and
 * aliases) holds the given words, each word as a whole word in order (`prefix`: each word only
 * as the beginning of a word, and in any order), at most `limit`. The index folds case and
 * accents, so "ÁLVAREZ" finds Álvarez. Each word is quoted as an FTS5 string, so no word can
 * form FTS5 syntax, whatever it holds. For look-ups by a part of a name: one index look-up
 * instead of a scan of every name.
 */
export function titleWordsSubquery(type: SearchableType, words: readonly string[], options: { prefix: boolean; limit: number }): { sql: string; params: string[] } {
  // Inside an FTS5 string only a double quote is special (doubled to stand for itself), so any
  // word is a literal; the tokenizer splits what is not a letter or digit.
  const quoted = (text: string): string => `"${text.replace(/"/g, '""')}"`;
  const match = options.prefix ? `title : (${words.map((w) => `${quoted(w)}*`).join(" AND ")})` : `title : ${quoted(words.join(" "))}`;
  return {
    sql: `SELECT rowid / ${SLOTS} FROM "${TABLE}" WHERE "${TABLE}" MATCH ? AND rowid % ${SLOTS} = ${SEARCH_TYPE_CODES[type]} LIMIT ${Math.trunc(options.limit)}`,
    params: [match],
  };
}

/** The statements that create the index, its triggers, and fill it from existing rows. */
export function createSearchIndexStatements(): string[] {
  const statements = [
    // unicode61 folds case and diacritics; the prefix indexes make `negotiat*` a range look-up.
    `CREATE VIRTUAL TABLE "${TABLE}" USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')`,
  ];
  for (const type of Object.keys(SOURCES) as SearchableType[]) {
    const { table, title, body, columns } = SOURCES[type];
    const name = `${table}_search`;
    statements.push(
      `CREATE TRIGGER "${name}_insert" AFTER INSERT ON "${table}" BEGIN ${insertRow(type, "new")} END`,
      `CREATE TRIGGER "${name}_delete" AFTER DELETE ON "${table}" BEGIN ${deleteRow(type, "old")} END`,
      `CREATE TRIGGER "${name}_update" AFTER UPDATE OF ${columns.map((c) => `"${c}"`).join(", ")} ON "${table}" BEGIN ${deleteRow(type, "old")} ${insertRow(type, "new")} END`,
      `INSERT INTO "${TABLE}" (rowid, title, body) SELECT r.id * ${SLOTS} + ${SEARCH_TYPE_CODES[type]}, ${title}, ${body} FROM "${table}" r`,
    );
  }
  return statements;
}

/** The statements that remove the index and its triggers. */
export function dropSearchIndexStatements(): string[] {
  const statements: string[] = [];
  for (const { table } of Object.values(SOURCES)) {
    for (const suffix of ["insert", "delete", "update"]) statements.push(`DROP TRIGGER IF EXISTS "${table}_search_${suffix}"`);
  }
  statements.push(`DROP TABLE IF EXISTS "${TABLE}"`);
  return statements;
}

/** One search hit: the index rowid, its bm25 score (lower is better) and a marked snippet. */
export interface SearchRow {
  id: number;
  score: number;
  snippet: string;
}

/** Marks around matched terms in snippets. */
export const HIGHLIGHT = { start: "<mark>", end: "</mark>" };

/**
 * What the databases' snippet functions (FTS5's `snippet`, PostgreSQL's `ts_headline`) put around
 * matched terms: two control characters, which the API's text never holds on purpose. The
 * snippet's text is HTML-escaped before they become `<mark>` tags, so a client may render a
 * snippet as HTML: a name like `<img onerror=…>` stays text, and a literal `<mark>` in a
 * description cannot pass for a match.
 */
export const SNIPPET_SENTINEL = { start: "\u0002", end: "\u0003" };

const HTML_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * A function turning a snippet marked with `SNIPPET_SENTINEL` into escaped HTML marked with
 * `HIGHLIGHT`; `extra` names more characters to escape (PostgreSQL's stand-ins for angle brackets).
 */
export function snippetMarker(extra: Readonly<Record<string, string>> = {}): (raw: string) => string {
  const escapes = { ...HTML_ESCAPES, ...extra };
  const specials = new RegExp(`[${Object.keys(escapes).join("")}${SNIPPET_SENTINEL.start}${SNIPPET_SENTINEL.end}]`, "g");
  return (raw) => {
    let open = false;
    // A stray sentinel in the stored text itself can only open or close a mark, never unbalance one.
    return (
      raw.replace(specials, (c) => {
        if (c === SNIPPET_SENTINEL.start) {
          if (open) return "";
          open = true;
          return HIGHLIGHT.start;
        }
        if (c === SNIPPET_SENTINEL.end) {
          if (!open) return "";
          open = false;
          return HIGHLIGHT.end;
        }
        return escapes[c];
      }) + (open ? HIGHLIGHT.end : "")
    );
  };
}

/** Turns FTS5's snippet into escaped HTML marked with `HIGHLIGHT`. */
const markSnippet = snippetMarker();

/** Title matches weigh more than body matches: a name hit beats a mention in a description. */
const WEIGHTS = "10.0, 1.0";

/** The condition keeping the given types' rows, as an `AND …` suffix; empty when every type is wanted. */
function typeCondition(types: readonly SearchableType[]): string {
  const all = Object.keys(SEARCH_TYPE_CODES).every((t) => types.includes(t as SearchableType));
  return all ? "" : ` AND rowid % ${SLOTS} IN (${types.map((t) => SEARCH_TYPE_CODES[t]).join(", ")})`;
}

/** Raised when FTS5 rejects the query text itself. */
export class SearchSyntaxError extends Error {}

/** Only the MATCH expression is user input here, so a plain SQLite error is a bad query. */
function asSyntaxError(error: unknown): unknown {
  // The check is by name, not instanceof: a native module's errors can come from another realm
  // (jest runs each test file in its own), and a reader's arrive as copies.
  // SQLITE_ERROR is what a malformed query gets; SQLITE_BUSY, I/O errors and the like are not
  // the client's doing and stay internal errors.
  const { name, code, message } = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown };
  return name === "SqliteError" && code === "SQLITE_ERROR" ? new SearchSyntaxError(String(message)) : error;
}

/**
 * Splits the index's rowids into one range per part. Every part ranks its own matches; bm25
 * takes its statistics from the whole index whatever the range, so the best rows of the parts,
 * merged, are exactly the best rows of the whole.
 *
 * The bounds are BigInts, which better-sqlite3 binds as SQLite integers (a JavaScript number is
 * bound as a real). FTS5 seeks to a rowid range only when its bounds are integers: given reals
 * it reads every match of the whole index and leaves SQLite to drop those outside the range, so
 * each part cost nearly as much as the whole search.
 */
async function rowidRanges(db: Store, parts: number): Promise<Array<[bigint, bigint]>> {
  // The docsize shadow table is a plain rowid table: its maximum is one B-tree descent.
  const max = (await db.get<{ m: number | null }>(`SELECT max(rowid) AS m FROM "${TABLE}_docsize"`))?.m ?? 0;
  const step = Math.ceil((max + 1) / parts);
  return Array.from({ length: parts }, (_, i): [bigint, bigint] => [
    BigInt(i * step),
    BigInt(i === parts - 1 ? Number.MAX_SAFE_INTEGER : (i + 1) * step),
  ]);
}

/** Orders hits by score, then rowid: the keyset of search cursors. */
function byRank(a: { score: number; id: number }, b: { score: number; id: number }): number {
  return a.score - b.score || a.id - b.id;
}

/** The cache key of a search read: everything its answer depends on. */
function cacheKey(kind: string, query: string, types: readonly SearchableType[], ...rest: unknown[]): string {
  return readKey(kind, query, [...types].sort(), ...rest);
}

/**
 * Which hits a page is taken from: those after and before the given (score, rowid) keys, from the
 * best end (forward) or the worst (backward, for `last`).
 */
export interface SearchWindow {
  after: [number, number] | null;
  before: [number, number] | null;
  backward: boolean;
}

/**
 * One page of hits in bm25 order, keyset-paged on (score, rowid), with snippets: the first
 * `limit` hits of the window, best first, or for a backward window its last `limit`, worst first.
 * The work runs in parts over rowid ranges in the reader processes (off the event loop, on every
 * core): each part scores its matches, keeps its own page, and makes snippets for those rows
 * only, joined back to a second pass over its matches (FTS5 cannot seek a MATCH to one rowid
 * cheaply). The pages of the parts, merged, are the page. The page is kept in the database's
 * read cache until the next change, since the same search is asked again and again.
 */
export async function searchPage(
  db: Store,
  query: string,
  types: readonly SearchableType[],
  window: SearchWindow,
  limit: number,
): Promise<readonly SearchRow[]> {
  const range = `"${TABLE}".rowid >= ? AND "${TABLE}".rowid < ?`;
  const bounds = [...(window.after ? ["(score, id) > (?, ?)"] : []), ...(window.before ? ["(score, id) < (?, ?)"] : [])];
  const direction = window.backward ? "DESC" : "ASC";
  const sql =
    `WITH hits AS (SELECT rowid AS id, bm25("${TABLE}", ${WEIGHTS}) AS score FROM "${TABLE}" ` +
    `WHERE "${TABLE}" MATCH ? AND ${range}${typeCondition(types)}), ` +
    `page AS (SELECT id, score FROM hits ${bounds.length > 0 ? `WHERE ${bounds.join(" AND ")} ` : ""}ORDER BY score ${direction}, id ${direction} LIMIT ?) ` +
    `SELECT page.id AS id, page.score AS score, snippet("${TABLE}", -1, ?, ?, '…', 16) AS snippet ` +
    `FROM page JOIN "${TABLE}" ON "${TABLE}".rowid = page.id WHERE "${TABLE}" MATCH ? AND ${range}`;
  const order = window.backward ? (a: SearchRow, b: SearchRow): number => byRank(b, a) : byRank;
  try {
    return await db.cachedRead(cacheKey("searchPage", query, types, window, limit), async () => {
      const paramSets = (await rowidRanges(db, db.parallelism)).map(([from, to]) => [
        query,
        from,
        to,
        ...(window.after ?? []),
        ...(window.before ?? []),
        limit,
        SNIPPET_SENTINEL.start,
        SNIPPET_SENTINEL.end,
        query,
        from,
        to,
      ]);
      const rows = (await db.allParts<SearchRow>(sql, paramSets)).flat().sort(order).slice(0, limit);
      // Every request asking the same search shares these rows.
      return Object.freeze(rows.map((row) => Object.freeze({ ...row, snippet: markSnippet(row.snippet) })));
    });
  } catch (error) {
    throw asSyntaxError(error);
  }
}

/** Counts every hit of a query, in parts in the reader processes like the ranking, and cached like it. */
export async function searchCount(db: Store, query: string, types: readonly SearchableType[]): Promise<number> {
  const sql = `SELECT COUNT(*) AS n FROM "${TABLE}" WHERE "${TABLE}" MATCH ? AND rowid >= ? AND rowid < ?${typeCondition(types)}`;
  try {
    return await db.cachedRead(cacheKey("searchCount", query, types), async () => {
      const paramSets = (await rowidRanges(db, db.parallelism)).map(([from, to]) => [query, from, to]);
      const parts = await db.allParts<{ n: number }>(sql, paramSets);
      return parts.reduce((sum, rows) => sum + (rows[0]?.n ?? 0), 0);
    });
  } catch (error) {
    throw asSyntaxError(error);
  }
}
