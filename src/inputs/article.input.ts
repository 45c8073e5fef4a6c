import { GraphQLLocalDate } from "graphql-scalars";
import { Field, ID, InputType } from "type-graphql";
import { AddArticleCountryInput } from "./country.input";
import { deleteInput, MutationInput } from "./common.input";
import { AddArticleOrganizationInput } from "./organization.input";
import { AddArticlePersonInput } from "./person.input";
import { AddArticlePositionInput } from "./position.input";
import { AddArticleQuoteInput } from "./quote.input";
import { MAX_BATCH, Rules } from "./constraints";

const D = {
  url: "The canonical URL of the article (absolute, http or https); unique.",
  title: "The headline.",
  publisher: "The outlet that published the article.",
  byline: 'Who the article is credited to ("By …"), if anyone.',
  publishedAt: "The publication date (YYYY-MM-DD).",
  body: "The full text exactly as published, never trimmed: evidence offsets index into it.",
  language: "The language as a BCP 47 tag, such as `en`.",
};

/** A new article. */
@InputType("CreateArticleInput", { description: "A new article. Quotes and positions can then point into its body." })
export class CreateArticleInput extends MutationInput {
  @Field(() => String, { description: D.url })
  @Rules.url("required")
  url!: string;

  @Field(() => String, { description: D.title })
  @Rules.headline("required")
  title!: string;

  @Field(() => String, { description: D.publisher })
  @Rules.name("required")
  publisher!: string;

  @Field(() => String, { nullable: true, description: D.byline })
  @Rules.name("optional")
  byline?: string | null;

  @Field(() => GraphQLLocalDate, { description: D.publishedAt })
  @Rules.typed("required")
  publishedAt!: string;

  @Field(() => String, { description: D.body })
  @Rules.body("required")
  body!: string;

  @Field(() => String, { nullable: true, description: `${D.language} Defaults to \`en\`.` })
  @Rules.language("optional")
  language?: string | null;
}

/** Changes to an article. */
@InputType("UpdateArticleInput", {
  description:
    "Changes to an article. Fields left out keep their value; null clears `byline`. A new `body` is refused while any quote or position of the article would no longer match it.",
})
export class UpdateArticleInput extends MutationInput {
  @Field(() => ID, { description: "The ID of the article to change." })
  @Rules.id("required", "Article")
  id!: string;

  @Field(() => String, { nullable: true, description: `${D.url} Cannot be null.` })
  @Rules.url("unchanged")
  url?: string;

  @Field(() => String, { nullable: true, description: `${D.title} Cannot be null.` })
  @Rules.headline("unchanged")
  title?: string;

  @Field(() => String, { nullable: true, description: `${D.publisher} Cannot be null.` })
  @Rules.name("unchanged")
  publisher?: string;

  @Field(() => String, { nullable: true, description: D.byline })
  @Rules.name("optional")
  byline?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: `${D.publishedAt} Cannot be null.` })
  @Rules.typed("unchanged")
  publishedAt?: string;

  @Field(() => String, { nullable: true, description: `${D.body} Cannot be null.` })
  @Rules.body("unchanged")
  body?: string;

  @Field(() => String, { nullable: true, description: `${D.language} Cannot be null.` })
  @Rules.language("unchanged")
  language?: string;
}

/** An article with everything it states, added in one transaction. */
@InputType("AddArticleInput", {
  description: `An article together with the countries, organizations and people it introduces and the positions and quotes it states, all added in one transaction: if any part is refused, nothing is written. Entries refer to existing records by \`id\` and to new ones of the same input by \`ref\`. Each list holds at most ${MAX_BATCH} entries.`,
})
export class AddArticleInput extends CreateArticleInput {
  @Field(() => [AddArticleCountryInput], { nullable: true, description: "New countries to create." })
  @Rules.nested("optional", { list: true })
  countries?: AddArticleCountryInput[] | null;

  @Field(() => [AddArticleOrganizationInput], { nullable: true, description: "New organizations to create, parents before their parts." })
  @Rules.nested("optional", { list: true })
  organizations?: AddArticleOrganizationInput[] | null;

  @Field(() => [AddArticlePersonInput], { nullable: true, description: "New people to create." })
  @Rules.nested("optional", { list: true })
  people?: AddArticlePersonInput[] | null;

  @Field(() => [AddArticlePositionInput], { nullable: true, description: "Positions the article states, with their offsets into its body." })
  @Rules.nested("optional", { list: true })
  positions?: AddArticlePositionInput[] | null;

  @Field(() => [AddArticleQuoteInput], { nullable: true, description: "Quotes the article reports, with their offsets into its body." })
  @Rules.nested("optional", { list: true })
  quotes?: AddArticleQuoteInput[] | null;
}

export const DeleteArticleInput = deleteInput("Article", "Its quotes and positions are deleted with it (each is recorded in the edit log).");
