import { Field, InputType } from "type-graphql";
import { GraphQLLocalDate } from "graphql-scalars";
import { MentionKind, OrganizationKind, QuoteKind } from "../entities/enums";
import { DateFilter, DateTimeFilter, IDFilter, IntFilter, PartialDateFilter, StringFilter } from "./scalar-filters.input";

// Generated shape, kept by hand: one filter input per entity, plus list filters for to-many
// relations. Optional properties are typed `X | null` on purpose: a union makes
// emitDecoratorMetadata record `Object` instead of the class, so these mutually recursive
// classes can refer to each other before they are defined.

/** Conditions on a quote's kind. */
@InputType("QuoteKindFilter", { description: "Conditions on a quote's kind." })
export class QuoteKindFilter {
  @Field(() => QuoteKind, { nullable: true, description: "This kind." })
  eq?: QuoteKind | null;

  @Field(() => [QuoteKind], { nullable: true, description: "One of these kinds." })
  in?: QuoteKind[] | null;
}

/** Conditions on a mention's kind. */
@InputType("MentionKindFilter", { description: "Conditions on how a mention was recognized." })
export class MentionKindFilter {
  @Field(() => MentionKind, { nullable: true, description: "This kind." })
  eq?: MentionKind | null;

  @Field(() => [MentionKind], { nullable: true, description: "One of these kinds." })
  in?: MentionKind[] | null;
}

/** Conditions on an organization's kind. */
@InputType("OrganizationKindFilter", { description: "Conditions on an organization's kind." })
export class OrganizationKindFilter {
  @Field(() => OrganizationKind, { nullable: true, description: "This kind." })
  eq?: OrganizationKind | null;

  @Field(() => [OrganizationKind], { nullable: true, description: "One of these kinds." })
  in?: OrganizationKind[] | null;
}


/** Conditions on articles; all given conditions must hold. */
@InputType("ArticleFilter", {
  description: "Conditions on articles. All conditions given must hold; combine with `and`, `or` and `not`.",
})
export class ArticleFilter {
  @Field(() => IDFilter, { nullable: true, description: "The article itself." })
  id?: IDFilter | null;

  @Field(() => StringFilter, { nullable: true, description: "The URL." })
  url?: StringFilter | null;

  @Field(() => StringFilter, { nullable: true, description: "The headline." })
  title?: StringFilter | null;

  @Field(() => StringFilter, { nullable: true, description: "The publisher." })
  publisher?: StringFilter | null;

  @Field(() => StringFilter, { nullable: true, description: "The byline." })
  byline?: StringFilter | null;

  @Field(() => DateFilter, { nullable: true, description: "The publication date." })
  publishedAt?: DateFilter | null;

  @Field(() => StringFilter, { nullable: true, description: "The language tag." })
  language?: StringFilter | null;

  @Field(() => DateTimeFilter, { nullable: true, description: "When the record was created." })
  createdAt?: DateTimeFilter | null;

  @Field(() => DateTimeFilter, { nullable: true, description: "When the record was last changed." })
  updatedAt?: DateTimeFilter | null;

  @Field(() => QuoteListFilter, { nullable: true, description: "The quotes the article reports." })
  quotes?: QuoteListFilter | null;

  @Field(() => PositionListFilter, { nullable: true, description: "The positions the article states." })
  positions?: PositionListFilter | null;

  @Field(() => MentionListFilter, { nullable: true, description: "The mentions of people, organizations and countries in the article." })
  mentions?: MentionListFilter | null;

  @Field(() => [ArticleFilter], { nullable: true, description: "Every one of these filters holds." })
  and?: ArticleFilter[] | null;

  @Field(() => [ArticleFilter], { nullable: true, description: "At least one of these filters holds." })
  or?: ArticleFilter[] | null;

  @Field(() => ArticleFilter, { nullable: true, description: "This filter does not hold." })
  not?: ArticleFilter | null;
}


/** Conditions on countries; all given conditions must hold. */
@InputType("CountryFilter", {
  description: "Conditions on countries. All conditions given must hold; combine with `and`, `or` and `not`.",
})
export class CountryFilter {
  @Field(() => IDFilter, { nullable: true, description: "The country itself." })
  id?: IDFilter | null;

  @Field(() => StringFilter, { nullable: true, description: "The name." })
  name?: StringFilter | null;

  @Field(() => StringFilter, { nullable: true, description: "The ISO 3166-1 alpha-2 code." })
  alpha2?: StringFilter | null;

  @Field(() => StringFilter, { nullable: true, description: "The ISO 3166-1 alpha-3 code." })
  alpha3?: StringFilter | null;

  @Field(() => StringFilter, { nullable: true, description: "The Wikidata item ID." })
  wikidataId?: StringFilter | null;

  @Field(() => DateTimeFilter, { nullable: true, description: "When the record was created." })
  createdAt?: DateTimeFilter | null;

  @Field(() => DateTimeFilter, { nullable: true, description: "When the record was last changed." })
  updatedAt?: DateTimeFilter | null;

  @Field(() => PersonListFilter, { nullable: true, description: "The people of the country." })
  people?: PersonListFilter | null;

  @Field(() => OrganizationListFilter, { nullable: true, description: "The organizations based in the country." })
  organizations?: OrganizationListFilter | null;

  @Field(() => PositionListFilter, { nullable: true, description: "The offices of the country." })
  positions?: PositionListFilter | null;

  @Field(() => QuoteListFilter, { nullable: true, description: "Statements attributed to the country itself." })
  quotes?: QuoteListFilter | null;

  @Field(() => MentionListFilter, { nullable: true, description: "The places in articles that refer to the country." })
  mentions?: MentionListFilter | null;

  @Field(() => [CountryFilter], { nullable: true, description: "Every one of these filters holds." })
  and?: CountryFilter[] | null;

  @Field(() => [CountryFilter], { nullable: true, description: "At least one of these filters holds." })
  or?: CountryFilter[] | null;

  @Field(() => CountryFilter, { nullable: true, description: "This filter does not hold." })
  not?: CountryFilter | null;
}

/** Conditions on a to-many list of countries. */
@InputType("CountryListFilter", { description: "Conditions on a list of countries." })
export class CountryListFilter {
  @Field(() => CountryFilter, { nullable: true, description: "At least one item matches." })
  some?: CountryFilter | null;

  @Field(() => CountryFilter, { nullable: true, description: "Every item matches (true for an empty list)." })
  every?: CountryFilter | null;

  @Field(() => CountryFilter, { nullable: true, description: "No item matches." })
  none?: CountryFilter | null;
}


/** Conditions on organizations; all given conditions must hold. */
@InputType("OrganizationFilter", {
  description: "Conditions on organizations. All conditions given must hold; combine with `and`, `or` and `not`.",
})
export class OrganizationFilter {
  @Field(() => IDFilter, { nullable: true, description: "The organization itself." })
  id?: IDFilter | null;

  @Field(() => StringFilter, { nullable: true, description: "The full name." })
  name?: StringFilter | null;

  @Field(() => StringFilter, { nullable: true, description: "Any one of the aliases matches; `isNull: true` matches those with no alias at all." })
  aliases?: StringFilter | null;

  @Field(() => OrganizationKindFilter, { nullable: true, description: "The kind." })
  kind?: OrganizationKindFilter | null;

  @Field(() => StringFilter, { nullable: true, description: "The description." })
  description?: StringFilter | null;

  @Field(() => StringFilter, { nullable: true, description: "The Wikidata item ID." })
  wikidataId?: StringFilter | null;

  @Field(() => DateTimeFilter, { nullable: true, description: "When the record was created." })
  createdAt?: DateTimeFilter | null;

  @Field(() => DateTimeFilter, { nullable: true, description: "When the record was last changed." })
  updatedAt?: DateTimeFilter | null;

  @Field(() => CountryFilter, { nullable: true, description: "The country the organization is based in (organizations without one never match)." })
  country?: CountryFilter | null;

  @Field(() => OrganizationFilter, { nullable: true, description: "The organization it is part of (organizations without one never match)." })
  parent?: OrganizationFilter | null;

  @Field(() => OrganizationListFilter, { nullable: true, description: "The organizations that are part of it." })
  subOrganizations?: OrganizationListFilter | null;

  @Field(() => PersonListFilter, { nullable: true, description: "The people holding a position in it." })
  members?: PersonListFilter | null;

  @Field(() => PositionListFilter, { nullable: true, description: "The positions held in it." })
  positions?: PositionListFilter | null;

  @Field(() => QuoteListFilter, { nullable: true, description: "Statements attributed to it." })
  quotes?: QuoteListFilter | null;

  @Field(() => MentionListFilter, { nullable: true, description: "The places in articles that refer to the organization." })
  mentions?: MentionListFilter | null;

  @Field(() => [OrganizationFilter], { nullable: true, description: "Every one of these filters holds." })
  and?: OrganizationFilter[] | null;

  @Field(() => [OrganizationFilter], { nullable: true, description: "At least one of these filters holds." })
  or?: OrganizationFilter[] | null;

  @Field(() => OrganizationFilter, { nullable: true, description: "This filter does not hold." })
  not?: OrganizationFilter | null;
}

/** Conditions on a to-many list of organizations. */
@InputType("OrganizationListFilter", { description: "Conditions on a list of organizations." })
export class OrganizationListFilter {
  @Field(() => OrganizationFilter, { nullable: true, description: "At least one item matches." })
  some?: OrganizationFilter | null;

  @Field(() => OrganizationFilter, { nullable: true, description: "Every item matches (true for an empty list)." })
  every?: OrganizationFilter | null;

  @Field(() => OrganizationFilter, { nullable: true, description: "No item matches." })
  none?: OrganizationFilter | null;
}


/** Conditions on people; all given conditions must hold. */
@InputType("PersonFilter", {
  description: "Conditions on people. All conditions given must hold; combine with `and`, `or` and `not`.",
})
export class PersonFilter {
  @Field(() => IDFilter, { nullable: true, description: "The person themself." })
  id?: IDFilter | null;

  @Field(() => StringFilter, { nullable: true, description: "The full name." })
  name?: StringFilter | null;

  @Field(() => StringFilter, { nullable: true, description: "Any one of the aliases matches; `isNull: true` matches those with no alias at all." })
  aliases?: StringFilter | null;

  @Field(() => StringFilter, { nullable: true, description: "The description." })
  description?: StringFilter | null;

  @Field(() => StringFilter, { nullable: true, description: "The Wikidata item ID." })
  wikidataId?: StringFilter | null;

  @Field(() => DateTimeFilter, { nullable: true, description: "When the record was created." })
  createdAt?: DateTimeFilter | null;

  @Field(() => DateTimeFilter, { nullable: true, description: "When the record was last changed." })
  updatedAt?: DateTimeFilter | null;

  @Field(() => CountryFilter, { nullable: true, description: "The person's country (people without one never match)." })
  country?: CountryFilter | null;

  @Field(() => PositionListFilter, { nullable: true, description: "The offices the person holds or held." })
  positions?: PositionListFilter | null;

  @Field(() => QuoteListFilter, { nullable: true, description: "What the person said." })
  quotes?: QuoteListFilter | null;

  @Field(() => OrganizationListFilter, { nullable: true, description: "The organizations the person holds a position in." })
  organizations?: OrganizationListFilter | null;

  @Field(() => MentionListFilter, { nullable: true, description: "The places in articles that refer to the person." })
  mentions?: MentionListFilter | null;

  @Field(() => [PersonFilter], { nullable: true, description: "Every one of these filters holds." })
  and?: PersonFilter[] | null;

  @Field(() => [PersonFilter], { nullable: true, description: "At least one of these filters holds." })
  or?: PersonFilter[] | null;

  @Field(() => PersonFilter, { nullable: true, description: "This filter does not hold." })
  not?: PersonFilter | null;
}

/** Conditions on a to-many list of people. */
@InputType("PersonListFilter", { description: "Conditions on a list of people." })
export class PersonListFilter {
  @Field(() => PersonFilter, { nullable: true, description: "At least one item matches." })
  some?: PersonFilter | null;

  @Field(() => PersonFilter, { nullable: true, description: "Every item matches (true for an empty list)." })
  every?: PersonFilter | null;

  @Field(() => PersonFilter, { nullable: true, description: "No item matches." })
  none?: PersonFilter | null;
}


/**
 * "Held on this day" with a choice of how unknown dates count. `activeAt` counts an unknown start
 * as "always" and an unknown end as "still held", which is right for an office an article states
 * without dates but lets Pompeo be Secretary of State in 2005; a researcher who wants only what
 * the dates prove asks for known dates here.
 */
@InputType("PositionActiveOnFilter", {
  description:
    "Held on a day, saying how unknown dates count. By default the rule of `activeAt`: an unknown start date counts as \"always\" and an unknown end date as \"still held\". `knownStartOnly` and `knownEndOnly` leave out positions whose start or end date is unknown.",
})
export class PositionActiveOnFilter {
  @Field(() => GraphQLLocalDate, { description: "The day (YYYY-MM-DD). Dates of year or month precision count as their whole year or month." })
  date!: string;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      "true: only positions whose start date is known and on or before the day. false (default): an unknown start date counts as \"always\", as in `activeAt`.",
  })
  knownStartOnly?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      "true: only positions whose end date is known and on or after the day, which leaves out offices still held (they have no end date). false (default): an unknown end date counts as \"still held\", as in `activeAt`.",
  })
  knownEndOnly?: boolean | null;
}

/** Conditions on positions; all given conditions must hold. */
@InputType("PositionFilter", {
  description: "Conditions on positions. All conditions given must hold; combine with `and`, `or` and `not`.",
})
export class PositionFilter {
  @Field(() => IDFilter, { nullable: true, description: "The position itself." })
  id?: IDFilter | null;

  @Field(() => StringFilter, { nullable: true, description: "The title of the office." })
  title?: StringFilter | null;

  @Field(() => PartialDateFilter, { nullable: true, description: "When the office was taken up." })
  startDate?: PartialDateFilter | null;

  @Field(() => PartialDateFilter, { nullable: true, description: "When the office was left." })
  endDate?: PartialDateFilter | null;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description:
      "Held on this day: started on or before it (or start unknown: an unknown start date counts as \"always\") and not ended before it (or still held: an unknown end date counts as \"still held\"). Dates of year or month precision count as their whole year or month. To count only known dates, use `activeOn` with `knownStartOnly` or `knownEndOnly`.",
  })
  activeAt?: string | null;

  @Field(() => PositionActiveOnFilter, {
    nullable: true,
    description:
      "Held on a day, like `activeAt`, with a choice of rule for unknown dates: `{ date: \"2005-01-01\", knownStartOnly: true }` leaves out positions with no start date.",
  })
  activeOn?: PositionActiveOnFilter | null;

  @Field(() => IntFilter, { nullable: true, description: "Where the evidence starts in the article body." })
  startOffset?: IntFilter | null;

  @Field(() => IntFilter, { nullable: true, description: "Where the evidence ends in the article body." })
  endOffset?: IntFilter | null;

  @Field(() => DateTimeFilter, { nullable: true, description: "When the record was created." })
  createdAt?: DateTimeFilter | null;

  @Field(() => DateTimeFilter, { nullable: true, description: "When the record was last changed." })
  updatedAt?: DateTimeFilter | null;

  @Field(() => PersonFilter, { nullable: true, description: "The holder." })
  person?: PersonFilter | null;

  @Field(() => OrganizationFilter, { nullable: true, description: "The organization of the office (positions without one never match)." })
  organization?: OrganizationFilter | null;

  @Field(() => CountryFilter, { nullable: true, description: "The country of the office (positions without one never match)." })
  country?: CountryFilter | null;

  @Field(() => ArticleFilter, { nullable: true, description: "The article that states the position." })
  article?: ArticleFilter | null;

  @Field(() => MentionListFilter, { nullable: true, description: "The mentions within the position's evidence (each mention counts for the narrowest position whose evidence holds it)." })
  mentions?: MentionListFilter | null;

  @Field(() => [PositionFilter], { nullable: true, description: "Every one of these filters holds." })
  and?: PositionFilter[] | null;

  @Field(() => [PositionFilter], { nullable: true, description: "At least one of these filters holds." })
  or?: PositionFilter[] | null;

  @Field(() => PositionFilter, { nullable: true, description: "This filter does not hold." })
  not?: PositionFilter | null;
}

/** Conditions on a to-many list of positions. */
@InputType("PositionListFilter", { description: "Conditions on a list of positions." })
export class PositionListFilter {
  @Field(() => PositionFilter, { nullable: true, description: "At least one item matches." })
  some?: PositionFilter | null;

  @Field(() => PositionFilter, { nullable: true, description: "Every item matches (true for an empty list)." })
  every?: PositionFilter | null;

  @Field(() => PositionFilter, { nullable: true, description: "No item matches." })
  none?: PositionFilter | null;
}


/** Conditions on quotes; all given conditions must hold. */
@InputType("QuoteFilter", {
  description: "Conditions on quotes. All conditions given must hold; combine with `and`, `or` and `not`.",
})
export class QuoteFilter {
  @Field(() => IDFilter, { nullable: true, description: "The quote itself." })
  id?: IDFilter | null;

  @Field(() => StringFilter, { nullable: true, description: "The quoted or reported words." })
  text?: StringFilter | null;

  @Field(() => QuoteKindFilter, { nullable: true, description: "Direct or paraphrase." })
  kind?: QuoteKindFilter | null;

  @Field(() => IntFilter, { nullable: true, description: "Where the quote starts in the article body." })
  startOffset?: IntFilter | null;

  @Field(() => IntFilter, { nullable: true, description: "Where the quote ends in the article body." })
  endOffset?: IntFilter | null;

  @Field(() => DateTimeFilter, { nullable: true, description: "When the record was created." })
  createdAt?: DateTimeFilter | null;

  @Field(() => DateTimeFilter, { nullable: true, description: "When the record was last changed." })
  updatedAt?: DateTimeFilter | null;

  @Field(() => PersonFilter, { nullable: true, description: "The speaker (quotes without a person as speaker never match)." })
  speaker?: PersonFilter | null;

  @Field(() => CountryFilter, { nullable: true, description: "The country the statement is attributed to." })
  speakerCountry?: CountryFilter | null;

  @Field(() => OrganizationFilter, { nullable: true, description: "The organization the statement is attributed to." })
  speakerOrganization?: OrganizationFilter | null;

  @Field(() => ArticleFilter, { nullable: true, description: "The article that reports the quote." })
  article?: ArticleFilter | null;

  @Field(() => MentionListFilter, { nullable: true, description: "The mentions within the quote (each mention counts for the narrowest quote that holds it)." })
  mentions?: MentionListFilter | null;

  @Field(() => [QuoteFilter], { nullable: true, description: "Every one of these filters holds." })
  and?: QuoteFilter[] | null;

  @Field(() => [QuoteFilter], { nullable: true, description: "At least one of these filters holds." })
  or?: QuoteFilter[] | null;

  @Field(() => QuoteFilter, { nullable: true, description: "This filter does not hold." })
  not?: QuoteFilter | null;
}

/** Conditions on a to-many list of quotes. */
@InputType("QuoteListFilter", { description: "Conditions on a list of quotes." })
export class QuoteListFilter {
  @Field(() => QuoteFilter, { nullable: true, description: "At least one item matches." })
  some?: QuoteFilter | null;

  @Field(() => QuoteFilter, { nullable: true, description: "Every item matches (true for an empty list)." })
  every?: QuoteFilter | null;

  @Field(() => QuoteFilter, { nullable: true, description: "No item matches." })
  none?: QuoteFilter | null;
}


/** Conditions on mentions; all given conditions must hold. */
@InputType("MentionFilter", {
  description: "Conditions on mentions. All conditions given must hold; combine with `and`, `or` and `not`.",
})
export class MentionFilter {
  @Field(() => IDFilter, { nullable: true, description: "The mention itself." })
  id?: IDFilter | null;

  @Field(() => MentionKindFilter, { nullable: true, description: "How the mention was recognized." })
  kind?: MentionKindFilter | null;

  @Field(() => IntFilter, { nullable: true, description: "Where the mention starts in the article body." })
  startOffset?: IntFilter | null;

  @Field(() => IntFilter, { nullable: true, description: "Where the mention ends in the article body." })
  endOffset?: IntFilter | null;

  @Field(() => DateTimeFilter, { nullable: true, description: "When the record was created." })
  createdAt?: DateTimeFilter | null;

  @Field(() => DateTimeFilter, { nullable: true, description: "When the record was last changed." })
  updatedAt?: DateTimeFilter | null;

  @Field(() => PersonFilter, { nullable: true, description: "The person mentioned (mentions of an organization or a country never match)." })
  person?: PersonFilter | null;

  @Field(() => OrganizationFilter, { nullable: true, description: "The organization mentioned (mentions of a person or a country never match)." })
  organization?: OrganizationFilter | null;

  @Field(() => CountryFilter, { nullable: true, description: "The country mentioned (mentions of a person or an organization never match)." })
  country?: CountryFilter | null;

  @Field(() => QuoteFilter, { nullable: true, description: "The quote the mention stands in (mentions outside every quote never match)." })
  quote?: QuoteFilter | null;

  @Field(() => PositionFilter, { nullable: true, description: "The position whose evidence holds the mention (mentions outside every position's evidence never match)." })
  position?: PositionFilter | null;

  @Field(() => ArticleFilter, { nullable: true, description: "The article the mention stands in." })
  article?: ArticleFilter | null;

  @Field(() => [MentionFilter], { nullable: true, description: "Every one of these filters holds." })
  and?: MentionFilter[] | null;

  @Field(() => [MentionFilter], { nullable: true, description: "At least one of these filters holds." })
  or?: MentionFilter[] | null;

  @Field(() => MentionFilter, { nullable: true, description: "This filter does not hold." })
  not?: MentionFilter | null;
}

/** Conditions on a to-many list of mentions. */
@InputType("MentionListFilter", { description: "Conditions on a list of mentions." })
export class MentionListFilter {
  @Field(() => MentionFilter, { nullable: true, description: "At least one item matches." })
  some?: MentionFilter | null;

  @Field(() => MentionFilter, { nullable: true, description: "Every item matches (true for an empty list)." })
  every?: MentionFilter | null;

  @Field(() => MentionFilter, { nullable: true, description: "No item matches." })
  none?: MentionFilter | null;
}
