import { Field, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { trimmed } from "./common";
import { Node } from "./node";
import type { Quote } from "./quote.entity";
import type { Position } from "./position.entity";
import type { Person } from "./person.entity";
import type { Organization } from "./organization.entity";
import type { Mention } from "./mention.entity";
import { Filterable, Model } from "../model/decorators";

/** A sovereign state, identified by its ISO 3166-1 codes. */
@Model({ plural: "countries", order: ["name", "id"], editable: true })
@Entity("country")
@ObjectType("Country", {
  implements: Node,
  simpleResolvers: true,
  description: "A country, identified by its ISO 3166-1 codes and, where known, its Wikidata item.",
})
export class Country {
  @Filterable()
  @PrimaryGeneratedColumn()
  id!: number;

  @Filterable()
  @Column({ type: "text", unique: true, transformer: trimmed })
  @Field(() => String, { description: "The country's common English name." })
  name!: string;

  @Filterable()
  @Column({ type: "text", unique: true })
  @Field(() => String, { description: "The ISO 3166-1 alpha-2 code, such as `RU`." })
  alpha2!: string;

  @Filterable()
  @Column({ type: "text", unique: true })
  @Field(() => String, { description: "The ISO 3166-1 alpha-3 code, such as `RUS`." })
  alpha3!: string;

  @Filterable()
  @Column({ type: "text", unique: true, nullable: true })
  @Field(() => String, { nullable: true, description: "The Wikidata item ID, such as `Q159` for Russia." })
  wikidataId!: string | null;

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
  @OneToMany("Person", "country")
  people?: Person[];

  @Filterable()
  @OneToMany("Organization", "country")
  organizations?: Organization[];

  @Filterable()
  @OneToMany("Position", "country")
  positions?: Position[];

  @Filterable()
  @OneToMany("Quote", "speakerCountry")
  quotes?: Quote[];

  /** Mentions: for a person, organization or country, where articles refer to it; for an article, quote or position, those within its text or evidence. */
  @Filterable()
  @OneToMany("Mention", "country")
  mentions?: Mention[];
}
