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
import { OrganizationKind } from "./enums";
import { Node } from "./node";
import type { Quote } from "./quote.entity";
import type { Position } from "./position.entity";
import type { Person } from "./person.entity";
import type { Mention } from "./mention.entity";
import { Filterable, Model, Through } from "../model/decorators";

/** A government body, armed force, institute, alliance or outlet named in the news. */
@Model({ plural: "organizations", order: ["name", "id"], editable: true })
@Entity("organization")
@ObjectType("Organization", {
  implements: Node,
  simpleResolvers: true,
  description:
    "An organization: a government body, armed force, research institute, intergovernmental body or news outlet.",
})
export class Organization {
  @Filterable()
  @PrimaryGeneratedColumn()
  id!: number;

  @Filterable()
  @Column({ type: "text", unique: true, transformer: trimmed })
  @Field(() => String, { description: "The organization's full name." })
  name!: string;

  @Filterable()
  @Column({ type: "simple-json", default: "[]", transformer: trimmedList })
  @Field(() => [String], { description: "Short names and other names it goes by, such as `NATO`." })
  aliases!: string[];

  @Filterable({ enum: OrganizationKind })
  @Index()
  @Column({ type: "text" })
  @Field(() => OrganizationKind, { description: "What kind of organization this is." })
  kind!: OrganizationKind;

  @Filterable()
  @Column({ type: "text", nullable: true, transformer: trimmed })
  @Field(() => String, { nullable: true, description: "A short description, as the sources give it." })
  description!: string | null;

  @Index()
  @Column({ type: "integer", nullable: true })
  countryId!: number | null;

  @Filterable()
  @ManyToOne(() => Country, { nullable: true, onDelete: "RESTRICT" })
  @JoinColumn({ name: "countryId" })
  country?: Country | null;

  @Index()
  @Column({ type: "integer", nullable: true })
  parentId!: number | null;

  @Filterable()
  @ManyToOne(() => Organization, { nullable: true, onDelete: "RESTRICT" })
  @JoinColumn({ name: "parentId" })
  parent?: Organization | null;

  @Filterable()
  @Column({ type: "text", unique: true, nullable: true })
  @Field(() => String, { nullable: true, description: "The Wikidata item ID, such as `Q7184` for NATO." })
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
  @OneToMany("Organization", "parent")
  subOrganizations?: Organization[];

  @Filterable()
  @OneToMany("Position", "organization")
  positions?: Position[];

  @Filterable()
  @OneToMany("Quote", "speakerOrganization")
  quotes?: Quote[];

  /** The people who hold or held a position in it. */
  @Filterable()
  @Through({ via: "positions", to: "person" })
  members?: Person[];

  /** Mentions: for a person, organization or country, where articles refer to it; for an article, quote or position, those within its text or evidence. */
  @Filterable()
  @OneToMany("Mention", "organization")
  mentions?: Mention[];
}
