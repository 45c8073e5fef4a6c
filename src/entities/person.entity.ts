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
  UpdateDateColumn,
} from "typeorm";
import { trimmed, trimmedList } from "./common";
import { Country } from "./country.entity";
import { Node } from "./node";
import type { Quote } from "./quote.entity";
import type { Position } from "./position.entity";
import type { Organization } from "./organization.entity";
import type { Mention } from "./mention.entity";
import { Filterable, Model, Through } from "../model/decorators";

/** A person named in the news. */
@Model({ plural: "people", order: ["name", "id"], editable: true })
@Entity("person")
@Index("IDX_person_country_name", ["countryId", "name"])
@ObjectType("Person", {
  implements: Node,
  simpleResolvers: true,
  description: "A person named in an article, with every form of their name the sources use.",
})
export class Person {
  @Filterable()
  @PrimaryGeneratedColumn()
  id!: number;

  @Filterable()
  @Column({ type: "text", unique: true, transformer: trimmed })
  @Field(() => String, { description: "The person's full name, as the sources give it." })
  name!: string;

  @Filterable()
  @Column({ type: "simple-json", default: "[]", transformer: trimmedList })
  @Field(() => [String], {
    description: 'Other forms of the name the sources use, such as "Haftar" for Khalifa Haftar.',
  })
  aliases!: string[];

  @Filterable()
  @Column({ type: "text", nullable: true, transformer: trimmed })
  @Field(() => String, {
    nullable: true,
    description: 'A short description, such as "Moscow-based Middle East expert".',
  })
  description!: string | null;

  @Index()
  @Column({ type: "integer", nullable: true })
  countryId!: number | null;

  @Filterable()
  @ManyToOne(() => Country, { nullable: true, onDelete: "RESTRICT" })
  @JoinColumn({ name: "countryId" })
  country?: Country | null;

  @Filterable()
  @Column({ type: "text", unique: true, nullable: true })
  @Field(() => String, { nullable: true, description: "The Wikidata item ID, such as `Q7747` for Vladimir Putin." })
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
  @OneToMany("Position", "person")
  positions?: Position[];

  @Filterable()
  @OneToMany("Quote", "speaker")
  quotes?: Quote[];

  /** The organizations in which the person holds or held a position. */
  @Filterable()
  @Through({ via: "positions", to: "organization" })
  organizations?: Organization[];

  /** Mentions: for a person, organization or country, where articles refer to it; for an article, quote or position, those within its text or evidence. */
  @Filterable()
  @OneToMany("Mention", "person")
  mentions?: Mention[];
}
