import { IsOptional, IsString, MaxLength } from "class-validator";
import { ClassType, Field, ID, InputType, Int } from "type-graphql";
import { NodeTypeName } from "../sql/tables";
import { IsExactlyOneOf, IsGlobalIdOf, MAX_NAME, Rules } from "./constraints";

/** The character range of a fact inside an article whose identity is known from the context. */
@InputType("EvidenceOffsetsInput", {
  description:
    "Where in the article being added a fact is stated: `body.slice(startOffset, endOffset)`, in JavaScript string indices (UTF-16 code units).",
})
export class EvidenceOffsetsInput {
  @Field(() => Int, { description: "Where the supporting text starts (inclusive, 0 or more)." })
  @Rules.startOffset("required")
  startOffset!: number;

  @Field(() => Int, { description: "Where the supporting text ends (exclusive); greater than `startOffset` and at most the body's length." })
  @Rules.endOffset("required")
  endOffset!: number;
}

/** Evidence for a fact: an existing article and a character range of its body. */
@InputType("EvidenceInput", {
  description:
    "Where a fact is stated: an existing article and the range of its body that says it. The server checks that the range lies inside the body and, for a direct quote, that the slice equals the quote's text.",
})
export class EvidenceInput extends EvidenceOffsetsInput {
  @Field(() => ID, { description: "The ID of the article." })
  @Rules.id("required", "Article")
  articleId!: string;
}

/** A reference to an entity: an existing one by ID, or one created in the same `addArticle`. */
function refInput(typeName: NodeTypeName, listName: string): ClassType<{ id?: string | null; ref?: string | null }> {
  @InputType(`${typeName}RefInput`, {
    description: `Points at a ${typeName}: an existing one by \`id\`, or one created by the same \`addArticle\` by the \`ref\` it was given in \`${listName}\`. Give exactly one of the two.`,
  })
  class Ref {
    @Field(() => ID, { nullable: true, description: `The ID of an existing ${typeName}.` })
    @IsExactlyOneOf("ref")
    @IsGlobalIdOf(typeName, { allowMissing: true })
    id?: string | null;

    @Field(() => String, { nullable: true, description: `The \`ref\` of a ${typeName} in \`${listName}\` of the same \`addArticle\`.` })
    @IsOptional()
    @IsString()
    @MaxLength(MAX_NAME)
    ref?: string | null;
  }
  return Ref;
}

export const PersonRefInput = refInput("Person", "people");
export type PersonRefInput = InstanceType<typeof PersonRefInput>;
export const CountryRefInput = refInput("Country", "countries");
export type CountryRefInput = InstanceType<typeof CountryRefInput>;
export const OrganizationRefInput = refInput("Organization", "organizations");
export type OrganizationRefInput = InstanceType<typeof OrganizationRefInput>;

/** The input of every `deleteX` mutation. */
export interface DeleteInputShape {
  id: string;
  clientMutationId?: string | null;
}

/** Builds `DeleteXInput` for one type: the ID of what to delete and the usual `clientMutationId`. */
export function deleteInput(typeName: NodeTypeName, consequence: string): ClassType<DeleteInputShape> {
  @InputType(`Delete${typeName}Input`, { description: `What to delete: one ${typeName}. ${consequence}` })
  class DeleteInput {
    @Field(() => ID, { description: `The ID of the ${typeName} to delete.` })
    @Rules.id("required", typeName)
    id!: string;

    @Field(() => String, { nullable: true, description: "Any string; returned unchanged in the payload, so a client can match answers to requests." })
    @Rules.clientMutationId()
    clientMutationId?: string | null;
  }
  return DeleteInput;
}

/**
 * The `clientMutationId` field every mutation input has (GitHub's and Relay's convention). Not an
 * input type itself: the `CreateXInput` classes that extend it inherit the field.
 */
@InputType("MutationInput", { description: "Not used in the schema: the base of every mutation input." })
export abstract class MutationInput {
  @Field(() => String, { nullable: true, description: "Any string; returned unchanged in the payload, so a client can match answers to requests." })
  @Rules.clientMutationId()
  clientMutationId?: string | null;
}
