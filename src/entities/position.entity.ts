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
import { PartialDateScalar } from "../types/partial-date";
import { Article } from "./article.entity";
import { trimmed } from "./common";
import { Country } from "./country.entity";
import { Node } from "./node";
import { Organization } from "./organization.entity";
import { Person } from "./person.entity";
import type { Mention } from "./mention.entity";
import { Filterable, Model } from "../model/decorators";

/**
 * An office a person holds or held, modelled on Wikidata's "position held" (P39), with the
 * article words that state it as evidence.
 */
@Model({ plural: "positions", order: ["articleId", "startOffset", "id"], editable: true })
@Entity("position")
@Unique("UQ_position_fact", ["personId", "title", "articleId", "startOffset", "endOffset"])
@Index("IDX_position_article_offset", ["articleId", "startOffset"])
@Index("IDX_position_person_order", ["personId", "articleId", "startOffset"])
// Sorting by a nullable date orders by COALESCE(date, ''); these expression indexes are created
// by hand in the migration, and `synchronize: false` tells TypeORM's schema diff to leave them be.
@Index("IDX_position_start_sort", { synchronize: false })
@Index("IDX_position_end_sort", { synchronize: false })
@ObjectType("Position", {
  implements: Node,
  simpleResolvers: true,
  description:
    'An office a person holds or held ("Secretary of State"), modelled on Wikidata\'s "position held" (P39), with the article words that state it.',
})
export class Position {
  @Filterable()
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ type: "integer" })
  personId!: number;

  @Filterable()
  @ManyToOne(() => Person, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "personId" })
  person?: Person;

  @Filterable()
  @Index()
  @Column({ type: "text", transformer: trimmed })
  @Field(() => String, { description: 'The title of the office, such as "Foreign Minister".' })
  title!: string;

  @Index()
  @Column({ type: "integer", nullable: true })
  organizationId!: number | null;

  @Filterable()
  @ManyToOne(() => Organization, { nullable: true, onDelete: "RESTRICT" })
  @JoinColumn({ name: "organizationId" })
  organization?: Organization | null;

  @Index()
  @Column({ type: "integer", nullable: true })
  countryId!: number | null;

  @Filterable()
  @ManyToOne(() => Country, { nullable: true, onDelete: "RESTRICT" })
  @JoinColumn({ name: "countryId" })
  country?: Country | null;

  @Filterable({ kind: "partialDate" })
  @Column({ type: "text", nullable: true })
  @Field(() => PartialDateScalar, { nullable: true, description: "When the person took office, if the sources say." })
  startDate!: string | null;

  @Filterable({ kind: "partialDate" })
  @Column({ type: "text", nullable: true })
  @Field(() => PartialDateScalar, {
    nullable: true,
    description: "When the person left office, if they have and the sources say; null means ongoing or unknown.",
  })
  endDate!: string | null;

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
  @OneToMany("Mention", "position")
  mentions?: Mention[];
}
