import { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root, Info } from "type-graphql";
import { Context } from "../context";
import { findOrganizationByName } from "../sql/lookups";
import { loadRef, relationConnection, rootConnection, MaybePromise } from "../reads/lists";
import { OrganizationTable } from "../sql/tables";
import { Country, Mention, Organization, Person, Position, Quote, Row } from "../entities";
import { ConnectionLike } from "../types/connection-type";
import { ListArgs, OrganizationListArgs, PersonListArgs, PositionListArgs, QuoteListArgs, MentionListArgs } from "../inputs/list-args";
import { OrganizationConnection, PersonConnection, PositionConnection, QuoteConnection, MentionConnection } from "../types/entity-connections";
import { NodeFieldsResolver } from "./node-fields";

@Resolver(() => Organization)
export class OrganizationResolver extends NodeFieldsResolver(Organization, "Organization") {
  @Query(() => OrganizationConnection.Connection, { description: "Every organization in the knowledge base, by name." })
  organizations(@Args(() => OrganizationListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Organization> {
    return rootConnection(ctx, OrganizationConnection, OrganizationTable, args, info);
  }

  @Query(() => Organization, {
    nullable: true,
    description:
      'Looks an organization up by full name or any alias ("NATO"), ignoring case, or else by a unique part of a name or alias (word-wise, ignoring case and accents: "Security Council") or an acronym of its name ("RIAC"); null when none or several match. A full name wins over an alias; when several organizations share the name or alias, the earliest recorded is returned. `lookup(name:, type: ORGANIZATION)` says which rule matched and lists the candidates.',
  })
  organization(
    @Arg("name", () => String, { description: "A full name, an alias, or a unique part of one." }) name: string,
    @Ctx() ctx: Context,
  ): Promise<Organization | null> {
    return findOrganizationByName(ctx.db, name);
  }

  @FieldResolver(() => Country, { nullable: true, description: "The country the organization is based in, if any." })
  country(@Root() organization: Row<Organization>, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): MaybePromise<Country | null> {
    return loadRef(ctx, "Country", organization.countryId, info);
  }

  @FieldResolver(() => Organization, {
    nullable: true,
    description: "The organization this one is part of, if any (a research center's institute).",
  })
  parent(@Root() organization: Row<Organization>, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): MaybePromise<Organization | null> {
    return loadRef(ctx, "Organization", organization.parentId, info);
  }

  @FieldResolver(() => OrganizationConnection.Connection, { description: "The organizations that are part of this one." })
  subOrganizations(@Root() organization: Row<Organization>, @Args(() => OrganizationListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Organization> {
    return relationConnection(ctx, OrganizationConnection, "Organization.subOrganizations", organization.id, args, info);
  }

  @FieldResolver(() => PersonConnection.Connection, { description: "The people who hold a position in this organization." })
  members(@Root() organization: Row<Organization>, @Args(() => PersonListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Person> {
    return relationConnection(ctx, PersonConnection, "Organization.members", organization.id, args, info);
  }

  @FieldResolver(() => PositionConnection.Connection, { description: "The positions held in this organization." })
  positions(@Root() organization: Row<Organization>, @Args(() => PositionListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Position> {
    return relationConnection(ctx, PositionConnection, "Organization.positions", organization.id, args, info);
  }

  @FieldResolver(() => QuoteConnection.Connection, {
    description: "Statements the articles attribute to the organization itself rather than to a person.",
  })
  quotes(@Root() organization: Row<Organization>, @Args(() => QuoteListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Quote> {
    return relationConnection(ctx, QuoteConnection, "Organization.quotes", organization.id, args, info);
  }

  @FieldResolver(() => MentionConnection.Connection, {
    description: "Where articles refer to this organization, by name or alias, in article order.",
  })
  mentions(@Root() organization: Row<Organization>, @Args(() => MentionListArgs) args: ListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Mention> {
    return relationConnection(ctx, MentionConnection, "Organization.mentions", organization.id, args, info);
  }
}
