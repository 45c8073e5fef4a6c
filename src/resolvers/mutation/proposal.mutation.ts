import { Arg, Ctx, Mutation, Resolver, UseMiddleware } from "type-graphql";
import { EditorOnly } from "../../auth";
import { Context } from "../../context";
import { fromGlobalId, fromGlobalIdOfType } from "../../model/global-id";
import { extract } from "../../ingest/extract";
import {
  AcceptCandidatesInput,
  AcceptProposalInput,
  CandidateOverrideInput,
  ProposeArticleInput,
  RejectCandidatesInput,
  RejectProposalInput,
} from "../../inputs/proposal.input";
import { validateInput } from "../../inputs/validate-input";
import { runEdit } from "../../services/editing";
import { acceptCandidates, CandidateOverride, candidateIds, readGazetteer, rejectCandidates, storeProposal } from "../../services/ingest/review";
import { AcceptCandidatesPayload, ProposeArticlePayload, RejectCandidatesPayload } from "../../types/review-payloads";

/** Decodes the API's overrides; a link must be an ID of a person, organization or country. */
function decodeOverrides(overrides: readonly CandidateOverrideInput[] | null | undefined): CandidateOverride[] {
  return (overrides ?? []).map((override, i) => {
    const field = `input.overrides[${i}]`;
    const decoded: CandidateOverride = { candidateId: fromGlobalIdOfType(override.candidateId, "Candidate", `${field}.candidateId`) };
    if (override.link !== undefined) {
      if (override.link === null) decoded.linkId = null;
      else {
        const { typeName, databaseId } = fromGlobalId(override.link, `${field}.link`);
        decoded.linkId = databaseId;
        decoded.linkType = typeName;
      }
    }
    if (override.speaker !== undefined) decoded.speakerId = override.speaker === null ? null : fromGlobalIdOfType(override.speaker, "Person", `${field}.speaker`);
    if (override.evidence) {
      decoded.startOffset = override.evidence.startOffset;
      decoded.endOffset = override.evidence.endOffset;
    }
    if (override.name !== undefined && override.name !== null) decoded.name = override.name;
    return decoded;
  });
}

/** The review workflow: propose an article's facts, then accept or reject them. Editors only. */
@Resolver()
@UseMiddleware(EditorOnly)
export class ProposalMutations {
  @Mutation(() => ProposeArticlePayload, {
    nullable: true,
    description:
      "Extracts candidate facts (people, organizations, countries, positions, quotes, each with evidence, rule and confidence) from a new article's text and stores them as a proposal for review. Nothing enters the knowledge base until accepted. A URL that is already an article or a pending proposal is refused. Needs an editor token.",
  })
  async proposeArticle(
    @Arg("input", () => ProposeArticleInput, { validateFn: validateInput, description: "The article's text and metadata." }) input: ProposeArticleInput,
    @Ctx() ctx: Context,
  ): Promise<ProposeArticlePayload> {
    // The extractor runs before the write, so other writes do not wait for it.
    const extraction = extract(input.body, await readGazetteer(ctx.db));
    const proposal = await runEdit(ctx, "proposeArticle", (session) => storeProposal(session, input, extraction));
    return { clientMutationId: input.clientMutationId ?? null, proposal };
  }

  @Mutation(() => AcceptCandidatesPayload, {
    nullable: true,
    description:
      "Accepts candidates of a proposal, with corrections: creates the article (on the first acceptance) and the records, through the same checks as `addArticle`, in one transaction, each logged in the edit log. The people, organizations and countries a position or quote refers to are accepted with it. Needs an editor token.",
  })
  async acceptCandidates(
    @Arg("input", () => AcceptCandidatesInput, { validateFn: validateInput, description: "The proposal, the candidates and corrections." }) input: AcceptCandidatesInput,
    @Ctx() ctx: Context,
  ): Promise<AcceptCandidatesPayload> {
    const proposalId = fromGlobalIdOfType(input.proposalId, "Proposal", "input.proposalId");
    const ids = candidateIds(input.candidateIds, "input.candidateIds");
    const overrides = decodeOverrides(input.overrides);
    const result = await runEdit(ctx, "acceptCandidates", (session) => acceptCandidates(session, proposalId, ids, overrides));
    return { clientMutationId: input.clientMutationId ?? null, ...result };
  }

  @Mutation(() => AcceptCandidatesPayload, {
    nullable: true,
    description: "Accepts every pending candidate of a proposal, with corrections, as `acceptCandidates` does. Needs an editor token.",
  })
  async acceptProposal(
    @Arg("input", () => AcceptProposalInput, { validateFn: validateInput, description: "The proposal and corrections." }) input: AcceptProposalInput,
    @Ctx() ctx: Context,
  ): Promise<AcceptCandidatesPayload> {
    const proposalId = fromGlobalIdOfType(input.proposalId, "Proposal", "input.proposalId");
    const overrides = decodeOverrides(input.overrides);
    const result = await runEdit(ctx, "acceptProposal", (session) => acceptCandidates(session, proposalId, "all", overrides));
    return { clientMutationId: input.clientMutationId ?? null, ...result };
  }

  @Mutation(() => RejectCandidatesPayload, {
    nullable: true,
    description: "Rejects pending candidates of a proposal: they will not enter the knowledge base. Needs an editor token.",
  })
  async rejectCandidates(
    @Arg("input", () => RejectCandidatesInput, { validateFn: validateInput, description: "The proposal and the candidates." }) input: RejectCandidatesInput,
    @Ctx() ctx: Context,
  ): Promise<RejectCandidatesPayload> {
    const proposalId = fromGlobalIdOfType(input.proposalId, "Proposal", "input.proposalId");
    const ids = candidateIds(input.candidateIds, "input.candidateIds");
    const result = await runEdit(ctx, "rejectCandidates", (session) => rejectCandidates(session, proposalId, ids));
    return { clientMutationId: input.clientMutationId ?? null, ...result };
  }

  @Mutation(() => RejectCandidatesPayload, {
    nullable: true,
    description: "Rejects every pending candidate of a proposal; a proposal none of whose candidates was accepted becomes `REJECTED`. Needs an editor token.",
  })
  async rejectProposal(
    @Arg("input", () => RejectProposalInput, { validateFn: validateInput, description: "The proposal." }) input: RejectProposalInput,
    @Ctx() ctx: Context,
  ): Promise<RejectCandidatesPayload> {
    const proposalId = fromGlobalIdOfType(input.proposalId, "Proposal", "input.proposalId");
    const result = await runEdit(ctx, "rejectProposal", (session) => rejectCandidates(session, proposalId, "all"));
    return { clientMutationId: input.clientMutationId ?? null, ...result };
  }
}
