import { Field, ID, InputType, Int } from "type-graphql";
import { GraphQLLocalDate } from "graphql-scalars";
import { PartialDateScalar } from "../types/partial-date";

/** Conditions on a text field; every condition given must hold. */
@InputType("StringFilter", {
  description:
    "Conditions on a text field. Every condition given must hold. Case-sensitive unless the operator says IgnoreCase (which folds ASCII letters).",
})
export class StringFilter {
  @Field(() => String, { nullable: true, description: "Equal to this value." })
  eq?: string | null;

  @Field(() => String, { nullable: true, description: "Equal to this value, ignoring case." })
  eqIgnoreCase?: string | null;

  @Field(() => [String], { nullable: true, description: "Equal to one of these values (at most 100)." })
  in?: string[] | null;

  @Field(() => String, { nullable: true, description: "Contains this substring." })
  contains?: string | null;

  @Field(() => String, { nullable: true, description: "Contains this substring, ignoring case." })
  containsIgnoreCase?: string | null;

  @Field(() => String, { nullable: true, description: "Starts with this prefix." })
  startsWith?: string | null;

  @Field(() => String, { nullable: true, description: "Starts with this prefix, ignoring case." })
  startsWithIgnoreCase?: string | null;

  @Field(() => Boolean, { nullable: true, description: "true: the field is null; false: it is not." })
  isNull?: boolean | null;
}

/** Conditions on a whole-number field. */
@InputType("IntFilter", { description: "Conditions on a whole-number field. Every condition given must hold." })
export class IntFilter {
  @Field(() => Int, { nullable: true, description: "Equal to this value." })
  eq?: number | null;

  @Field(() => [Int], { nullable: true, description: "Equal to one of these values (at most 100)." })
  in?: number[] | null;

  @Field(() => Int, { nullable: true, description: "Less than this value." })
  lt?: number | null;

  @Field(() => Int, { nullable: true, description: "Less than or equal to this value." })
  lte?: number | null;

  @Field(() => Int, { nullable: true, description: "Greater than this value." })
  gt?: number | null;

  @Field(() => Int, { nullable: true, description: "Greater than or equal to this value." })
  gte?: number | null;
}

/** Conditions on a calendar date (YYYY-MM-DD). */
@InputType("DateFilter", { description: "Conditions on a calendar date (YYYY-MM-DD). Every condition given must hold." })
export class DateFilter {
  @Field(() => GraphQLLocalDate, { nullable: true, description: "On this date." })
  eq?: string | null;

  @Field(() => [GraphQLLocalDate], { nullable: true, description: "On one of these dates (at most 100)." })
  in?: string[] | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "Before this date." })
  lt?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "On or before this date." })
  lte?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "After this date." })
  gt?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "On or after this date." })
  gte?: string | null;
}

/** Conditions on a date of year, month or day precision. */
@InputType("PartialDateFilter", {
  description:
    'Conditions on a date stored at year, month or day precision. Comparisons are by ISO text, so "2011" sorts before "2011-05"; use `activeAt` on positions for "held on this day".',
})
export class PartialDateFilter {
  @Field(() => PartialDateScalar, { nullable: true, description: "Equal to this value, at the same precision." })
  eq?: string | null;

  @Field(() => [PartialDateScalar], { nullable: true, description: "Equal to one of these values (at most 100)." })
  in?: string[] | null;

  @Field(() => PartialDateScalar, { nullable: true, description: "Sorts before this value." })
  lt?: string | null;

  @Field(() => PartialDateScalar, { nullable: true, description: "Sorts before or equal to this value." })
  lte?: string | null;

  @Field(() => PartialDateScalar, { nullable: true, description: "Sorts after this value." })
  gt?: string | null;

  @Field(() => PartialDateScalar, { nullable: true, description: "Sorts after or equal to this value." })
  gte?: string | null;

  @Field(() => Boolean, { nullable: true, description: "true: the date is unknown (null); false: it is known." })
  isNull?: boolean | null;
}

/** Conditions on a timestamp. */
@InputType("DateTimeFilter", { description: "Conditions on a timestamp. Every condition given must hold." })
export class DateTimeFilter {
  @Field(() => Date, { nullable: true, description: "At exactly this instant." })
  eq?: Date | null;

  @Field(() => Date, { nullable: true, description: "Before this instant." })
  lt?: Date | null;

  @Field(() => Date, { nullable: true, description: "At or before this instant." })
  lte?: Date | null;

  @Field(() => Date, { nullable: true, description: "After this instant." })
  gt?: Date | null;

  @Field(() => Date, { nullable: true, description: "At or after this instant." })
  gte?: Date | null;
}

/** Conditions on an object's own global ID. */
@InputType("IDFilter", { description: "Conditions on an object's global ID." })
export class IDFilter {
  @Field(() => ID, { nullable: true, description: "This object." })
  eq?: string | null;

  @Field(() => [ID], { nullable: true, description: "One of these objects (at most 100)." })
  in?: string[] | null;
}
