import { Field, ObjectType } from "type-graphql";
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { Article } from "./article.entity";
import { Country } from "./country.entity";
import { MentionKind } from "./enums";
import { Node } from "./node";
import { Organization } from "./organization.entity";
import { Person } from "./person.entity";
import { Position } from "./position.entity";
import { Quote } from "./quote.entity";
import { Filterable, Model } from "../model/decorators";

/**
 * A place in an article's body that refers to a person, an organization or a country: derived
 * data, computed from the article and the knowledge base's names (`src/ingest/extract/mentions.ts`)
 * and deleted with the article or the record it refers to. `body.slice(startOffset, endOffset)`
 * is the mention's text. `quoteId` and `positionId` name the quote and position whose evidence
 * holds it (the narrowest, when several do); deleting those leaves the mention in the article.
 */
@Model({ plural: "mentions", order: ["articleId", "startOffset", "id"] })
@Entity("mention")
@Check("CHK_mention_one_record", '("personId" IS NOT NULL) + ("organizationId" IS NOT NULL) + ("countryId" IS NOT NULL) = 1')
@Index("IDX_mention_article_offset", ["articleId", "startOffset"])
@Index("IDX_mention_person_order", ["personId", "articleId", "startOffset"])
@Index("IDX_mention_organization_order", ["organizationId", "articleId", "startOffset"])
@Index("IDX_mention_country_order", ["countryId", "articleId", "startOffset"])
@Index("IDX_mention_quote_order", ["quoteId", "articleId", "startOffset"])
@Index("IDX_mention_position_order", ["positionId", "articleId", "startOffset"])
@ObjectType("Mention", {
  implements: Node,
  simpleResolvers: true,
  description:
    "A place in an article that refers to a person, an organization or a country (exactly one of them), found by name, alias, surname or demonym.",
})
export class Mention {
  @Filterable()
  @PrimaryGeneratedColumn()
  id!: number;

  @Filterable({ enum: MentionKind })
  @Index()
  @Column({ type: "text" })
  @Field(() => MentionKind, { description: "How the mention was recognized." })
  kind!: MentionKind;

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

  @Column({ type: "integer", nullable: true })
  personId!: number | null;

  @Filterable()
  @ManyToOne(() => Person, { nullable: true, onDelete: "CASCADE" })
  @JoinColumn({ name: "personId" })
  person?: Person | null;

  @Column({ type: "integer", nullable: true })
  organizationId!: number | null;

  @Filterable()
  @ManyToOne(() => Organization, { nullable: true, onDelete: "CASCADE" })
  @JoinColumn({ name: "organizationId" })
  organization?: Organization | null;

  @Column({ type: "integer", nullable: true })
  countryId!: number | null;

  @Filterable()
  @ManyToOne(() => Country, { nullable: true, onDelete: "CASCADE" })
  @JoinColumn({ name: "countryId" })
  country?: Country | null;

  @Column({ type: "integer", nullable: true })
  quoteId!: number | null;

  @Filterable()
  @ManyToOne(() => Quote, { nullable: true, onDelete: "SET NULL" })
  @JoinColumn({ name: "quoteId" })
  quote?: Quote | null;

  @Column({ type: "integer", nullable: true })
  positionId!: number | null;

  @Filterable()
  @ManyToOne(() => Position, { nullable: true, onDelete: "SET NULL" })
  @JoinColumn({ name: "positionId" })
  position?: Position | null;

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
}
