import { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root, Info } from "type-graphql";
import { Context } from "../context";
import { findPersonByName } from "../sql/lookups";
import { loadRef, relationConnection, rootConnection, MaybePromise } from "../reads/lists";
import { PersonTable } from "../sql/tables";
import { Country, Mention, Organization, Person, Position, Quote, Row } from "../entities";
import { ConnectionLike } from "../types/connection-type";
import { ListArgs, OrganizationListArgs, PersonListArgs, PositionListArgs, QuoteListArgs, MentionListArgs } from "../inputs/list-args";
import { OrganizationConnection, PersonConnection, PositionConnection, QuoteConnection, MentionConnection } from "../types/entity-connections";
import { NodeFieldsResolver } from "./node-fields";

@Resolver(() => Person)
export class PersonResolver extends NodeFieldsResolver(Person, "Person") {
  @Query(() => PersonConnection.Connection, { description: "Every person in the knowledge base, by name." })
  people(@Args(() => PersonListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Person> {
    return rootConnection(ctx, PersonConnection, PersonTable, args, info);
  }

  @Query(() => Person, {
    nullable: true,
    description:
      'Looks a person up by full name or any alias ("Haftar"), ignoring case, or else by a unique part of a name or alias, word-wise and ignoring case and accents (a surname: "Lavrov"); null when nobody or several people match. A full name wins over an alias; when several people share the name or alias, the earliest recorded is returned. `lookup(name:, type: PERSON)` says which rule matched and lists the candidates.',
  })
  person(
    @Arg("name", () => String, { description: "A full name, an alias, or a unique part of one." }) name: string,
    @Ctx() ctx: Context,
  ): Promise<Person | null> {
    return findPersonByName(ctx.db, name);
  }

  @FieldResolver(() => Country, { nullable: true, description: "The country the person belongs to, if known." })
  country(@Root() person: Row<Person>, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): MaybePromise<Country | null> {
    return loadRef(ctx, "Country", person.countryId, info);
  }

  @FieldResolver(() => PositionConnection.Connection, { description: "The offices this person holds or held." })
  positions(@Root() person: Row<Person>, @Args(() => PositionListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Position> {
    return relationConnection(ctx, PositionConnection, "Person.positions", person.id, args, info);
  }

  @FieldResolver(() => QuoteConnection.Connection, { description: "What this person said, in article order." })
  quotes(@Root() person: Row<Person>, @Args(() => QuoteListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Quote> {
    return relationConnection(ctx, QuoteConnection, "Person.quotes", person.id, args, info);
  }

  @FieldResolver(() => OrganizationConnection.Connection, {
    description: "The organizations this person holds a position in.",
  })
  organizations(@Root() person: Row<Person>, @Args(() => OrganizationListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Organization> {
    return relationConnection(ctx, OrganizationConnection, "Person.organizations", person.id, args, info);
  }

  @FieldResolver(() => MentionConnection.Connection, {
    description: "Where articles refer to this person: by name, alias or surname, including quotes they did not speak, in article order.",
  })
  mentions(@Root() person: Row<Person>, @Args(() => MentionListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Mention> {
    return relationConnection(ctx, MentionConnection, "Person.mentions", person.id, args, info);
  }
}
