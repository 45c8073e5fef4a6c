import { Context } from "../context";
import { fromSearchRowId, SearchableType, searchCount, searchPage, SearchSyntaxError } from "../db/fts";
import { BadUserInputError } from "../errors";
import { SearchResultConnection, SearchResultEdge, SearchType } from "../types/search";
import { encodeCursor, pageRequest } from "./pagination";
import { SortKey } from "./tables";

/** The longest search text accepted. */
export const MAX_SEARCH_LENGTH = 500;

export interface SearchArgs {
  query: string;
  types?: SearchType[] | null;
  first?: number | null;
  after?: string | null;
}

/** Hits are ranked by bm25 (lower is better), ties by index rowid: the keyset of search cursors. */
const SEARCH_ORDER: SortKey[] = [
  { column: "score", direction: "ASC" },
  { column: "id", direction: "ASC" },
];

function badQuery(error: unknown): never {
  if (error instanceof SearchSyntaxError) {
    throw new BadUserInputError(
      `The search query is not valid FTS5 syntax (${error.message}). Quote phrases with "…", end a prefix with *, join terms with AND, OR, NOT.`,
      "query",
    );
  }
  throw error;
}

/**
 * Runs a full-text search: the ranking in parts on the read workers, one statement for the
 * page's snippets, one per type for the objects (through the request's DataLoaders), and the
 * count, in parts like the ranking, only if `totalCount` is asked for.
 */
export async function search(ctx: Context, args: SearchArgs): Promise<SearchResultConnection> {
  const query = args.query.trim();
  if (query.length === 0) throw new BadUserInputError("The search query is empty", "query");
  if (query.length > MAX_SEARCH_LENGTH) {
    throw new BadUserInputError(`The search query is longer than ${MAX_SEARCH_LENGTH} characters`, "query");
  }
  const { limit, after: key } = pageRequest({ first: args.first, after: args.after }, SEARCH_ORDER);
  if (key && !key.every((value) => typeof value === "number")) {
    throw new BadUserInputError("`after` is not a valid cursor for this list", "after");
  }
  const after = key ? (key as [number, number]) : null;
  const types: SearchableType[] = args.types && args.types.length > 0 ? [...new Set(args.types)] : Object.values(SearchType);

  let rows;
  try {
    rows = await searchPage(ctx.db, query, types, after, limit + 1);
  } catch (error) {
    badQuery(error);
  }
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const edges = await Promise.all(
    page.map(async (row): Promise<SearchResultEdge | null> => {
      const { type, id } = fromSearchRowId(row.id);
      const node = await ctx.loaders.byId<SearchResultEdge["node"]>(type).load(id);
      if (!node) return null;
      return { cursor: encodeCursor(SEARCH_ORDER, { ...row }), node, score: -row.score, snippet: row.snippet };
    }),
  );
  const found = edges.filter((e): e is SearchResultEdge => e !== null);
  const connection = new SearchResultConnection();
  connection.edges = found;
  connection.nodes = found.map((e) => e.node);
  connection.pageInfo = {
    hasNextPage: more,
    hasPreviousPage: after !== null,
    startCursor: found[0]?.cursor ?? null,
    endCursor: found[found.length - 1]?.cursor ?? null,
  };
  connection.count = async () => {
    try {
      return await searchCount(ctx.db, query, types);
    } catch (error) {
      return badQuery(error);
    }
  };
  return connection;
}
