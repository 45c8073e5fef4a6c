import { Field, ObjectType } from "type-graphql";
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from "typeorm";
import { trimmed, trimmedList } from "./common";
import { Country } from "./country.entity";
import { Node } from "./node";

/** A person named in the news. */
@Entity("person")
@Index("IDX_person_country_name", ["countryId", "name"])
@ObjectType("Person", {
  implements: Node,
  simpleResolvers: true,
  description: "A person named in an article, with every form of their name the sources use.",
})
export class Person {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "text", unique: true, transformer: trimmed })
  @Field(() => String, { description: "The person's full name, as the sources give it." })
  name!: string;

  @Column({ type: "simple-json", default: "[]", transformer: trimmedList })
  @Field(() => [String], {
    description: 'Other forms of the name the sources use, such as "Haftar" for Khalifa Haftar.',
  })
  aliases!: string[];

  @Column({ type: "text", nullable: true, transformer: trimmed })
  @Field(() => String, {
    nullable: true,
    description: 'A short description, such as "Moscow-based Middle East expert".',
  })
  description!: string | null;

  @Index()
  @Column({ type: "integer", nullable: true })
  countryId!: number | null;

  @ManyToOne(() => Country, { nullable: true, onDelete: "RESTRICT" })
  @JoinColumn({ name: "countryId" })
  country?: Country | null;

  @Column({ type: "text", unique: true, nullable: true })
  @Field(() => String, { nullable: true, description: "The Wikidata item ID, such as `Q7747` for Vladimir Putin." })
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
