import { GraphQLError } from "graphql";
import { QueryFailedError } from "typeorm";
import { requireEditor } from "../../auth";
import { Context } from "../../context";
import { ConflictError, InputValidationError } from "../../errors";
import { Loaders } from "../../loaders";
import { EditSession } from "./session";

/**
 * SQLite's own constraint errors, should one get past the checks (they name no field, so the
 * checks run first): reported as coded errors instead of an internal error with SQL in it.
 */
function translate(error: unknown): unknown {
  if (!(error instanceof QueryFailedError)) return error;
  const code = (error.driverError as { code?: string } | undefined)?.code ?? "";
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
    return new InputValidationError([{ field: "input", rule: "unique", message: "a record with the same unique values already exists" }]);
  }
  if (code === "SQLITE_CONSTRAINT_FOREIGNKEY") {
    return new ConflictError("the change would leave a reference to a record that does not exist", []);
  }
  return error;
}

/**
 * Runs one mutation: checks that the caller is an editor, then runs `work` in its own
 * transaction behind every earlier write (`Database.write`), recording each change in the edit
 * log under the editor's name and `mutation`. If `work` throws, nothing it did is kept.
 *
 * Afterwards the request's DataLoaders are replaced, so the payload and any later field of the
 * same request read the database as it now is, not a row cached before the write.
 */
export async function runEdit<T>(ctx: Context, mutation: string, work: (session: EditSession) => Promise<T>): Promise<T> {
  const editor = requireEditor(ctx);
  try {
    const result = await ctx.db.write((manager) => work(new EditSession(manager, editor.name, mutation, new Date())));
    ctx.committed.push(mutation);
    return result;
  } catch (error) {
    if (error instanceof GraphQLError) throw error;
    throw translate(error);
  } finally {
    ctx.loaders = new Loaders(ctx.db);
  }
}

export { EditSession };
