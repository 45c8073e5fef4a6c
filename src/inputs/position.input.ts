import { Field, ID, InputType } from "type-graphql";
import { PartialDateScalar } from "../types/partial-date";
import {
  CountryRefInput,
  deleteInput,
  EvidenceInput,
  EvidenceOffsetsInput,
  MutationInput,
  OrganizationRefInput,
  PersonRefInput,
} from "./common.input";
import { Rules } from "./constraints";

const D = {
  person: "The person who holds or held the office.",
  title: 'The title of the office, such as "Foreign Minister".',
  organization: "The organization the office belongs to.",
  country: "The country the office belongs to.",
  startDate: "When the person took office, at the precision the source gives.",
  endDate: "When the person left office; not before `startDate` (compared at the coarser of the two precisions).",
};

/** A new position. */
@InputType("CreatePositionInput", {
  description: "A new position (an office a person holds or held) with the article words that state it.",
})
export class CreatePositionInput extends MutationInput {
  @Field(() => ID, { description: `The ID of ${D.person.toLowerCase()}` })
  @Rules.id("required", "Person")
  personId!: string;

  @Field(() => String, { description: D.title })
  @Rules.name("required")
  title!: string;

  @Field(() => ID, { nullable: true, description: `The ID of ${D.organization.toLowerCase()}` })
  @Rules.id("optional", "Organization")
  organizationId?: string | null;

  @Field(() => ID, { nullable: true, description: `The ID of ${D.country.toLowerCase()}` })
  @Rules.id("optional", "Country")
  countryId?: string | null;

  @Field(() => PartialDateScalar, { nullable: true, description: D.startDate })
  @Rules.typed("optional")
  startDate?: string | null;

  @Field(() => PartialDateScalar, { nullable: true, description: D.endDate })
  @Rules.typed("optional")
  endDate?: string | null;

  @Field(() => EvidenceInput, { description: "The article words that state the position." })
  @Rules.nested("required")
  evidence!: EvidenceInput;
}

/** Changes to a position. */
@InputType("UpdatePositionInput", {
  description:
    "Changes to a position. Fields left out keep their value; null clears `organizationId`, `countryId`, `startDate` or `endDate`.",
})
export class UpdatePositionInput extends MutationInput {
  @Field(() => ID, { description: "The ID of the position to change." })
  @Rules.id("required", "Position")
  id!: string;

  @Field(() => ID, { nullable: true, description: `The ID of ${D.person.toLowerCase()} Cannot be null.` })
  @Rules.id("unchanged", "Person")
  personId?: string;

  @Field(() => String, { nullable: true, description: `${D.title} Cannot be null.` })
  @Rules.name("unchanged")
  title?: string;

  @Field(() => ID, { nullable: true, description: `The ID of ${D.organization.toLowerCase()}` })
  @Rules.id("optional", "Organization")
  organizationId?: string | null;

  @Field(() => ID, { nullable: true, description: `The ID of ${D.country.toLowerCase()}` })
  @Rules.id("optional", "Country")
  countryId?: string | null;

  @Field(() => PartialDateScalar, { nullable: true, description: D.startDate })
  @Rules.typed("optional")
  startDate?: string | null;

  @Field(() => PartialDateScalar, { nullable: true, description: D.endDate })
  @Rules.typed("optional")
  endDate?: string | null;

  @Field(() => EvidenceInput, { nullable: true, description: "New evidence, replacing the old as a whole. Cannot be null." })
  @Rules.nested("unchanged")
  evidence?: EvidenceInput;
}

/** A position stated by an article added with `addArticle`. */
@InputType("AddArticlePositionInput", { description: "A position the article being added states, with offsets into its body." })
export class AddArticlePositionInput {
  @Field(() => PersonRefInput, { description: D.person })
  @Rules.nested("required")
  person!: InstanceType<typeof PersonRefInput>;

  @Field(() => String, { description: D.title })
  @Rules.name("required")
  title!: string;

  @Field(() => OrganizationRefInput, { nullable: true, description: D.organization })
  @Rules.nested("optional")
  organization?: InstanceType<typeof OrganizationRefInput> | null;

  @Field(() => CountryRefInput, { nullable: true, description: D.country })
  @Rules.nested("optional")
  country?: InstanceType<typeof CountryRefInput> | null;

  @Field(() => PartialDateScalar, { nullable: true, description: D.startDate })
  @Rules.typed("optional")
  startDate?: string | null;

  @Field(() => PartialDateScalar, { nullable: true, description: D.endDate })
  @Rules.typed("optional")
  endDate?: string | null;

  @Field(() => EvidenceOffsetsInput, { description: "The words of the article being added that state the position." })
  @Rules.nested("required")
  evidence!: EvidenceOffsetsInput;
}

export const DeletePositionInput = deleteInput("Position", "Nothing else refers to positions, so this is never refused.");
