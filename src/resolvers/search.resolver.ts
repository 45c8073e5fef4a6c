import { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Info, Int, Query, Resolver } from "type-graphql";
import { Context } from "../context";
import { search } from "../reads/search";
import { SearchResultConnection, SearchType } from "../types/search";

@Resolver()
export class SearchResolver {
  @Query(() => SearchResultConnection, {
    description:
      'Full-text search over quote text, people and organizations (names, aliases, descriptions) and articles (titles and full text), most relevant first (BM25). A hit in an article\'s body comes with a snippet of the body around it. Supports phrases ("no military solution"), prefixes (negotiat*) and AND, OR, NOT.',
  })
  search(
    @Arg("query", () => String, { description: 'The search text in FTS5 syntax: words, "phrases", prefix*, AND, OR, NOT, parentheses, and title: or body: before a term.' })
    query: string,
    @Arg("types", () => [SearchType], { nullable: true, description: "Only these kinds of object; all kinds when omitted or empty." })
    types: SearchType[] | null,
    @Arg("first", () => Int, {
      nullable: true,
      description: "Returns the first n hits (1 to 100). Defaults to 20 when neither `first` nor `last` is given.",
    })
    first: number | null,
    @Arg("after", () => String, { nullable: true, description: "Returns the hits after this cursor." })
    after: string | null,
    @Arg("last", () => Int, { nullable: true, description: "Returns the last n hits (1 to 100): the least relevant, or those just before `before`." })
    last: number | null,
    @Arg("before", () => String, { nullable: true, description: "Returns the hits before this cursor." })
    before: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SearchResultConnection> {
    return search(ctx, { query, types, first, after, last, before }, info);
  }
}
