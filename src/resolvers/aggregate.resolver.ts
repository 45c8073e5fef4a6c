import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { Context } from "../context";
import { groupCounts, MAX_GROUPS } from "../sql/aggregates";
import { loadById, MaybePromise } from "../reads/lists";
import { Article, Country, Organization, Person, Row } from "../entities";
import { OrganizationFilter, PersonFilter, PositionFilter, QuoteFilter } from "../inputs/entity-filters.input";
import {
  OrganizationCount,
  OrganizationGrouping,
  PersonCount,
  PersonGrouping,
  PositionCount,
  PositionGrouping,
  QuoteCount,
  QuoteGrouping,
} from "../types/aggregates";

const FIRST = { nullable: true, description: `The largest groups to return (1 to ${MAX_GROUPS}, default 100).` } as const;

/** Off by default, so the counts answer as they always have. */
const INCLUDE_EMPTY = {
  nullable: true,
  defaultValue: false,
  description:
    "Also return the groups no matching row falls in, with a count of 0: every country, person, organization or article the grouping refers to, or every value of a kind, after the groups with members (ties by ID or value). A free-text grouping (a position's TITLE) has no empty groups. Default false: only groups with members.",
} as const;

/** Grouped counts for research questions: quotes per speaker, people per country, and so on. */
@Resolver()
export class AggregateResolver {
  @Query(() => [QuoteCount], { description: "Counts quotes matching a filter, grouped; largest groups first." })
  async quoteCounts(
    @Arg("groupBy", () => QuoteGrouping, { description: "What to group by." }) groupBy: QuoteGrouping,
    @Arg("filter", () => QuoteFilter, { nullable: true, description: "Only count quotes matching this filter." }) filter: QuoteFilter | null,
    @Arg("first", () => Int, FIRST) first: number | null,
    @Arg("includeEmpty", () => Boolean, INCLUDE_EMPTY) includeEmpty: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<QuoteCount[]> {
    return (await groupCounts(ctx.db, "Quote", groupBy, filter, first, includeEmpty ?? false)).map((g) => Object.assign(new QuoteCount(), { count: g.count, [groupBy]: g.key }));
  }

  @Query(() => [PersonCount], { description: "Counts people matching a filter, grouped; largest groups first." })
  async personCounts(
    @Arg("groupBy", () => PersonGrouping, { description: "What to group by." }) groupBy: PersonGrouping,
    @Arg("filter", () => PersonFilter, { nullable: true, description: "Only count people matching this filter." }) filter: PersonFilter | null,
    @Arg("first", () => Int, FIRST) first: number | null,
    @Arg("includeEmpty", () => Boolean, INCLUDE_EMPTY) includeEmpty: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<PersonCount[]> {
    return (await groupCounts(ctx.db, "Person", groupBy, filter, first, includeEmpty ?? false)).map((g) => Object.assign(new PersonCount(), { count: g.count, [groupBy]: g.key }));
  }

  @Query(() => [PositionCount], { description: "Counts positions matching a filter, grouped; largest groups first." })
  async positionCounts(
    @Arg("groupBy", () => PositionGrouping, { description: "What to group by." }) groupBy: PositionGrouping,
    @Arg("filter", () => PositionFilter, { nullable: true, description: "Only count positions matching this filter." }) filter: PositionFilter | null,
    @Arg("first", () => Int, FIRST) first: number | null,
    @Arg("includeEmpty", () => Boolean, INCLUDE_EMPTY) includeEmpty: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<PositionCount[]> {
    return (await groupCounts(ctx.db, "Position", groupBy, filter, first, includeEmpty ?? false)).map((g) => Object.assign(new PositionCount(), { count: g.count, [groupBy]: g.key }));
  }

  @Query(() => [OrganizationCount], { description: "Counts organizations matching a filter, grouped; largest groups first." })
  async organizationCounts(
    @Arg("groupBy", () => OrganizationGrouping, { description: "What to group by." }) groupBy: OrganizationGrouping,
    @Arg("filter", () => OrganizationFilter, { nullable: true, description: "Only count organizations matching this filter." }) filter: OrganizationFilter | null,
    @Arg("first", () => Int, FIRST) first: number | null,
    @Arg("includeEmpty", () => Boolean, INCLUDE_EMPTY) includeEmpty: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<OrganizationCount[]> {
    return (await groupCounts(ctx.db, "Organization", groupBy, filter, first, includeEmpty ?? false)).map((g) => Object.assign(new OrganizationCount(), { count: g.count, [groupBy]: g.key }));
  }
}

@Resolver(() => QuoteCount)
export class QuoteCountResolver {
  @FieldResolver(() => Person, { nullable: true, description: "The speaker, when grouping by SPEAKER (null: no person)." })
  speaker(@Root() group: Row<QuoteCount>, @Ctx() ctx: Context): MaybePromise<Person | null> {
    return loadById(ctx, "Person", group.speakerId);
  }

  @FieldResolver(() => Country, { nullable: true, description: "The country, when grouping by SPEAKER_COUNTRY." })
  speakerCountry(@Root() group: Row<QuoteCount>, @Ctx() ctx: Context): MaybePromise<Country | null> {
    return loadById(ctx, "Country", group.speakerCountryId);
  }

  @FieldResolver(() => Organization, { nullable: true, description: "The organization, when grouping by SPEAKER_ORGANIZATION." })
  speakerOrganization(@Root() group: Row<QuoteCount>, @Ctx() ctx: Context): MaybePromise<Organization | null> {
    return loadById(ctx, "Organization", group.speakerOrganizationId);
  }

  @FieldResolver(() => Article, { nullable: true, description: "The article, when grouping by ARTICLE." })
  article(@Root() group: Row<QuoteCount>, @Ctx() ctx: Context): MaybePromise<Article | null> {
    return loadById(ctx, "Article", group.articleId);
  }
}

@Resolver(() => PersonCount)
export class PersonCountResolver {
  @FieldResolver(() => Country, { nullable: true, description: "The country, when grouping by COUNTRY (null: no country)." })
  country(@Root() group: Row<PersonCount>, @Ctx() ctx: Context): MaybePromise<Country | null> {
    return loadById(ctx, "Country", group.countryId);
  }
}

@Resolver(() => PositionCount)
export class PositionCountResolver {
  @FieldResolver(() => Organization, { nullable: true, description: "The organization, when grouping by ORGANIZATION." })
  organization(@Root() group: Row<PositionCount>, @Ctx() ctx: Context): MaybePromise<Organization | null> {
    return loadById(ctx, "Organization", group.organizationId);
  }

  @FieldResolver(() => Country, { nullable: true, description: "The country, when grouping by COUNTRY." })
  country(@Root() group: Row<PositionCount>, @Ctx() ctx: Context): MaybePromise<Country | null> {
    return loadById(ctx, "Country", group.countryId);
  }

  @FieldResolver(() => Person, { nullable: true, description: "The holder, when grouping by PERSON." })
  person(@Root() group: Row<PositionCount>, @Ctx() ctx: Context): MaybePromise<Person | null> {
    return loadById(ctx, "Person", group.personId);
  }
}

@Resolver(() => OrganizationCount)
export class OrganizationCountResolver {
  @FieldResolver(() => Country, { nullable: true, description: "The country, when grouping by COUNTRY." })
  country(@Root() group: Row<OrganizationCount>, @Ctx() ctx: Context): MaybePromise<Country | null> {
    return loadById(ctx, "Country", group.countryId);
  }

  @FieldResolver(() => Organization, { nullable: true, description: "The parent organization, when grouping by PARENT." })
  parent(@Root() group: Row<OrganizationCount>, @Ctx() ctx: Context): MaybePromise<Organization | null> {
    return loadById(ctx, "Organization", group.parentId);
  }
}
