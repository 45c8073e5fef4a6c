/**
 * The full-text search index, whichever database holds it: SQLite's FTS5 table (`fts.ts`) or
 * PostgreSQL's generated `tsvector` columns (`postgres/search.ts`). Both take the same query
 * syntax, page on the same (score, rowid) keyset with lower scores first, and mark snippets
 * alike; how they rank differs (bm25 against `ts_rank`, see docs/postgres.md).
 */
import * as sqlite from "./fts";
import * as postgres from "./postgres/search";
import type { Store } from "./store";

export { fromSearchRowId, searchRowId, SearchSyntaxError, SEARCH_TYPE_CODES } from "./fts";
export type { SearchableType, SearchRow, SearchWindow } from "./fts";

/** One page of hits, best first (see `fts.searchPage`). */
export function searchPage(
  db: Store,
  query: string,
  types: readonly sqlite.SearchableType[],
  window: sqlite.SearchWindow,
  limit: number,
): Promise<readonly sqlite.SearchRow[]> {
  return db.kind === "postgres" ? postgres.searchPage(db, query, types, window, limit) : sqlite.searchPage(db, query, types, window, limit);
}

/** How many hits a query has (see `fts.searchCount`). */
export function searchCount(db: Store, query: string, types: readonly sqlite.SearchableType[]): Promise<number> {
  return db.kind === "postgres" ? postgres.searchCount(db, query, types) : sqlite.searchCount(db, query, types);
}

/** A subquery of the ids of one type's rows whose title holds the words (see `fts.titleWordsSubquery`). */
export function titleWordsSubquery(
  db: Store,
  type: sqlite.SearchableType,
  words: readonly string[],
  options: { prefix: boolean; limit: number },
): { sql: string; params: string[] } {
  return db.kind === "postgres" ? postgres.titleWordsSubquery(type, words, options) : sqlite.titleWordsSubquery(type, words, options);
}
