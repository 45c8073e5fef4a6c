import { Field, ID, InputType } from "type-graphql";
import { QuoteKind } from "../entities";
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
  text: "For a direct quote, the words exactly as the article prints them, without the quotation marks (the server checks them against the evidence); for a paraphrase, the article's words that report the speech.",
  kind: "Whether these are the speaker's own words or reported speech.",
  speaker: "The person who said it. A quote has at most one of `speaker`, `speakerCountry` and `speakerOrganization`.",
  speakerCountry: "The country the article attributes the statement to, when it names a state rather than a person.",
  speakerOrganization: "The organization the article attributes the statement to, when it names one rather than a person.",
};

/** A new quote. */
@InputType("CreateQuoteInput", { description: "A new quote with the place in an article that reports it." })
export class CreateQuoteInput extends MutationInput {
  @Field(() => String, { description: D.text })
  @Rules.quoteText("required")
  text!: string;

  @Field(() => QuoteKind, { description: D.kind })
  @Rules.typed("required")
  kind!: QuoteKind;

  @Field(() => ID, { nullable: true, description: `The ID of ${D.speaker.charAt(0).toLowerCase()}${D.speaker.slice(1)}` })
  @Rules.id("optional", "Person")
  speakerId?: string | null;

  @Field(() => ID, { nullable: true, description: `The ID of ${D.speakerCountry.toLowerCase()}` })
  @Rules.id("optional", "Country")
  speakerCountryId?: string | null;

  @Field(() => ID, { nullable: true, description: `The ID of ${D.speakerOrganization.toLowerCase()}` })
  @Rules.id("optional", "Organization")
  speakerOrganizationId?: string | null;

  @Field(() => EvidenceInput, { description: "Where in which article the quote stands." })
  @Rules.nested("required")
  evidence!: EvidenceInput;
}

/** Changes to a quote. */
@InputType("UpdateQuoteInput", {
  description:
    "Changes to a quote. Fields left out keep their value; null clears a speaker. The result is checked as a whole: a direct quote must still equal its evidence.",
})
export class UpdateQuoteInput extends MutationInput {
  @Field(() => ID, { description: "The ID of the quote to change." })
  @Rules.id("required", "Quote")
  id!: string;

  @Field(() => String, { nullable: true, description: `${D.text} Cannot be null.` })
  @Rules.quoteText("unchanged")
  text?: string;

  @Field(() => QuoteKind, { nullable: true, description: `${D.kind} Cannot be null.` })
  @Rules.typed("unchanged")
  kind?: QuoteKind;

  @Field(() => ID, { nullable: true, description: `The ID of ${D.speaker.charAt(0).toLowerCase()}${D.speaker.slice(1)}` })
  @Rules.id("optional", "Person")
  speakerId?: string | null;

  @Field(() => ID, { nullable: true, description: `The ID of ${D.speakerCountry.toLowerCase()}` })
  @Rules.id("optional", "Country")
  speakerCountryId?: string | null;

  @Field(() => ID, { nullable: true, description: `The ID of ${D.speakerOrganization.toLowerCase()}` })
  @Rules.id("optional", "Organization")
  speakerOrganizationId?: string | null;

  @Field(() => EvidenceInput, { nullable: true, description: "New evidence, replacing the old as a whole. Cannot be null." })
  @Rules.nested("unchanged")
  evidence?: EvidenceInput;
}

/** A quote reported by an article added with `addArticle`. */
@InputType("AddArticleQuoteInput", { description: "A quote the article being added reports, with offsets into its body." })
export class AddArticleQuoteInput {
  @Field(() => String, { description: D.text })
  @Rules.quoteText("required")
  text!: string;

  @Field(() => QuoteKind, { description: D.kind })
  @Rules.typed("required")
  kind!: QuoteKind;

  @Field(() => PersonRefInput, { nullable: true, description: D.speaker })
  @Rules.nested("optional")
  speaker?: InstanceType<typeof PersonRefInput> | null;

  @Field(() => CountryRefInput, { nullable: true, description: D.speakerCountry })
  @Rules.nested("optional")
  speakerCountry?: InstanceType<typeof CountryRefInput> | null;

  @Field(() => OrganizationRefInput, { nullable: true, description: D.speakerOrganization })
  @Rules.nested("optional")
  speakerOrganization?: InstanceType<typeof OrganizationRefInput> | null;

  @Field(() => EvidenceOffsetsInput, { description: "Where in the article being added the quote stands." })
  @Rules.nested("required")
  evidence!: EvidenceOffsetsInput;
}

export const DeleteQuoteInput = deleteInput("Quote", "Nothing else refers to quotes, so this is never refused.");
