import { ObjectType, registerEnumType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Node } from "./node";
import { Model } from "../model/decorators";

/** What an edit did to its record. */
export enum EditAction {
  CREATE = "CREATE",
  UPDATE = "UPDATE",
  DELETE = "DELETE",
}

registerEnumType(EditAction, {
  name: "EditAction",
  description: "What an edit did to a record.",
  valuesConfig: {
    CREATE: { description: "The record was created; `before` is null." },
    UPDATE: { description: "The record was changed; `before` and `after` hold the whole record." },
    DELETE: { description: "The record was deleted (directly or with its article or person); `after` is null." },
  },
});

/**
 * One entry of the edit log: who changed which record, when, and the record before and after.
 * Entries are only ever inserted. They outlive the records they describe, which is how deleted
 * facts stay findable, so `entityId` is a plain column and not a foreign key.
 *
 * The GraphQL fields are all resolved by `EditResolver`, which lets only editors read them.
 */
@Model({ plural: "edits", order: ["-id"], editorOnly: true })
@Entity("edit")
@Index("IDX_edit_entity", ["entityType", "entityId"])
@ObjectType("Edit", {
  implements: Node,
  description:
    "One change to the knowledge base: who made it, when, with which mutation, and the record before and after. Readable by editors only.",
})
export class Edit {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The editor's name from `EDITOR_TOKENS`. */
  @Index()
  @Column({ type: "text" })
  editor!: string;

  @Column({ type: "text" })
  action!: EditAction;

  /** The name of the mutation field, such as `addArticle`, so one mutation's edits can be grouped. */
  @Column({ type: "text" })
  mutation!: string;

  /** The GraphQL type name of the record, such as `Quote`. */
  @Column({ type: "text" })
  entityType!: string;

  /** The record's database ID. */
  @Column({ type: "integer" })
  entityId!: number;

  /** The record before the change, as JSON; null for a creation. */
  @Column({ type: "text", nullable: true })
  before!: string | null;

  /** The record after the change, as JSON; null for a deletion. */
  @Column({ type: "text", nullable: true })
  after!: string | null;

  /** When the mutation ran; every edit of one mutation shares it. Set by the server, to the millisecond. */
  @Column({ type: "datetime" })
  createdAt!: Date;
}
