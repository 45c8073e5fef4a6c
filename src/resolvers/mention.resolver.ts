import { GraphQLResolveInfo } from "graphql";
import { Args, Ctx, FieldResolver, Query, Resolver, Root, Info } from "type-graphql";
import { Context } from "../context";
import { loadById, loadRef, rootConnection, MaybePromise } from "../reads/lists";
import { MentionTable } from "../sql/tables";
import { Article, Country, Mention, Organization, Person, Position, Quote, Row } from "../entities";
import { ConnectionLike } from "../types/connection-type";
import { ListArgs, MentionListArgs } from "../inputs/list-args";
import { MentionConnection } from "../types/entity-connections";
import { Evidence, evidenceOf } from "../types/evidence";
import { NodeFieldsResolver } from "./node-fields";

@Resolver(() => Mention)
export class MentionResolver extends NodeFieldsResolver(Mention, "Mention") {
  @Query(() => MentionConnection.Connection, {
    description:
      "Every mention of a person, organization or country in the knowledge base's articles, in article order. Mentions are derived from the articles and the names and aliases the knowledge base holds, and kept up to date when articles are added.",
  })
  mentions(@Args(() => MentionListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Mention> {
    return rootConnection(ctx, MentionConnection, MentionTable, args, info);
  }

  @FieldResolver(() => String, { description: "The words of the article that make the mention: `evidence.text`." })
  async text(@Root() mention: Row<Mention>, @Ctx() ctx: Context): Promise<string> {
    const article = await loadById<Article>(ctx, "Article", mention.articleId);
    return (article as Article).body.slice(mention.startOffset, mention.endOffset);
  }

  @FieldResolver(() => Evidence, { description: "Where in the article the mention stands." })
  evidence(@Root() mention: Row<Mention>): Evidence {
    return evidenceOf(mention);
  }

  @FieldResolver(() => Person, { nullable: true, description: "The person mentioned; null when the mention is of an organization or a country." })
  person(@Root() mention: Row<Mention>, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): MaybePromise<Person | null> {
    return loadRef(ctx, "Person", mention.personId, info);
  }

  @FieldResolver(() => Organization, { nullable: true, description: "The organization mentioned; null when the mention is of a person or a country." })
  organization(@Root() mention: Row<Mention>, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): MaybePromise<Organization | null> {
    return loadRef(ctx, "Organization", mention.organizationId, info);
  }

  @FieldResolver(() => Country, { nullable: true, description: "The country mentioned; null when the mention is of a person or an organization." })
  country(@Root() mention: Row<Mention>, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): MaybePromise<Country | null> {
    return loadRef(ctx, "Country", mention.countryId, info);
  }

  @FieldResolver(() => Quote, {
    nullable: true,
    description: "The quote the mention stands in (the narrowest, when quotes overlap); null outside every quote.",
  })
  quote(@Root() mention: Row<Mention>, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): MaybePromise<Quote | null> {
    return loadRef(ctx, "Quote", mention.quoteId, info);
  }

  @FieldResolver(() => Position, {
    nullable: true,
    description: "The position whose evidence holds the mention (the narrowest, when several do); null outside every position's evidence.",
  })
  position(@Root() mention: Row<Mention>, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): MaybePromise<Position | null> {
    return loadRef(ctx, "Position", mention.positionId, info);
  }

  @FieldResolver(() => Article, { description: "The article the mention stands in (the same as `evidence.article`)." })
  article(@Root() mention: Row<Mention>, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): MaybePromise<Article> {
    return loadRef<Article>(ctx, "Article", mention.articleId, info) as MaybePromise<Article>;
  }
}
