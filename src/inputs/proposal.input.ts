import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, MaxLength, registerDecorator, ValidateNested } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { CreateArticleInput } from "./article.input";
import { EvidenceOffsetsInput, MutationInput } from "./common.input";
import { IsGlobalIdOf, MAX_BATCH, MAX_NAME, Rules } from "./constraints";

/**
 * Longest body `proposeArticle` takes, in UTF-16 code units: ten times a long news article. The
 * extractor's work grows with the text, and a proposal is read in one request.
 */
export const MAX_PROPOSAL_BODY = 100_000;

/** Control characters other than tab, line feed and carriage return, and U+FFFD (what undecodable bytes become). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point.
const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;

/** A body must be text: binary data or text decoded from invalid UTF-8 carries characters no article has. */
function IsPlainText(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: "plainText",
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: "$property must be plain text: it holds control characters or U+FFFD, as binary data or invalid UTF-8 do" },
      validator: { validate: (value: unknown) => typeof value !== "string" || !NOT_TEXT.test(value) },
    });
}

/** An article's text and metadata, for the extractor to propose facts from. */
@InputType("ProposeArticleInput", {
  description: `A new article to extract candidate facts from. The fields are those of \`createArticle\`; the body is at most ${MAX_PROPOSAL_BODY} characters of plain text.`,
})
export class ProposeArticleInput extends CreateArticleInput {
  @Field(() => String, { description: "The full text exactly as published, never trimmed: candidates' offsets index into it." })
  @Rules.body("required")
  @MaxLength(MAX_PROPOSAL_BODY, { message: `$property must be at most ${MAX_PROPOSAL_BODY} characters long` })
  @IsPlainText()
  declare body: string;
}

/** An editor's correction of one candidate. */
@InputType("CandidateOverrideInput", {
  description: "A correction of one candidate, applied as it is accepted. Fields left out keep what the extractor proposed.",
})
export class CandidateOverrideInput {
  @Field(() => ID, { description: "The candidate to correct." })
  @Rules.id("required", "Candidate")
  candidateId!: string;

  @Field(() => ID, {
    nullable: true,
    description: "For a person, organization or country: the existing record it is (an ID of that type), or null to create a new record.",
  })
  @IsOptional()
  @IsString()
  link?: string | null;

  @Field(() => ID, { nullable: true, description: "For a quote: the existing person who said it, or null for no speaker." })
  @IsOptional()
  @IsGlobalIdOf("Person")
  speaker?: string | null;

  @Field(() => EvidenceOffsetsInput, { nullable: true, description: "A corrected span of the article body; a direct quote's text becomes its slice." })
  @IsOptional()
  @ValidateNested()
  evidence?: EvidenceOffsetsInput | null;

  @Field(() => String, { nullable: true, description: "A corrected name (people, organizations, countries) or title (positions)." })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME)
  name?: string | null;
}

/** The proposal a review mutation acts on: every review input names one. */
@InputType("ProposalInput", { description: "Not used in the schema: the base of every review mutation input." })
abstract class ProposalInput extends MutationInput {
  @Field(() => ID, { description: "The proposal." })
  @Rules.id("required", "Proposal")
  proposalId!: string;
}

/** A whole proposal to reject. */
@InputType("RejectProposalInput", { description: "A proposal whose every pending candidate to reject." })
export class RejectProposalInput extends ProposalInput {}

/** A whole proposal to accept. */
@InputType("AcceptProposalInput", { description: "A proposal whose every pending candidate to accept, with corrections." })
export class AcceptProposalInput extends ProposalInput {
  @Field(() => [CandidateOverrideInput], { nullable: true, description: "Corrections of candidates being accepted." })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_BATCH)
  @ValidateNested({ each: true })
  overrides?: CandidateOverrideInput[] | null;
}

/** Which candidates of a proposal to accept. */
@InputType("AcceptCandidatesInput", { description: "Candidates of one proposal to accept, with corrections." })
export class AcceptCandidatesInput extends AcceptProposalInput {
  @Field(() => [ID], { description: `The candidates to accept (1 to ${MAX_BATCH}); the people, organizations and countries they refer to come along.` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  candidateIds!: string[];
}

/** Which candidates of a proposal to reject. */
@InputType("RejectCandidatesInput", { description: "Candidates of one proposal to reject." })
export class RejectCandidatesInput extends ProposalInput {
  @Field(() => [ID], { description: `The pending candidates to reject (1 to ${MAX_BATCH}).` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  candidateIds!: string[];
}
