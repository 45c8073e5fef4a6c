import { Field, ID, InputType } from "type-graphql";
import { CountryRefInput, deleteInput, MutationInput } from "./common.input";
import { Rules } from "./constraints";

const D = {
  name: "The person's full name, as the sources give it; unique, ignoring case.",
  aliases: 'Other forms of the name the sources use ("Haftar"); trimmed; blanks, repeats and the name itself (ignoring case) dropped.',
  description: 'A short description, such as "Moscow-based Middle East expert".',
  country: "The country the person belongs to.",
  wikidataId: "The Wikidata item ID, `Q` and digits, such as `Q7747`; unique across countries, organizations and people.",
};

/** A new person. */
@InputType("CreatePersonInput", { description: "A new person." })
export class CreatePersonInput extends MutationInput {
  @Field(() => String, { description: D.name })
  @Rules.name("required")
  name!: string;

  @Field(() => [String], { nullable: true, description: `${D.aliases} Defaults to none.` })
  @Rules.aliases("optional")
  aliases?: string[] | null;

  @Field(() => String, { nullable: true, description: D.description })
  @Rules.description("optional")
  description?: string | null;

  @Field(() => ID, { nullable: true, description: `The ID of ${D.country.toLowerCase()}` })
  @Rules.id("optional", "Country")
  countryId?: string | null;

  @Field(() => String, { nullable: true, description: D.wikidataId })
  @Rules.wikidataId("optional")
  wikidataId?: string | null;
}

/** Changes to a person: fields left out keep their value, null clears a nullable one. */
@InputType("UpdatePersonInput", {
  description: "Changes to a person. Fields left out keep their value; null clears `description`, `countryId` or `wikidataId`.",
})
export class UpdatePersonInput extends MutationInput {
  @Field(() => ID, { description: "The ID of the person to change." })
  @Rules.id("required", "Person")
  id!: string;

  @Field(() => String, { nullable: true, description: `${D.name} Cannot be null.` })
  @Rules.name("unchanged")
  name?: string;

  @Field(() => [String], { nullable: true, description: `${D.aliases} Replaces the whole list; \`[]\` removes every alias.` })
  @Rules.aliases("unchanged")
  aliases?: string[];

  @Field(() => String, { nullable: true, description: D.description })
  @Rules.description("optional")
  description?: string | null;

  @Field(() => ID, { nullable: true, description: `The ID of ${D.country.toLowerCase()}` })
  @Rules.id("optional", "Country")
  countryId?: string | null;

  @Field(() => String, { nullable: true, description: D.wikidataId })
  @Rules.wikidataId("optional")
  wikidataId?: string | null;
}

/** A person created together with an article, in `addArticle`. */
@InputType("AddArticlePersonInput", {
  description: "A new person to create with the article. Positions and quotes of the same `addArticle` point at it by its `ref`.",
})
export class AddArticlePersonInput {
  @Field(() => String, { nullable: true, description: "A name for this entry, unique within `people`, for `PersonRefInput.ref`." })
  @Rules.name("optional")
  ref?: string | null;

  @Field(() => String, { description: D.name })
  @Rules.name("required")
  name!: string;

  @Field(() => [String], { nullable: true, description: `${D.aliases} Defaults to none.` })
  @Rules.aliases("optional")
  aliases?: string[] | null;

  @Field(() => String, { nullable: true, description: D.description })
  @Rules.description("optional")
  description?: string | null;

  @Field(() => CountryRefInput, { nullable: true, description: D.country })
  @Rules.nested("optional")
  country?: CountryRefInput | null;

  @Field(() => String, { nullable: true, description: D.wikidataId })
  @Rules.wikidataId("optional")
  wikidataId?: string | null;
}

export const DeletePersonInput = deleteInput(
  "Person",
  "Their positions are deleted with them; refused (`CONFLICT`) while any quote names them as its speaker.",
);
