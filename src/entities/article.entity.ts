import { Field, ObjectType } from "type-graphql";
import { GraphQLLocalDate, GraphQLURL } from "graphql-scalars";
import { Column, CreateDateColumn, Entity, Index, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { trimmed } from "./common";
import { Node } from "./node";
import type { Quote } from "./quote.entity";
import type { Position } from "./position.entity";
import type { Mention } from "./mention.entity";
import { Filterable, Model } from "../model/decorators";

/**
 * A news article: the provenance root. Every quote and position points into an article's body by
 * character offsets, so the body is stored exactly as published and never trimmed or rewritten.
 */
@Model({ plural: "articles", order: ["-publishedAt", "-id"], editable: true })
@Entity("article")
@ObjectType("Article", {
  implements: Node,
  simpleResolvers: true,
  description:
    "A news article, the source every fact in the knowledge base is traced to. Quotes and positions point into its `body` by character offsets.",
})
export class Article {
  @Filterable()
  @PrimaryGeneratedColumn()
  id!: number;

  @Filterable()
  @Column({ type: "text", unique: true, transformer: trimmed })
  @Field(() => GraphQLURL, { description: "The canonical URL of the article." })
  url!: string;

  @Filterable()
  @Index()
  @Column({ type: "text", transformer: trimmed })
  @Field(() => String, { description: "The headline." })
  title!: string;

  @Filterable()
  @Column({ type: "text", transformer: trimmed })
  @Field(() => String, { description: "The outlet that published the article." })
  publisher!: string;

  @Filterable()
  @Column({ type: "text", nullable: true, transformer: trimmed })
  @Field(() => String, { nullable: true, description: "Who the article is credited to (\"By …\"), if anyone." })
  byline!: string | null;

  @Filterable({ kind: "date" })
  @Index()
  @Column({ type: "text" })
  @Field(() => GraphQLLocalDate, { description: "The publication date (YYYY-MM-DD)." })
  publishedAt!: string;

  @Column({ type: "text" })
  @Field(() => String, {
    description:
      "The full text exactly as published. Evidence offsets are JavaScript string indices (UTF-16 code units) into this string: `body.slice(startOffset, endOffset)`.",
  })
  body!: string;

  @Filterable()
  @Column({ type: "text", default: "en", transformer: trimmed })
  @Field(() => String, { description: "The language of the article as a BCP 47 tag, such as `en`." })
  language!: string;

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

  @Filterable()
  @OneToMany("Quote", "article")
  quotes?: Quote[];

  @Filterable()
  @OneToMany("Position", "article")
  positions?: Position[];

  /** Mentions: for a person, organization or country, where articles refer to it; for an article, quote or position, those within its text or evidence. */
  @Filterable()
  @OneToMany("Mention", "article")
  mentions?: Mention[];
}
