import { ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from "typeorm";
import { Node } from "./node";
import { Proposal } from "./proposal.entity";
import { Model } from "../model/decorators";

/** What kind of fact a candidate proposes. */
export enum CandidateType {
  COUNTRY = "COUNTRY",
  ORGANIZATION = "ORGANIZATION",
  PERSON = "PERSON",
  POSITION = "POSITION",
  QUOTE = "QUOTE",
}

registerEnumType(CandidateType, {
  name: "CandidateType",
  description: "What kind of fact a candidate proposes; each becomes a record of the same name when accepted.",
  valuesConfig: {
    COUNTRY: { description: "A country the article names (by name, code or demonym)." },
    ORGANIZATION: { description: "An organization the article names." },
    PERSON: { description: "A person the article names." },
    POSITION: { description: "An office a person holds, as the article states it." },
    QUOTE: { description: "Words someone said, quoted directly or reported." },
  },
});

/** An editor's decision on a candidate. */
export enum CandidateStatus {
  PENDING = "PENDING",
  ACCEPTED = "ACCEPTED",
  REJECTED = "REJECTED",
}

registerEnumType(CandidateStatus, {
  name: "CandidateStatus",
  description: "An editor's decision on a candidate.",
  valuesConfig: {
    PENDING: { description: "Not decided yet." },
    ACCEPTED: { description: "In the knowledge base: `record` is the record it became or was linked to." },
    REJECTED: { description: "Rejected: it will not enter the knowledge base." },
  },
});

/**
 * One fact the extractor proposes from a proposal's article: a person, organization or country
 * (linked to an existing record or new), a position or a quote, with its evidence, the rule that
 * produced it and a confidence. `data` keeps the extractor's whole candidate (see
 * `src/ingest/types.ts`) as JSON, as it was proposed; an editor's overrides are applied when it
 * is accepted, and `recordId` then names the record it became.
 */
@Model({ plural: "candidates", order: ["id"], editorOnly: true })
@Entity("candidate")
@Unique("UQ_candidate_key", ["proposalId", "key"])
@Index("IDX_candidate_proposal_type", ["proposalId", "type", "id"])
@ObjectType("Candidate", {
  implements: Node,
  description: "A fact proposed from a proposal's article, with its evidence, the rule that found it and how sure it is. Readable by editors only.",
})
export class Candidate {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "integer" })
  proposalId!: number;

  @ManyToOne(() => Proposal, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "proposalId" })
  proposal?: Proposal;

  /** The extractor's key, unique within the proposal; other candidates refer to it. */
  @Column({ type: "text" })
  key!: string;

  @Column({ type: "text" })
  type!: CandidateType;

  @Column({ type: "text" })
  status!: CandidateStatus;

  @Column({ type: "text" })
  rule!: string;

  @Column({ type: "real" })
  confidence!: number;

  @Column({ type: "integer" })
  startOffset!: number;

  @Column({ type: "integer" })
  endOffset!: number;

  /** The extractor's candidate as JSON. */
  @Column({ type: "text" })
  data!: string;

  /** The record it became or was linked to once accepted (a database ID of the type `type` names). */
  @Column({ type: "integer", nullable: true })
  recordId!: number | null;

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;
}
