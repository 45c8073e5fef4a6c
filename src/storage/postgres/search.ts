/**
 * Full-text search on PostgreSQL: what src/storage/fts.ts does with FTS5, here with the generated
 * `search` tsvector columns of the migration PostgresSearch (titles weight A, bodies weight B,
 * the `kb_search` configuration: the `simple` parser and dictionary after `unaccent`) and their
 * GIN indexes. The functions have fts.ts's parameters and answers, with a `Store` for the
 * database, so that fts.ts can hand them a PostgreSQL store:
 *
 * - the query text is read with FTS5's grammar and written as a tsquery (./search-query.ts), so
 *   a query is accepted, rejected (`SearchSyntaxError`, with FTS5's message) and understood alike
 *   on both databases;
 * - hits are ranked by `ts_rank` with titles weighing ten times bodies, as bm25 weighs FTS5's
 *   columns; the score is the negated rank, so that lower is better as with bm25, and ties go by
 *   the same rowid (`searchRowId`): the search cursors and their keyset work unchanged;
 * - snippets are `ts_headline`'s, made for the rows of the page only, marked and HTML-escaped
 *   like FTS5's.
 */
import type { SqlValue } from "../dialect";
import { HIGHLIGHT, SEARCH_TYPE_CODES, SearchableType, SearchRow, SearchSyntaxError, SearchWindow, SNIPPET_SENTINEL, snippetMarker } from "../fts";
import { readKey } from "../read-cache";
import type { Store } from "../store";
import { SearchQueryError, titleWordsTsquery, TranslatedQuery, translateQuery } from "./search-query";

/** Index rowids are `id * SLOTS + type code`, as on SQLite (`searchRowId` in fts.ts). */
const SLOTS = 8;

/**
 * What each searchable table shows as its title and its body in snippets: the same text as FTS5
 * indexes (a person's or organization's name and aliases joined by spaces, as its title).
 */
const SOURCES: Record<SearchableType, { table: string; title: string; body: string }> = {
  Article: { table: "article", title: `r."title"`, body: `r."body"` },
  Organization: {
    table: "organization",
    title: `r."name" || ' ' || COALESCE((SELECT string_agg(a.value, ' ') FROM json_array_elements_text(r."aliases"::json) a(value)), '')`,
    body: `COALESCE(r."description", '')`,
  },
  Person: {
    table: "person",
    title: `r."name" || ' ' || COALESCE((SELECT string_agg(a.value, ' ') FROM json_array_elements_text(r."aliases"::json) a(value)), '')`,
    body: `COALESCE(r."description", '')`,
  },
  Quote: { table: "quote", title: `''`, body: `r."text"` },
};

/**
 * `ts_rank`'s weights, in its order {D, C, B, A}: a title match (A) counts ten times a body match
 * (B), as bm25's column weights 10 and 1 on SQLite. Normalization 2 divides by the row's length,
 * so that, as with bm25's length normalization, a short quote saying the words outranks a whole
 * article that says them once among thousands of others (with 1, dividing by the logarithm of the
 * length only, the seed article outranked the quotes it holds: docs/queries.md's example).
 */
const RANK = `ts_rank('{0, 0, 0.1, 1}', r."search", q.q, 2)`;

/**
 * What `<` and `>` stand as while `ts_headline` reads the text. Its parser takes `<b>` for an
 * HTML tag and leaves tags out of the headline, while a snippet must show the text as it is
 * (escaped), as on SQLite. Like `<` and `>`, these are not part of any word.
 */
const ANGLE = { lt: "\u0004", gt: "\u0005" };

/** About 16 words around the best match, like FTS5's `snippet(…, 16)`; words of one letter count. */
const HEADLINE_OPTIONS = `StartSel="${SNIPPET_SENTINEL.start}", StopSel="${SNIPPET_SENTINEL.end}", MaxWords=16, MinWords=15, ShortWord=0, HighlightAll=false, MaxFragments=0`;

/** What FTS5 puts where a snippet leaves text out. */
const ELLIPSIS = "…";

/** Escaped HTML marked with `HIGHLIGHT`, from `ts_headline`'s text with its angle-bracket stand-ins. */
const markSentinels = snippetMarker({ [ANGLE.lt]: "&lt;", [ANGLE.gt]: "&gt;" });

/**
 * Turns `ts_headline`'s text, marked with the sentinels, into escaped HTML marked with
 * `HIGHLIGHT`, as fts.ts's `markSnippet` does with FTS5's. `ts_headline` marks each word of a
 * phrase apart, where FTS5 marks the phrase: with `joinAdjacent` (the query holds a phrase),
 * marks separated by nothing but spaces are joined.
 */
export function markHeadline(raw: string, joinAdjacent: boolean): string {
  const marked = markSentinels(raw);
  if (!joinAdjacent) return marked;
  return marked.replace(new RegExp(`${escapeRegExp(HIGHLIGHT.end)}( +)${escapeRegExp(HIGHLIGHT.start)}`, "g"), "$1");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The tsquery of a query, or `SearchSyntaxError` with FTS5's message for a query FTS5 rejects. */
function tsquery(query: string): TranslatedQuery {
  try {
    return translateQuery(query);
  } catch (error) {
    if (error instanceof SearchQueryError) throw new SearchSyntaxError(error.message);
    throw error;
  }
}

/** The requested types in a fixed order (the statement's text then depends only on which). */
function typesOf(types: readonly SearchableType[]): SearchableType[] {
  return (Object.keys(SEARCH_TYPE_CODES) as SearchableType[]).filter((t) => types.includes(t));
}

/** The hits of the query (`q.q`) among the given types' rows: rowid and score (lower is better). */
function hitsSql(types: readonly SearchableType[]): string {
  return types
    .map((type) => {
      const { table } = SOURCES[type];
      return `SELECT r.id::int8 * ${SLOTS} + ${SEARCH_TYPE_CODES[type]} AS id, (-${RANK})::float8 AS score FROM "${table}" r, q WHERE r."search" @@ q.q`;
    })
    .join(" UNION ALL ");
}

/**
 * The title and body of the page's rows, and which of the two the snippet is made from: the one
 * with the better match (the title on a tie), as FTS5's snippet takes the column that matches
 * best. The stored vector, ranked with the other weight set to zero, says which without parsing
 * the texts again.
 */
function textsSql(types: readonly SearchableType[]): string {
  return types
    .map((type) => {
      const { table, title, body } = SOURCES[type];
      const titleRank = `ts_rank('{0, 0, 0, 1}', r."search", q.q)`;
      const bodyRank = `ts_rank('{0, 0, 1, 0}', r."search", q.q)`;
      return (
        `SELECT page.id, page.score, CASE WHEN ${titleRank} >= ${bodyRank} AND ${title} <> '' THEN ${title} ELSE ${body} END AS doc ` +
        `FROM page JOIN "${table}" r ON page.id % ${SLOTS} = ${SEARCH_TYPE_CODES[type]} AND r.id = page.id / ${SLOTS}, q`
      );
    })
    .join(" UNION ALL ");
}

/** The cache key of a search read: everything its answer depends on (as fts.ts keys it). */
function cacheKey(kind: string, query: string, types: readonly SearchableType[], ...rest: unknown[]): string {
  return readKey(kind, query, [...types].sort(), ...rest);
}

/** A row of the page statement, as pg returns it (int8 as text). */
interface PageRow {
  id: string | number;
  score: number;
  headline: string;
  atStart: boolean;
  atEnd: boolean;
}

/**
 * One page of hits in rank order, keyset-paged on (score, rowid), with snippets: the first
 * `limit` hits of the window, best first, or for a backward window its last `limit`, worst
 * first, as fts.ts's `searchPage` answers on SQLite. One statement: the matches come from the
 * GIN indexes and are ranked, the page is cut by the keyset, and only the page's rows are read
 * again for their texts and `ts_headline` (which parses the whole text it is given). A heavy read
 * (stopped at the request's time limit), kept in the store's read cache until the next change,
 * like SQLite's.
 */
export async function searchPage(db: Store, query: string, types: readonly SearchableType[], window: SearchWindow, limit: number): Promise<readonly SearchRow[]> {
  const { tsquery: text, phrases } = tsquery(query);
  const wanted = typesOf(types);
  if (wanted.length === 0 || limit <= 0) return [];
  const bounds: string[] = [];
  const params: SqlValue[] = [text];
  if (window.after) {
    bounds.push("(score, id) > (?::float8, ?::int8)");
    params.push(window.after[0], window.after[1]);
  }
  if (window.before) {
    bounds.push("(score, id) < (?::float8, ?::int8)");
    params.push(window.before[0], window.before[1]);
  }
  params.push(Math.trunc(limit), `<>`, `${ANGLE.lt}${ANGLE.gt}`, HEADLINE_OPTIONS, `${SNIPPET_SENTINEL.start}${SNIPPET_SENTINEL.end}`);
  const direction = window.backward ? "DESC" : "ASC";
  const sql =
    `WITH q AS MATERIALIZED (SELECT to_tsquery('kb_search', ?) AS q), ` +
    `hits AS (${hitsSql(wanted)}), ` +
    `page AS MATERIALIZED (SELECT id, score FROM hits ${bounds.length > 0 ? `WHERE ${bounds.join(" AND ")} ` : ""}ORDER BY score ${direction}, id ${direction} LIMIT ?), ` +
    `texts AS (${textsSql(wanted)}), ` +
    `shown AS (SELECT id, score, translate(doc, ?, ?) AS doc FROM texts), ` +
    `headlines AS (SELECT id, score, doc, ts_headline('kb_search', doc, q.q, ?) AS headline FROM shown, q), ` +
    `plain AS (SELECT id, score, doc, headline, translate(headline, ?, '') AS bare FROM headlines) ` +
    `SELECT id, score, headline, starts_with(doc, bare) AS "atStart", right(doc, length(bare)) = bare AS "atEnd" ` +
    `FROM plain ORDER BY score ${direction}, id ${direction}`;
  return db.cachedRead(cacheKey("searchPage", query, types, window, limit), async () => {
    const rows = await db.heavyRead<PageRow>(sql, params);
    // Every request asking the same search shares these rows.
    return Object.freeze(
      rows.map((row) =>
        Object.freeze({
          id: Number(row.id),
          score: Number(row.score),
          snippet: `${row.atStart ? "" : ELLIPSIS}${markHeadline(row.headline, phrases)}${row.atEnd ? "" : ELLIPSIS}`,
        }),
      ),
    );
  });
}

/** Counts every hit of a query among the given types, cached like the page. */
export async function searchCount(db: Store, query: string, types: readonly SearchableType[]): Promise<number> {
  const text = tsquery(query).tsquery;
  const wanted = typesOf(types);
  if (wanted.length === 0) return 0;
  const counts = wanted.map((type) => `(SELECT count(*) FROM "${SOURCES[type].table}" r, q WHERE r."search" @@ q.q)`).join(" + ");
  const sql = `WITH q AS MATERIALIZED (SELECT to_tsquery('kb_search', ?) AS q) SELECT ${counts} AS n FROM q`;
  return db.cachedRead(cacheKey("searchCount", query, types), async () => {
    const rows = await db.heavyRead<{ n: string | number }>(sql, [text]);
    return Number(rows[0]?.n ?? 0);
  });
}

/**
 * A subquery of the ids of one type's rows whose title (a person's or organization's name and
 * aliases, an article's title: weight A) holds the given words, each a whole word, in order
 * (`prefix`: each word only as the beginning of a word, in any order), at most `limit`, as
 * fts.ts's `titleWordsSubquery` on SQLite. Case and accents are folded by `kb_search`, and each
 * word reaches the tsquery quoted, so no word can form tsquery syntax. One GIN index look-up
 * instead of a scan of every name.
 */
export function titleWordsSubquery(type: SearchableType, words: readonly string[], options: { prefix: boolean; limit: number }): { sql: string; params: string[] } {
  return {
    sql: `SELECT r.id FROM "${SOURCES[type].table}" r WHERE r."search" @@ to_tsquery('kb_search', ?) LIMIT ${Math.trunc(options.limit)}`,
    params: [titleWordsTsquery(words, options.prefix)],
  };
}
