import { Field, ID, InputType } from "type-graphql";
import { OrganizationKind } from "../entities";
import { CountryRefInput, deleteInput, MutationInput, OrganizationRefInput } from "./common.input";
import { Rules } from "./constraints";

const D = {
  name: "The organization's full name; unique, ignoring case.",
  aliases: "Short names and other names it goes by (`NATO`); trimmed; blanks, repeats and the name itself (ignoring case) dropped.",
  kind: "What kind of organization this is.",
  description: "A short description, as the sources give it.",
  country: "The country the organization is based in.",
  parent: "The organization this one is part of (never itself or one of its own parts).",
  wikidataId: "The Wikidata item ID, `Q` and digits, such as `Q7184`; unique across countries, organizations and people.",
};

/** A new organization. */
@InputType("CreateOrganizationInput", { description: "A new organization." })
export class CreateOrganizationInput extends MutationInput {
  @Field(() => String, { description: D.name })
  @Rules.name("required")
  name!: string;

  @Field(() => [String], { nullable: true, description: `${D.aliases} Defaults to none.` })
  @Rules.aliases("optional")
  aliases?: string[] | null;

  @Field(() => OrganizationKind, { description: D.kind })
  @Rules.typed("required")
  kind!: OrganizationKind;

  @Field(() => String, { nullable: true, description: D.description })
  @Rules.description("optional")
  description?: string | null;

  @Field(() => ID, { nullable: true, description: `The ID of ${D.country.toLowerCase()}` })
  @Rules.id("optional", "Country")
  countryId?: string | null;

  @Field(() => ID, { nullable: true, description: `The ID of ${D.parent.toLowerCase()}` })
  @Rules.id("optional", "Organization")
  parentId?: string | null;

  @Field(() => String, { nullable: true, description: D.wikidataId })
  @Rules.wikidataId("optional")
  wikidataId?: string | null;
}

/** Changes to an organization. */
@InputType("UpdateOrganizationInput", {
  description:
    "Changes to an organization. Fields left out keep their value; null clears `description`, `countryId`, `parentId` or `wikidataId`.",
})
export class UpdateOrganizationInput extends MutationInput {
  @Field(() => ID, { description: "The ID of the organization to change." })
  @Rules.id("required", "Organization")
  id!: string;

  @Field(() => String, { nullable: true, description: `${D.name} Cannot be null.` })
  @Rules.name("unchanged")
  name?: string;

  @Field(() => [String], { nullable: true, description: `${D.aliases} Replaces the whole list; \`[]\` removes every alias.` })
  @Rules.aliases("unchanged")
  aliases?: string[];

  @Field(() => OrganizationKind, { nullable: true, description: `${D.kind} Cannot be null.` })
  @Rules.typed("unchanged")
  kind?: OrganizationKind;

  @Field(() => String, { nullable: true, description: D.description })
  @Rules.description("optional")
  description?: string | null;

  @Field(() => ID, { nullable: true, description: `The ID of ${D.country.toLowerCase()}` })
  @Rules.id("optional", "Country")
  countryId?: string | null;

  @Field(() => ID, { nullable: true, description: `The ID of ${D.parent.toLowerCase()}` })
  @Rules.id("optional", "Organization")
  parentId?: string | null;

  @Field(() => String, { nullable: true, description: D.wikidataId })
  @Rules.wikidataId("optional")
  wikidataId?: string | null;
}

/** An organization created together with an article, in `addArticle`. */
@InputType("AddArticleOrganizationInput", {
  description:
    "A new organization to create with the article. Other entries of the same `addArticle` point at it by its `ref`; a `parent` given by `ref` must come earlier in `organizations`.",
})
export class AddArticleOrganizationInput {
  @Field(() => String, { nullable: true, description: "A name for this entry, unique within `organizations`, for `OrganizationRefInput.ref`." })
  @Rules.name("optional")
  ref?: string | null;

  @Field(() => String, { description: D.name })
  @Rules.name("required")
  name!: string;

  @Field(() => [String], { nullable: true, description: `${D.aliases} Defaults to none.` })
  @Rules.aliases("optional")
  aliases?: string[] | null;

  @Field(() => OrganizationKind, { description: D.kind })
  @Rules.typed("required")
  kind!: OrganizationKind;

  @Field(() => String, { nullable: true, description: D.description })
  @Rules.description("optional")
  description?: string | null;

  @Field(() => CountryRefInput, { nullable: true, description: D.country })
  @Rules.nested("optional")
  country?: CountryRefInput | null;

  @Field(() => OrganizationRefInput, { nullable: true, description: D.parent })
  @Rules.nested("optional")
  parent?: OrganizationRefInput | null;

  @Field(() => String, { nullable: true, description: D.wikidataId })
  @Rules.wikidataId("optional")
  wikidataId?: string | null;
}

export const DeleteOrganizationInput = deleteInput(
  "Organization",
  "Refused (`CONFLICT`) while any sub-organization, position or quote refers to it.",
);
