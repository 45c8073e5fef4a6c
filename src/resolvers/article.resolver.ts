import { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root, Info } from "type-graphql";
import { Context } from "../context";
import { findArticleByUrl } from "../sql/lookups";
import { relationConnection, rootConnection } from "../reads/lists";
import { ArticleTable } from "../sql/tables";
import { Article, Mention, Position, Quote, Row } from "../entities";
import { ConnectionLike } from "../types/connection-type";
import { ListArgs, ArticleListArgs, PositionListArgs, QuoteListArgs, MentionListArgs } from "../inputs/list-args";
import { ArticleConnection, PositionConnection, QuoteConnection, MentionConnection } from "../types/entity-connections";
import { NodeFieldsResolver } from "./node-fields";

@Resolver(() => Article)
export class ArticleResolver extends NodeFieldsResolver(Article, "Article") {
  @Query(() => ArticleConnection.Connection, { description: "Every article in the knowledge base, newest first." })
  articles(@Args(() => ArticleListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Article> {
    return rootConnection(ctx, ArticleConnection, ArticleTable, args, info);
  }

  @Query(() => Article, { nullable: true, description: "Looks an article up by its URL; null when there is none." })
  article(
    @Arg("url", () => String, { description: "The article's canonical URL." }) url: string,
    @Ctx() ctx: Context,
  ): Promise<Article | null> {
    return findArticleByUrl(ctx.db, url);
  }

  @FieldResolver(() => QuoteConnection.Connection, { description: "The quotes this article reports, in the order they appear." })
  quotes(@Root() article: Row<Article>, @Args(() => QuoteListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Quote> {
    return relationConnection(ctx, QuoteConnection, "Article.quotes", article.id, args, info);
  }

  @FieldResolver(() => PositionConnection.Connection, { description: "The positions this article states, in the order they appear." })
  positions(@Root() article: Row<Article>, @Args(() => PositionListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Position> {
    return relationConnection(ctx, PositionConnection, "Article.positions", article.id, args, info);
  }

  @FieldResolver(() => MentionConnection.Connection, {
    description: "Every mention of a person, organization or country in the article, in text order.",
  })
  mentions(@Root() article: Row<Article>, @Args(() => MentionListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Mention> {
    return relationConnection(ctx, MentionConnection, "Article.mentions", article.id, args, info);
  }
}
