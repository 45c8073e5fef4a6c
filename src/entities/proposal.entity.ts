import { ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { Article } from "./article.entity";
import { Node } from "./node";
import type { Candidate } from "./candidate.entity";
import { Model } from "../model/decorators";

/** Where a proposal stands in review. */
export enum ProposalStatus {
  PENDING = "PENDING",
  ACCEPTED = "ACCEPTED",
  REJECTED = "REJECTED",
}

registerEnumType(ProposalStatus, {
  name: "ProposalStatus",
  description: "Where a proposal stands in review.",
  valuesConfig: {
    PENDING: { description: "Some candidates are still to be decided; accepted ones are already in the knowledge base." },
    ACCEPTED: { description: "Every candidate was decided and the article is in the knowledge base." },
    REJECTED: { description: "The editor rejected the proposal: nothing more of it will enter the knowledge base." },
  },
});

/**
 * A new article's text with the facts the extractor proposes from it, waiting for an editor's
 * decision: a persisted, reviewable draft. Nothing of it is in the knowledge base until an editor
 * accepts candidates; the article itself is created with the first accepted candidate
 * (`articleId`), so every accepted fact has its evidence.
 *
 * The GraphQL fields are resolved by `ProposalResolver`, which lets only editors read them.
 */
@Model({ plural: "proposals", order: ["-id"], editorOnly: true })
@Entity("proposal")
@ObjectType("Proposal", {
  implements: Node,
  description: "A new article's text and the facts proposed from it, for an editor to accept or reject. Readable by editors only.",
})
export class Proposal {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Normalized as articles' URLs are; one pending proposal per URL. */
  @Index()
  @Column({ type: "text" })
  url!: string;

  @Column({ type: "text" })
  title!: string;

  @Column({ type: "text" })
  publisher!: string;

  @Column({ type: "text", nullable: true })
  byline!: string | null;

  @Column({ type: "text" })
  publishedAt!: string;

  @Column({ type: "text" })
  language!: string;

  /** Exactly as sent: candidates' offsets index into it, and it becomes the article's body. */
  @Column({ type: "text" })
  body!: string;

  @Index()
  @Column({ type: "text" })
  status!: ProposalStatus;

  /** The editor who proposed it, by the name `EDITOR_TOKENS` gives their token. */
  @Column({ type: "text" })
  proposedBy!: string;

  /** The article created when the first candidate was accepted. */
  @Index()
  @Column({ type: "integer", nullable: true })
  articleId!: number | null;

  @ManyToOne(() => Article, { nullable: true, onDelete: "SET NULL" })
  @JoinColumn({ name: "articleId" })
  article?: Article | null;

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;

  @OneToMany("Candidate", "proposal")
  candidates?: Candidate[];
}
