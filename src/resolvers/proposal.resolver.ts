import { GraphQLResolveInfo } from "graphql";
import { GraphQLJSONObject, GraphQLLocalDate } from "graphql-scalars";
import { Args, ArgsType, Ctx, Field, FieldResolver, Float, ID, Info, Int, ObjectType, Query, Resolver, Root, UseMiddleware } from "type-graphql";
import { EditorOnly } from "../auth";
import { Context } from "../context";
import { toGlobalId } from "../model/global-id";
import { candidatesByKey, proposalsConnection, ProposalsArgs } from "../reads/proposals";
import { after, loadById, MaybePromise, relationConnection } from "../reads/lists";
import { Article, Candidate, CandidateStatus, CandidateType, Node, Proposal, ProposalStatus, Row } from "../entities";
import {
  candidateDetails,
  candidateLabel,
  candidateLink,
  candidateReferences,
  recordTypeOf,
} from "../services/ingest/review";
import { ConnectionArgs, ConnectionLike, connectionType } from "../types/connection-type";

export const ProposalConnection = connectionType(Proposal, "Proposal", "proposals");
export const CandidateConnection = connectionType(Candidate, "Candidate", "candidates");

@ArgsType()
class ProposalsQueryArgs extends ConnectionArgs implements ProposalsArgs {
  @Field(() => ProposalStatus, { nullable: true, description: "Only the proposals in this status (`PENDING`: those waiting for review)." })
  status?: ProposalStatus | null;
}

/** Where a candidate stands in its proposal's body. */
@ObjectType("CandidateEvidence", {
  simpleResolvers: true,
  description: "The words of the proposal's body a candidate stands on: `body.slice(startOffset, endOffset)` equals `text`.",
})
class CandidateEvidence {
  @Field(() => Int, { description: "Where the text starts in the proposal's body (UTF-16 code units, inclusive)." })
  startOffset!: number;

  @Field(() => Int, { description: "Where the text ends (exclusive)." })
  endOffset!: number;

  @Field(() => String, { description: "The text itself." })
  text!: string;
}

/** Another candidate a candidate refers to, and as what. */
@ObjectType("CandidateReference", { description: "Another candidate of the same proposal that a candidate refers to, and in which role." })
class CandidateReference {
  @Field(() => String, { description: "The role: `person`, `organization`, `country`, `parent`, `speaker`, `speakerOrganization` or `speakerCountry`." })
  role!: string;

  @Field(() => Candidate, { nullable: true, description: "The candidate in that role." })
  candidate!: Candidate | null;
}


/** Proposals, for editors only: the drafts hold facts nobody has checked yet. */
@Resolver(() => Proposal)
@UseMiddleware(EditorOnly)
export class ProposalResolver {
  @Query(() => ProposalConnection.Connection, {
    description:
      "Articles proposed for the knowledge base with `proposeArticle` or `npm run ingest`, newest first, with the facts extracted from them for review. Editors only.",
  })
  proposals(@Args() args: ProposalsQueryArgs, @Ctx() ctx: Context): ConnectionLike<Proposal> {
    return proposalsConnection(ctx, ProposalConnection, args);
  }

  @FieldResolver(() => ID, { description: "The globally unique, opaque ID of this Proposal." })
  id(@Root() proposal: Row<Proposal>): string {
    return toGlobalId("Proposal", proposal.id);
  }

  @FieldResolver(() => Int, { description: "The primary key of this Proposal." })
  databaseId(@Root() proposal: Row<Proposal>): number {
    return proposal.id;
  }

  @FieldResolver(() => String, { description: "The article's URL; it becomes the article's URL when a candidate is accepted." })
  url(@Root() proposal: Row<Proposal>): string {
    return proposal.url;
  }

  @FieldResolver(() => String, { description: "The article's headline." })
  title(@Root() proposal: Row<Proposal>): string {
    return proposal.title;
  }

  @FieldResolver(() => String, { description: "Who published the article." })
  publisher(@Root() proposal: Row<Proposal>): string {
    return proposal.publisher;
  }

  @FieldResolver(() => String, { nullable: true, description: "Who wrote the article, if known." })
  byline(@Root() proposal: Row<Proposal>): string | null {
    return proposal.byline;
  }

  @FieldResolver(() => GraphQLLocalDate, { description: "The publication date (YYYY-MM-DD)." })
  publishedAt(@Root() proposal: Row<Proposal>): string {
    return proposal.publishedAt;
  }

  @FieldResolver(() => String, { description: "The article's language as a BCP 47 tag." })
  language(@Root() proposal: Row<Proposal>): string {
    return proposal.language;
  }

  @FieldResolver(() => String, { description: "The article's full text, exactly as proposed: candidates' offsets index into it." })
  body(@Root() proposal: Row<Proposal>): string {
    return proposal.body;
  }

  @FieldResolver(() => ProposalStatus, { description: "Whether the proposal waits for review, was accepted or was rejected." })
  status(@Root() proposal: Row<Proposal>): ProposalStatus {
    return proposal.status;
  }

  @FieldResolver(() => String, { description: "The editor who proposed it." })
  proposedBy(@Root() proposal: Row<Proposal>): string {
    return proposal.proposedBy;
  }

  @FieldResolver(() => Article, { nullable: true, description: "The article in the knowledge base, created when the first candidate was accepted; null before." })
  article(@Root() proposal: Row<Proposal>, @Ctx() ctx: Context): MaybePromise<Article | null> {
    return loadById<Article>(ctx, "Article", proposal.articleId);
  }

  @FieldResolver(() => CandidateConnection.Connection, {
    description: "The facts proposed from the article, in dependency order: countries, organizations, people, positions, quotes.",
  })
  candidates(@Root() proposal: Row<Proposal>, @Args() args: ConnectionArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): ConnectionLike<Candidate> {
    return relationConnection(ctx, CandidateConnection, "Proposal.candidates", proposal.id, args, info);
  }

  @FieldResolver(() => Date, { description: "When it was proposed." })
  createdAt(@Root() proposal: Row<Proposal>): Date {
    return proposal.createdAt;
  }

  @FieldResolver(() => Date, { description: "When it was last reviewed." })
  updatedAt(@Root() proposal: Row<Proposal>): Date {
    return proposal.updatedAt;
  }
}

/** Candidates, for editors only. */
@Resolver(() => Candidate)
@UseMiddleware(EditorOnly)
export class CandidateResolver {
  @FieldResolver(() => ID, { description: "The globally unique, opaque ID of this Candidate." })
  id(@Root() candidate: Row<Candidate>): string {
    return toGlobalId("Candidate", candidate.id);
  }

  @FieldResolver(() => Int, { description: "The primary key of this Candidate." })
  databaseId(@Root() candidate: Row<Candidate>): number {
    return candidate.id;
  }

  @FieldResolver(() => Proposal, { nullable: true, description: "The proposal it belongs to." })
  proposal(@Root() candidate: Row<Candidate>, @Ctx() ctx: Context): MaybePromise<Proposal | null> {
    return loadById<Proposal>(ctx, "Proposal", candidate.proposalId);
  }

  @FieldResolver(() => String, { description: "The extractor's key for it, unique in its proposal (other candidates' `details` refer to it)." })
  key(@Root() candidate: Row<Candidate>): string {
    return candidate.key;
  }

  @FieldResolver(() => CandidateType, { description: "The kind of fact proposed." })
  type(@Root() candidate: Row<Candidate>): CandidateType {
    return candidate.type;
  }

  @FieldResolver(() => CandidateStatus, { description: "Whether an editor accepted or rejected it yet." })
  status(@Root() candidate: Row<Candidate>): CandidateStatus {
    return candidate.status;
  }

  @FieldResolver(() => String, { description: "What it proposes, in a few words: the name, the title, or the quote's text." })
  label(@Root() candidate: Row<Candidate>): string {
    return candidateLabel(candidate);
  }

  @FieldResolver(() => String, { description: "The extraction rule or speaker sieve that produced it, such as `cue-verb-after-quote`." })
  rule(@Root() candidate: Row<Candidate>): string {
    return candidate.rule;
  }

  @FieldResolver(() => Float, { description: "How sure the rule is, from 0 to 1." })
  confidence(@Root() candidate: Row<Candidate>): number {
    return candidate.confidence;
  }

  @FieldResolver(() => CandidateEvidence, {
    description: "The words it stands on: an entity's first mention, or the sentence of a position, or a quote's words.",
  })
  evidence(@Root() candidate: Row<Candidate>, @Ctx() ctx: Context): MaybePromise<CandidateEvidence | null> {
    const toEvidence = (proposal: Row<Proposal> | null): CandidateEvidence | null =>
      proposal && { startOffset: candidate.startOffset, endOffset: candidate.endOffset, text: proposal.body.slice(candidate.startOffset, candidate.endOffset) };
    const proposal = loadById<Row<Proposal>>(ctx, "Proposal", candidate.proposalId);
    return proposal instanceof Promise ? proposal.then(toEvidence) : toEvidence(proposal);
  }

  @FieldResolver(() => Node, {
    nullable: true,
    description: "For a person, organization or country: the existing record the extractor matched it to (see `matchedBy`); null when it would be new.",
  })
  link(@Root() candidate: Row<Candidate>, @Ctx() ctx: Context): MaybePromise<Node | null> {
    const link = candidateLink(candidate);
    return link ? loadById<Node>(ctx, recordTypeOf(candidate.type), link.id) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: "Why it was matched to `link`: `name`, `alias`, `surname`, `title`, `code` or `demonym`." })
  matchedBy(@Root() candidate: Row<Candidate>): string | null {
    return candidateLink(candidate)?.matchedBy ?? null;
  }

  @FieldResolver(() => Node, { nullable: true, description: "Once accepted: the record it became, or the existing record it was linked to." })
  record(@Root() candidate: Row<Candidate>, @Ctx() ctx: Context): MaybePromise<Node | null> {
    return loadById<Node>(ctx, recordTypeOf(candidate.type), candidate.recordId);
  }

  @FieldResolver(() => [CandidateReference], { description: "The candidates it refers to: a position's person, a quote's speaker, an organization's country…" })
  references(@Root() candidate: Row<Candidate>, @Ctx() ctx: Context): MaybePromise<CandidateReference[]> {
    return after(candidatesByKey(ctx, candidate.proposalId), (byKey) =>
      candidateReferences(candidate).map(({ role, key }) => ({ role, candidate: (byKey.get(key) as Candidate | undefined) ?? null })),
    );
  }

  @FieldResolver(() => GraphQLJSONObject, { description: "Everything the extractor proposed, as JSON (the shapes are in `src/ingest/types.ts`)." })
  details(@Root() candidate: Row<Candidate>): Record<string, unknown> {
    return candidateDetails(candidate);
  }

  @FieldResolver(() => Date, { description: "When it was proposed." })
  createdAt(@Root() candidate: Row<Candidate>): Date {
    return candidate.createdAt;
  }

  @FieldResolver(() => Date, { description: "When it was last decided on." })
  updatedAt(@Root() candidate: Row<Candidate>): Date {
    return candidate.updatedAt;
  }
}
