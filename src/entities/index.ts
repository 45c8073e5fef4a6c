import { Article } from "./article.entity";
import { Candidate } from "./candidate.entity";
import { Country } from "./country.entity";
import { Edit } from "./edit.entity";
import { Mention } from "./mention.entity";
import { Organization } from "./organization.entity";
import { Person } from "./person.entity";
import { Position } from "./position.entity";
import { Proposal } from "./proposal.entity";
import { Quote } from "./quote.entity";

export { Article, Candidate, Country, Edit, Mention, Organization, Person, Position, Proposal, Quote };
export { CandidateStatus, CandidateType } from "./candidate.entity";
export { ProposalStatus } from "./proposal.entity";
export { EditAction } from "./edit.entity";
export * from "./enums";
export * from "./node";

/** Every TypeORM entity, in the order tables depend on each other. */
export const entities = [Article, Country, Organization, Person, Position, Quote, Mention, Edit, Proposal, Candidate];
