import { GraphQLResolveInfo } from "graphql";
import { Args, Ctx, FieldResolver, Query, Resolver, Root, Info } from "type-graphql";
import { Context } from "../context";
import { loadRef, rootConnection, MaybePromise, relationConnection } from "../reads/lists";
import { QuoteTable } from "../sql/tables";
import { Article, Country, Mention, Organization, Person, Quote, Row } from "../entities";
import { ConnectionLike } from "../types/connection-type";
import { ListArgs, QuoteListArgs, MentionListArgs } from "../inputs/list-args";
import { QuoteConnection, MentionConnection } from "../types/entity-connections";
import { Evidence, evidenceOf } from "../types/evidence";
import { NodeFieldsResolver } from "./node-fields";

@Resolver(() => Quote)
export class QuoteResolver extends NodeFieldsResolver(Quote, "Quote") {
  @Query(() => QuoteConnection.Connection, { description: "Every quote in the knowledge base, in article order." })
  quotes(@Args(() => QuoteListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Quote> {
    return rootConnection(ctx, QuoteConnection, QuoteTable, args, info);
  }

  @FieldResolver(() => Person, {
    nullable: true,
    description: "The person who said it; null when the article attributes it to a country, an organization or nobody.",
  })
  speaker(@Root() quote: Row<Quote>, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): MaybePromise<Person | null> {
    return loadRef(ctx, "Person", quote.speakerId, info);
  }

  @FieldResolver(() => Country, {
    nullable: true,
    description: 'The country the article attributes the statement to, when it names a state rather than a person ("Russia vowed …").',
  })
  speakerCountry(@Root() quote: Row<Quote>, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): MaybePromise<Country | null> {
    return loadRef(ctx, "Country", quote.speakerCountryId, info);
  }

  @FieldResolver(() => Organization, {
    nullable: true,
    description: 'The organization the article attributes the statement to, when it names one rather than a person ("the Kremlin says …").',
  })
  speakerOrganization(@Root() quote: Row<Quote>, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): MaybePromise<Organization | null> {
    return loadRef(ctx, "Organization", quote.speakerOrganizationId, info);
  }

  @FieldResolver(() => Article, { description: "The article that reports the quote (the same as `evidence.article`)." })
  article(@Root() quote: Row<Quote>, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): MaybePromise<Article> {
    return loadRef<Article>(ctx, "Article", quote.articleId, info) as MaybePromise<Article>;
  }

  @FieldResolver(() => Evidence, { description: "Where in the article the quote stands." })
  evidence(@Root() quote: Row<Quote>): Evidence {
    return evidenceOf(quote);
  }

  @FieldResolver(() => MentionConnection.Connection, {
    description: "The people, organizations and countries the quote mentions, in text order (mentions within the quote's own words).",
  })
  mentions(@Root() quote: Row<Quote>, @Args(() => MentionListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Mention> {
    return relationConnection(ctx, MentionConnection, "Quote.mentions", quote.id, args, info);
  }
}
