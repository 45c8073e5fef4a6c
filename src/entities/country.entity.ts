import { Field, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { trimmed } from "./common";
import { Node } from "./node";

/** A sovereign state, identified by its ISO 3166-1 codes. */
@Entity("country")
@ObjectType("Country", {
  implements: Node,
  simpleResolvers: true,
  description: "A country, identified by its ISO 3166-1 codes and, where known, its Wikidata item.",
})
export class Country {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "text", unique: true, transformer: trimmed })
  @Field(() => String, { description: "The country's common English name." })
  name!: string;

  @Column({ type: "text", unique: true })
  @Field(() => String, { description: "The ISO 3166-1 alpha-2 code, such as `RU`." })
  alpha2!: string;

  @Column({ type: "text", unique: true })
  @Field(() => String, { description: "The ISO 3166-1 alpha-3 code, such as `RUS`." })
  alpha3!: string;

  @Column({ type: "text", unique: true, nullable: true })
  @Field(() => String, { nullable: true, description: "The Wikidata item ID, such as `Q159` for Russia." })
  wikidataId!: string | null;

  @Index()
  @CreateDateColumn()
  @Field(() => Date, { description: "When this record was created in the knowledge base." })
  createdAt!: Date;

  @Index()
  @UpdateDateColumn()
  @Field(() => Date, { description: "When this record was last changed in the knowledge base." })
  updatedAt!: Date;
}
