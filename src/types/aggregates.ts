import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { OrganizationKind, QuoteKind } from "../entities/enums";

/** What quotes can be counted by. */
export enum QuoteGrouping {
  SPEAKER = "speakerId",
  SPEAKER_COUNTRY = "speakerCountryId",
  SPEAKER_ORGANIZATION = "speakerOrganizationId",
  KIND = "kind",
  ARTICLE = "articleId",
}
registerEnumType(QuoteGrouping, {
  name: "QuoteGrouping",
  description: "What to count quotes by.",
  valuesConfig: {
    SPEAKER: { description: "Per speaker (one group with a null speaker for quotes without a person)." },
    SPEAKER_COUNTRY: { description: "Per country the statement is attributed to." },
    SPEAKER_ORGANIZATION: { description: "Per organization the statement is attributed to." },
    KIND: { description: "Direct quotes and paraphrases." },
    ARTICLE: { description: "Per article." },
  },
});

/** What people can be counted by. */
export enum PersonGrouping {
  COUNTRY = "countryId",
}
registerEnumType(PersonGrouping, {
  name: "PersonGrouping",
  description: "What to count people by.",
  valuesConfig: { COUNTRY: { description: "Per country (one group with a null country)." } },
});

/** What positions can be counted by. */
export enum PositionGrouping {
  ORGANIZATION = "organizationId",
  COUNTRY = "countryId",
  PERSON = "personId",
  TITLE = "title",
}
registerEnumType(PositionGrouping, {
  name: "PositionGrouping",
  description: "What to count positions by.",
  valuesConfig: {
    ORGANIZATION: { description: "Per organization (one group with a null organization)." },
    COUNTRY: { description: "Per country of the office (one group with a null country)." },
    PERSON: { description: "Per holder." },
    TITLE: { description: "Per title, exactly as written." },
  },
});

/** What organizations can be counted by. */
export enum OrganizationGrouping {
  COUNTRY = "countryId",
  KIND = "kind",
  PARENT = "parentId",
}
registerEnumType(OrganizationGrouping, {
  name: "OrganizationGrouping",
  description: "What to count organizations by.",
  valuesConfig: {
    COUNTRY: { description: "Per country (one group with a null country)." },
    KIND: { description: "Per kind." },
    PARENT: { description: "Per parent organization (one group with a null parent)." },
  },
});

/** One group of quotes; only the field named by `groupBy` is set. */
@ObjectType("QuoteCount", { description: "The number of quotes in one group. Only the field of the chosen grouping is set." })
export class QuoteCount {
  @Field(() => Int, { description: "How many quotes the group holds." })
  count!: number;

  speakerId?: number | null;
  speakerCountryId?: number | null;
  speakerOrganizationId?: number | null;
  articleId?: number | null;

  @Field(() => QuoteKind, { nullable: true, description: "The kind, when grouping by KIND." })
  kind?: QuoteKind | null;
}

/** One group of people. */
@ObjectType("PersonCount", { description: "The number of people in one group." })
export class PersonCount {
  @Field(() => Int, { description: "How many people the group holds." })
  count!: number;

  countryId?: number | null;
}

/** One group of positions; only the field named by `groupBy` is set. */
@ObjectType("PositionCount", { description: "The number of positions in one group. Only the field of the chosen grouping is set." })
export class PositionCount {
  @Field(() => Int, { description: "How many positions the group holds." })
  count!: number;

  organizationId?: number | null;
  countryId?: number | null;
  personId?: number | null;

  @Field(() => String, { nullable: true, description: "The title, when grouping by TITLE." })
  title?: string | null;
}

/** One group of organizations; only the field named by `groupBy` is set. */
@ObjectType("OrganizationCount", { description: "The number of organizations in one group. Only the field of the chosen grouping is set." })
export class OrganizationCount {
  @Field(() => Int, { description: "How many organizations the group holds." })
  count!: number;

  countryId?: number | null;
  parentId?: number | null;

  @Field(() => OrganizationKind, { nullable: true, description: "The kind, when grouping by KIND." })
  kind?: OrganizationKind | null;
}
