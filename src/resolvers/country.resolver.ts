import { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root, Info } from "type-graphql";
import { Context } from "../context";
import { findCountryByCode } from "../sql/lookups";
import { relationConnection, rootConnection } from "../reads/lists";
import { CountryTable } from "../sql/tables";
import { Country, Mention, Organization, Person, Position, Quote, Row } from "../entities";
import { ConnectionLike } from "../types/connection-type";
import { ListArgs, CountryListArgs, OrganizationListArgs, PersonListArgs, PositionListArgs, QuoteListArgs, MentionListArgs } from "../inputs/list-args";
import { CountryConnection, OrganizationConnection, PersonConnection, PositionConnection, QuoteConnection, MentionConnection } from "../types/entity-connections";
import { NodeFieldsResolver } from "./node-fields";

@Resolver(() => Country)
export class CountryResolver extends NodeFieldsResolver(Country, "Country") {
  @Query(() => CountryConnection.Connection, { description: "Every country in the knowledge base, by name." })
  countries(@Args(() => CountryListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Country> {
    return rootConnection(ctx, CountryConnection, CountryTable, args, info);
  }

  @Query(() => Country, {
    nullable: true,
    description: 'Looks a country up by its ISO 3166-1 alpha-2 or alpha-3 code ("RU" or "RUS"), in any case.',
  })
  country(
    @Arg("code", () => String, { description: "An ISO 3166-1 alpha-2 or alpha-3 code." }) code: string,
    @Ctx() ctx: Context,
  ): Promise<Country | null> {
    return findCountryByCode(ctx.db, code);
  }

  @FieldResolver(() => PersonConnection.Connection, { description: "The people who belong to this country." })
  people(@Root() country: Row<Country>, @Args(() => PersonListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Person> {
    return relationConnection(ctx, PersonConnection, "Country.people", country.id, args, info);
  }

  @FieldResolver(() => OrganizationConnection.Connection, { description: "The organizations based in this country." })
  organizations(@Root() country: Row<Country>, @Args(() => OrganizationListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Organization> {
    return relationConnection(ctx, OrganizationConnection, "Country.organizations", country.id, args, info);
  }

  @FieldResolver(() => PositionConnection.Connection, {
    description: "The offices of this country (its president, its foreign minister…).",
  })
  positions(@Root() country: Row<Country>, @Args(() => PositionListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Position> {
    return relationConnection(ctx, PositionConnection, "Country.positions", country.id, args, info);
  }

  @FieldResolver(() => QuoteConnection.Connection, {
    description: 'Statements the articles attribute to the country itself ("Russia vowed to use …").',
  })
  quotes(@Root() country: Row<Country>, @Args(() => QuoteListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Quote> {
    return relationConnection(ctx, QuoteConnection, "Country.quotes", country.id, args, info);
  }

  @FieldResolver(() => MentionConnection.Connection, {
    description: "Where articles refer to this country, by name, spelling, code or demonym, in article order.",
  })
  mentions(@Root() country: Row<Country>, @Args(() => MentionListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Mention> {
    return relationConnection(ctx, MentionConnection, "Country.mentions", country.id, args, info);
  }
}
