import { GraphQLError } from "graphql";
import { requireEditor } from "../../auth";
import { Context } from "../../context";
import { constraintError } from "../../errors/normalize";
import { Loaders } from "../../loaders";
import { EditSession } from "./session";

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
    // SQLite's own constraint errors, should one get past the checks, become coded ones.
    throw constraintError(error);
  } finally {
    ctx.loaders = new Loaders(ctx.db);
  }
}

export { EditSession };
