import { Context } from "../context";
import { fromSearchRowId, SearchableType, searchCount, searchPage, SearchSyntaxError } from "../storage/search-index";
import { BadUserInputError } from "../errors";
import { SEARCH_ORDER, SearchResultConnection, SearchResultEdge, SearchType } from "../types/search";
import { pageRequest } from "../sql/pagination";
import { SelectionInfo } from "../loaders/planner";

/** The longest search text accepted. */
export const MAX_SEARCH_LENGTH = 500;

export interface SearchArgs {
  query: string;
  types?: SearchType[] | null;
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

const SYNTAX_HELP = `Quote phrases with "…", end a prefix with *, join terms with AND, OR, NOT (binary: \`Haftar NOT forces\`), group with parentheses.`;

/**
 * Says what is wrong with a query FTS5 refused, in the API's words: SQLite's own messages name
 * the index's internal columns ("no such column: forces" for `-forces`), which mean nothing to
 * a client.
 */
function syntaxProblem(message: string): string {
  const column = /^no such column: (.*)$/.exec(message);
  if (column) {
    return `"${column[1]}" followed by ":" or preceded by "-" names a column to search in, and there is none by that name (there are title: and body:). To leave a word out, write \`a NOT b\`; to search for a word with "-" or ":", quote it`;
  }
  const near = /^fts5: syntax error near "(.*)"$/.exec(message);
  if (near) return near[1] === "" ? "The query ends too early" : `Unexpected "${near[1]}"`;
  if (message === "unterminated string") return "A quoted phrase is not closed";
  if (message.startsWith("unknown special query")) return "A query cannot start with *";
  return "FTS5 could not read it";
}

function badQuery(error: unknown): never {
  if (error instanceof SearchSyntaxError) {
    throw new BadUserInputError(`The search query is not valid: ${syntaxProblem(error.message)}. ${SYNTAX_HELP}`, "query");
  }
  throw error;
}

/**
 * Runs a full-text search: the ranking in parts in the reader processes, one statement for the
 * page's snippets, one per type for the objects (with only the columns the selection reads, and
 * what it selects below them fetched ahead), and the count, in parts like the ranking, only if
 * `totalCount` is asked for. `info`, the resolver's, is what the columns are planned from.
 */
export async function search(ctx: Context, args: SearchArgs, info: SelectionInfo | null = null): Promise<SearchResultConnection> {
  const query = args.query.trim();
  if (query.length === 0) throw new BadUserInputError("The search query is empty", "query");
  if (query.length > MAX_SEARCH_LENGTH) {
    throw new BadUserInputError(`The search query is longer than ${MAX_SEARCH_LENGTH} characters`, "query");
  }
  const request = pageRequest({ first: args.first, after: args.after, last: args.last, before: args.before }, SEARCH_ORDER);
  const searchKey = (key: unknown[] | null, argument: string): [number, number] | null => {
    if (key && !key.every((value) => typeof value === "number")) {
      throw new BadUserInputError(`\`${argument}\` is not a valid cursor for this list`, argument);
    }
    return key ? (key as [number, number]) : null;
  };
  const { limit, backward } = request;
  const after = searchKey(request.after, "after");
  const before = searchKey(request.before, "before");
  const types: SearchableType[] = args.types && args.types.length > 0 ? [...new Set(args.types)] : Object.values(SearchType);

  let rows;
  try {
    rows = await searchPage(ctx.db, query, types, { after, before, backward }, limit + 1);
  } catch (error) {
    badQuery(error);
  }
  // As for every list: the row past the page tells whether there are more, and a backward page,
  // fetched worst first, is turned round.
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : [...rows];
  if (backward) page.reverse();
  const idsByType = new Map<SearchableType, number[]>();
  const hits = page.map((row) => {
    const hit = fromSearchRowId(row.id);
    const ids = idsByType.get(hit.type);
    if (ids) ids.push(hit.id);
    else idsByType.set(hit.type, [hit.id]);
    return hit;
  });
  const nodes = new Map<SearchableType, Map<number, SearchResultEdge["node"]>>();
  for (const [type, ids] of idsByType) nodes.set(type, await ctx.loaders.nodesByIds(type, ids, info));
  const edges = page.map((row, i): SearchResultEdge | null => {
    const node = nodes.get(hits[i].type)?.get(hits[i].id);
    return node ? new SearchResultEdge(node, { score: row.score, id: row.id }, row.snippet) : null;
  });
  const found = edges.filter((e): e is SearchResultEdge => e !== null);
  const connection = new SearchResultConnection();
  connection.edges = found;
  connection.nodes = found.map((e) => e.node);
  connection.pageInfo = {
    hasNextPage: backward ? before !== null : more || before !== null,
    hasPreviousPage: backward ? more || after !== null : after !== null,
    startCursor: found.length > 0 ? found[0].cursor : null,
    endCursor: found.length > 0 ? found[found.length - 1].cursor : null,
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
