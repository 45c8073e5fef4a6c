import { GraphQLResolveInfo } from "graphql";
import { Args, Ctx, FieldResolver, Query, Resolver, Root, Info } from "type-graphql";
import { Context } from "../context";
import { loadRef, rootConnection, MaybePromise, relationConnection } from "../reads/lists";
import { PositionTable } from "../sql/tables";
import { Article, Country, Mention, Organization, Person, Position, Row } from "../entities";
import { ConnectionLike } from "../types/connection-type";
import { ListArgs, PositionListArgs, MentionListArgs } from "../inputs/list-args";
import { PositionConnection, MentionConnection } from "../types/entity-connections";
import { Evidence, evidenceOf } from "../types/evidence";
import { NodeFieldsResolver } from "./node-fields";

@Resolver(() => Position)
export class PositionResolver extends NodeFieldsResolver(Position, "Position") {
  @Query(() => PositionConnection.Connection, {
    description: "Every position in the knowledge base, in the order the articles state them.",
  })
  positions(@Args(() => PositionListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Position> {
    return rootConnection(ctx, PositionConnection, PositionTable, args, info);
  }

  @FieldResolver(() => Person, { description: "The person who holds or held the office." })
  person(@Root() position: Row<Position>, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): MaybePromise<Person> {
    return loadRef<Person>(ctx, "Person", position.personId, info) as MaybePromise<Person>;
  }

  @FieldResolver(() => Organization, { nullable: true, description: "The organization the office belongs to, if any." })
  organization(@Root() position: Row<Position>, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): MaybePromise<Organization | null> {
    return loadRef(ctx, "Organization", position.organizationId, info);
  }

  @FieldResolver(() => Country, { nullable: true, description: "The country the office belongs to, if any." })
  country(@Root() position: Row<Position>, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): MaybePromise<Country | null> {
    return loadRef(ctx, "Country", position.countryId, info);
  }

  @FieldResolver(() => Article, { description: "The article that states this position (the same as `evidence.article`)." })
  article(@Root() position: Row<Position>, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): MaybePromise<Article> {
    return loadRef<Article>(ctx, "Article", position.articleId, info) as MaybePromise<Article>;
  }

  @FieldResolver(() => Evidence, { description: "The words of the article that state this position." })
  evidence(@Root() position: Row<Position>): Evidence {
    return evidenceOf(position);
  }

  @FieldResolver(() => MentionConnection.Connection, {
    description: "The people, organizations and countries mentioned in the position's evidence, in text order (each mention belongs to the narrowest position whose evidence holds it).",
  })
  mentions(@Root() position: Row<Position>, @Args(() => MentionListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Mention> {
    return relationConnection(ctx, MentionConnection, "Position.mentions", position.id, args, info);
  }
}
