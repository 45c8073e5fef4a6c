import { Field, ObjectType } from "type-graphql";
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from "typeorm";
import { Article } from "./article.entity";
import { Country } from "./country.entity";
import { QuoteKind } from "./enums";
import { Node } from "./node";
import { Organization } from "./organization.entity";
import { Person } from "./person.entity";
import type { Mention } from "./mention.entity";
import { Filterable, Model } from "../model/decorators";

/**
 * Something said, as an article reports it. The text is never trimmed or normalized: for a
 * direct quote it must equal `article.body.slice(startOffset, endOffset)` byte for byte.
 */
@Model({ plural: "quotes", order: ["articleId", "startOffset", "id"], editable: true })
@Entity("quote")
@Unique("UQ_quote_evidence", ["articleId", "startOffset", "endOffset"])
@Index("IDX_quote_article_offset", ["articleId", "startOffset"])
@Index("IDX_quote_speaker_order", ["speakerId", "articleId", "startOffset"])
@Index("IDX_quote_speaker_latest", ["speakerId", "createdAt"])
@ObjectType("Quote", {
  implements: Node,
  simpleResolvers: true,
  description:
    "Something said, as an article reports it: the speaker's own words (`DIRECT`) or the article's report of them (`PARAPHRASE`).",
})
export class Quote {
  @Filterable()
  @PrimaryGeneratedColumn()
  id!: number;

  @Filterable()
  @Column({ type: "text" })
  @Field(() => String, {
    description:
      "For a direct quote, the words exactly as the article prints them, without the surrounding quotation marks; for a paraphrase, the article's words that report the speech.",
  })
  text!: string;

  @Filterable({ enum: QuoteKind })
  @Index()
  @Column({ type: "text" })
  @Field(() => QuoteKind, { description: "Whether these are the speaker's own words or reported speech." })
  kind!: QuoteKind;

  @Index()
  @Column({ type: "integer", nullable: true })
  speakerId!: number | null;

  @Filterable()
  @ManyToOne(() => Person, { nullable: true, onDelete: "RESTRICT" })
  @JoinColumn({ name: "speakerId" })
  speaker?: Person | null;

  @Index()
  @Column({ type: "integer", nullable: true })
  speakerCountryId!: number | null;

  @Filterable()
  @ManyToOne(() => Country, { nullable: true, onDelete: "RESTRICT" })
  @JoinColumn({ name: "speakerCountryId" })
  speakerCountry?: Country | null;

  @Index()
  @Column({ type: "integer", nullable: true })
  speakerOrganizationId!: number | null;

  @Filterable()
  @ManyToOne(() => Organization, { nullable: true, onDelete: "RESTRICT" })
  @JoinColumn({ name: "speakerOrganizationId" })
  speakerOrganization?: Organization | null;

  @Column({ type: "integer" })
  articleId!: number;

  @Filterable()
  @ManyToOne(() => Article, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "articleId" })
  article?: Article;

  @Filterable()
  @Column({ type: "integer" })
  startOffset!: number;

  @Filterable()
  @Column({ type: "integer" })
  endOffset!: number;

  @Filterable()
  @Index()
  @CreateDateColumn()
  @Field(() => Date, { description: "When this record was created in the knowledge base." })
  createdAt!: Date;

  @Filterable()
  @Index()
  @UpdateDateColumn()
  @Field(() => Date, { description: "When this record was last changed in the knowledge base." })
  updatedAt!: Date;

  /** Mentions: for a person, organization or country, where articles refer to it; for an article, quote or position, those within its text or evidence. */
  @Filterable()
  @OneToMany("Mention", "quote")
  mentions?: Mention[];
}
