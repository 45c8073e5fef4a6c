import { GraphQLJSONObject } from "graphql-scalars";
import { Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Query, Resolver, Root, UseMiddleware } from "type-graphql";
import { EditorOnly } from "../auth";
import { Context } from "../context";
import { editsConnection, EditsArgs } from "../reads/edit-log";
import { toGlobalId } from "../model/global-id";
import { loadById, MaybePromise } from "../reads/lists";
import { NodeTypeName } from "../sql/tables";
import { Edit, EditAction, Node, Row } from "../entities";
import { ConnectionArgs, ConnectionLike, connectionType } from "../types/connection-type";

export const EditConnection = connectionType(Edit, "Edit", "edits");

@ArgsType()
class EditsQueryArgs extends ConnectionArgs implements EditsArgs {
  @Field(() => ID, {
    nullable: true,
    description: "Only the edits of this record: its whole history, also after it was deleted.",
  })
  entityId?: string | null;

  @Field(() => EditAction, { nullable: true, description: "Only creations, only changes or only deletions." })
  action?: EditAction | null;

  @Field(() => String, { nullable: true, description: "Only the edits of this editor (a name from `EDITOR_TOKENS`)." })
  editor?: string | null;
}

function json(value: string | null): Record<string, unknown> | null {
  return value === null ? null : (JSON.parse(value) as Record<string, unknown>);
}

/**
 * The edit log. Every field, including those of an `Edit` reached through `node(id:)`, needs an
 * editor token: the log names editors and holds deleted records.
 */
@Resolver(() => Edit)
@UseMiddleware(EditorOnly)
export class EditResolver {
  @Query(() => EditConnection.Connection, {
    description:
      "The edit log, newest first: every creation, change and deletion made through the API, with who made it and the record before and after. Editors only (`UNAUTHENTICATED` without a token, `FORBIDDEN` with one that is not an editor's).",
  })
  edits(@Args() args: EditsQueryArgs, @Ctx() ctx: Context): ConnectionLike<Edit> {
    return editsConnection(ctx, EditConnection, args);
  }

  @FieldResolver(() => ID, { description: "The globally unique, opaque ID of this Edit." })
  id(@Root() edit: Row<Edit>): string {
    return toGlobalId("Edit", edit.id);
  }

  @FieldResolver(() => Int, { description: "The primary key of this Edit: edits are numbered in the order they were made." })
  databaseId(@Root() edit: Row<Edit>): number {
    return edit.id;
  }

  @FieldResolver(() => String, { description: "Who made the edit: the editor's name from `EDITOR_TOKENS`." })
  editor(@Root() edit: Row<Edit>): string {
    return edit.editor;
  }

  @FieldResolver(() => EditAction, { description: "Whether the record was created, changed or deleted." })
  action(@Root() edit: Row<Edit>): EditAction {
    return edit.action;
  }

  @FieldResolver(() => String, {
    description: "The mutation that made the edit, such as `addArticle`; one mutation can make several edits, all with the same `createdAt`.",
  })
  mutation(@Root() edit: Row<Edit>): string {
    return edit.mutation;
  }

  @FieldResolver(() => String, { description: "The type of the record: `Article`, `Country`, `Organization`, `Person`, `Position` or `Quote`." })
  entityType(@Root() edit: Row<Edit>): string {
    return edit.entityType;
  }

  @FieldResolver(() => ID, { description: "The global ID of the record, which stays valid in the log after the record is deleted." })
  entityId(@Root() edit: Row<Edit>): string {
    return toGlobalId(edit.entityType as NodeTypeName, edit.entityId);
  }

  @FieldResolver(() => Node, { nullable: true, description: "The record as it is now; null once it has been deleted." })
  entity(@Root() edit: Row<Edit>, @Ctx() ctx: Context): MaybePromise<Node | null> {
    return loadById<Node>(ctx, edit.entityType as NodeTypeName, edit.entityId);
  }

  @FieldResolver(() => GraphQLJSONObject, {
    nullable: true,
    description:
      "The whole record before the edit, null for a creation. Keys are the API's field names; references are global IDs (`countryId`), evidence is `{ articleId, startOffset, endOffset }`.",
  })
  before(@Root() edit: Row<Edit>): Record<string, unknown> | null {
    return json(edit.before);
  }

  @FieldResolver(() => GraphQLJSONObject, { nullable: true, description: "The whole record after the edit, null for a deletion; shaped like `before`." })
  after(@Root() edit: Row<Edit>): Record<string, unknown> | null {
    return json(edit.after);
  }

  @FieldResolver(() => Date, { description: "When the edit was made (to the millisecond)." })
  createdAt(@Root() edit: Row<Edit>): Date {
    return edit.createdAt;
  }
}
