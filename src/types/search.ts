import { createUnionType, Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { encodeCursor } from "../sql/pagination";
import { SortKey } from "../sql/tables";
import { Article, nodeTypeName, Organization, Person, Quote } from "../entities";
import { PageInfo } from "./connection-type";

/** The kinds of object full-text search covers. */
export enum SearchType {
  ARTICLE = "Article",
  ORGANIZATION = "Organization",
  PERSON = "Person",
  QUOTE = "Quote",
}

registerEnumType(SearchType, {
  name: "SearchType",
  description: "A kind of object full-text search covers.",
  valuesConfig: {
    ARTICLE: { description: "Articles, by title and full text (the body)." },
    ORGANIZATION: { description: "Organizations, by name, aliases and description." },
    PERSON: { description: "People, by name, aliases and description." },
    QUOTE: { description: "Quotes, by text." },
  },
});

/** Anything a search can return. */
export const SearchResultItem = createUnionType({
  name: "SearchResultItem",
  description: "An object found by full-text search.",
  types: () => [Article, Organization, Person, Quote] as const,
  resolveType: nodeTypeName,
});

/** Hits are ranked by bm25 (lower is better), ties by index rowid: the keyset of search cursors. */
export const SEARCH_ORDER: SortKey[] = [
  { column: "score", direction: "ASC" },
  { column: "id", direction: "ASC", list: "Search" },
];

/** Where a hit stands in the ranking: its bm25 score (lower is better) and its index rowid. */
export interface SearchKey {
  score: number;
  id: number;
}

/** One hit with its rank and the marked text that matched, GitHub-style (extras on the edge). */
@ObjectType("SearchResultEdge", { description: "One search hit: the object, its relevance and the text that matched." })
export class SearchResultEdge {
  constructor(
    node: Article | Organization | Person | Quote,
    /** The hit's place in the ranking, kept so that its cursor is made only if asked for. */
    private readonly key: SearchKey,
    snippet: string,
  ) {
    this.node = node;
    this.snippet = snippet;
  }

  @Field(() => String, { description: "An opaque cursor for this hit, for `after` and `before`." })
  get cursor(): string {
    return encodeCursor(SEARCH_ORDER, { score: this.key.score, id: this.key.id });
  }

  @Field(() => SearchResultItem, { description: "The object found." })
  node: Article | Organization | Person | Quote;

  @Field(() => Float, { description: "Relevance by BM25: higher is better; comparable only within one search." })
  get score(): number {
    return -this.key.score;
  }

  @Field(() => String, {
    description:
      "A short extract of the best-matching text as HTML: the text escaped (`&lt;` for `<` and so on), each matched term wrapped in <mark>…</mark>.",
  })
  snippet: string;
}

/** A page of search hits, best first. */
@ObjectType("SearchResultConnection", { description: "A page of search hits, most relevant first." })
export class SearchResultConnection {
  @Field(() => [SearchResultEdge], { description: "The hits of this page, with cursors, scores and snippets." })
  edges!: SearchResultEdge[];

  @Field(() => [SearchResultItem], { description: "The objects of this page, without scores." })
  nodes!: Array<Article | Organization | Person | Quote>;

  @Field(() => PageInfo, { description: "Information for fetching the next page." })
  pageInfo!: PageInfo;

  /** Counts lazily: only a query that asks for `totalCount` pays for it. */
  count!: () => Promise<number>;

  @Field(() => Int, { description: "How many objects match the search in all." })
  totalCount(): Promise<number> {
    return this.count();
  }
}
