import { fromGlobalIdOfType, toGlobalId } from "../../model/global-id";
import { DeleteInputShape } from "../../inputs/common.input";
import { typeModel } from "../../model/registry";
import { assertNoDependents } from "./consistency";
import { EditableType, EditSession, Row } from "./session";

/** What a delete reports back: the record's ID and those of the records deleted with it. */
export interface DeleteResult {
  deletedId: string;
  cascadedIds: string[];
}

/** Loads the record an update or delete input names by `id`. */
export async function target<T extends Row>(session: EditSession, type: EditableType, id: string): Promise<T> {
  return session.load<T>(type, fromGlobalIdOfType(id, type, "input.id"), "input.id");
}

/**
 * Deletes one record by the rule of its type in the model registry: refused while any of its
 * `referrers` points at it; its `cascades` (rows the foreign keys delete with it) are logged
 * first, one edit each.
 */
export async function deleteRecord(
  session: EditSession,
  type: EditableType,
  input: DeleteInputShape,
  describe: (row: Row) => string,
): Promise<DeleteResult> {
  const row = await target(session, type, input.id);
  await assertNoDependents(session, type, row, describe(row));
  const cascadedIds: string[] = [];
  // Derived rows (mentions) are not editable: the database's ON DELETE CASCADE removes them
  // unlogged, and the answer reports only the editable records deleted with this one.
  for (const cascade of typeModel(type).cascades) {
    if (!typeModel(cascade.type).editable) continue;
    cascadedIds.push(...(await session.cascade(cascade.type as EditableType, cascade.column, row.id)));
  }
  await session.remove(type, row);
  return { deletedId: toGlobalId(type, row.id), cascadedIds };
}
