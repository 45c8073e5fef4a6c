import { Field, ObjectType } from "type-graphql";
import { Candidate, Proposal } from "../entities";

const CLIENT_MUTATION_ID = "The `clientMutationId` of the input, unchanged.";

@ObjectType("ProposeArticlePayload", { description: "The result of `proposeArticle`." })
export class ProposeArticlePayload {
  @Field(() => String, { nullable: true, description: CLIENT_MUTATION_ID })
  clientMutationId!: string | null;

  @Field(() => Proposal, { description: "The new proposal, with every candidate pending." })
  proposal!: Proposal;
}

@ObjectType("AcceptCandidatesPayload", { description: "The result of `acceptCandidates` and `acceptProposal`." })
export class AcceptCandidatesPayload {
  @Field(() => String, { nullable: true, description: CLIENT_MUTATION_ID })
  clientMutationId!: string | null;

  @Field(() => Proposal, { description: "The proposal as it now is." })
  proposal!: Proposal;

  @Field(() => [Candidate], { description: "The candidates this call accepted, including the people, organizations and countries they referred to; each has its `record`." })
  accepted!: Candidate[];
}

@ObjectType("RejectCandidatesPayload", { description: "The result of `rejectCandidates` and `rejectProposal`." })
export class RejectCandidatesPayload {
  @Field(() => String, { nullable: true, description: CLIENT_MUTATION_ID })
  clientMutationId!: string | null;

  @Field(() => Proposal, { description: "The proposal as it now is." })
  proposal!: Proposal;

  @Field(() => [Candidate], { description: "The candidates this call rejected." })
  rejected!: Candidate[];
}
