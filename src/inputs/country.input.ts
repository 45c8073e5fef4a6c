import { Field, ID, InputType } from "type-graphql";
import { deleteInput, MutationInput } from "./common.input";
import { Rules } from "./constraints";

const D = {
  name: "The country's common English name; unique, ignoring case.",
  alpha2: "The ISO 3166-1 alpha-2 code, such as `RU` (stored upper-case); unique.",
  alpha3: "The ISO 3166-1 alpha-3 code, such as `RUS` (stored upper-case); unique.",
  wikidataId: "The Wikidata item ID, `Q` and digits, such as `Q159`; unique across countries, organizations and people.",
};

/** A new country. */
@InputType("CreateCountryInput", { description: "A new country." })
export class CreateCountryInput extends MutationInput {
  @Field(() => String, { description: D.name })
  @Rules.name("required")
  name!: string;

  @Field(() => String, { description: D.alpha2 })
  @Rules.alpha2("required")
  alpha2!: string;

  @Field(() => String, { description: D.alpha3 })
  @Rules.alpha3("required")
  alpha3!: string;

  @Field(() => String, { nullable: true, description: `${D.wikidataId} Null or left out when unknown.` })
  @Rules.wikidataId("optional")
  wikidataId?: string | null;
}

/** Changes to a country: fields left out keep their value. */
@InputType("UpdateCountryInput", { description: "Changes to a country. Fields left out keep their value; `wikidataId: null` clears it." })
export class UpdateCountryInput extends MutationInput {
  @Field(() => ID, { description: "The ID of the country to change." })
  @Rules.id("required", "Country")
  id!: string;

  @Field(() => String, { nullable: true, description: `${D.name} Cannot be null.` })
  @Rules.name("unchanged")
  name?: string;

  @Field(() => String, { nullable: true, description: `${D.alpha2} Cannot be null.` })
  @Rules.alpha2("unchanged")
  alpha2?: string;

  @Field(() => String, { nullable: true, description: `${D.alpha3} Cannot be null.` })
  @Rules.alpha3("unchanged")
  alpha3?: string;

  @Field(() => String, { nullable: true, description: D.wikidataId })
  @Rules.wikidataId("optional")
  wikidataId?: string | null;
}

export const DeleteCountryInput = deleteInput(
  "Country",
  "Refused (`CONFLICT`) while any person, organization, position or quote refers to it.",
);

/** A country created together with an article, in `addArticle`. */
@InputType("AddArticleCountryInput", {
  description: "A new country to create with the article. Other entries of the same `addArticle` point at it by its `ref`.",
})
export class AddArticleCountryInput {
  @Field(() => String, { nullable: true, description: "A name for this entry, unique within `countries`, for `CountryRefInput.ref`." })
  @Rules.name("optional")
  ref?: string | null;

  @Field(() => String, { description: D.name })
  @Rules.name("required")
  name!: string;

  @Field(() => String, { description: D.alpha2 })
  @Rules.alpha2("required")
  alpha2!: string;

  @Field(() => String, { description: D.alpha3 })
  @Rules.alpha3("required")
  alpha3!: string;

  @Field(() => String, { nullable: true, description: D.wikidataId })
  @Rules.wikidataId("optional")
  wikidataId?: string | null;
}
