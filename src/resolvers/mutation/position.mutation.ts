import { Arg, Ctx, Mutation, Resolver, UseMiddleware } from "type-graphql";
import { EditorOnly } from "../../auth";
import { Context } from "../../context";
import { Position } from "../../entities";
import { DeleteInputShape } from "../../inputs/common.input";
import { CreatePositionInput, DeletePositionInput, UpdatePositionInput } from "../../inputs/position.input";
import { validateInput } from "../../inputs/validation";
import { runEdit } from "../../services/editing";
import { createPosition, deletePosition, updatePosition } from "../../services/editing/positions";
import { PositionPayloads, DeletePayloadShape } from "../../types/payloads";

const EDITORS_ONLY = " Needs an editor token.";

// Payloads are nullable, as GitHub's are: when one mutation of a request fails, the results of
// the others (already committed) still reach the client instead of a null `data`.

/** `createPosition`, `updatePosition` and `deletePosition`. */
@Resolver()
@UseMiddleware(EditorOnly)
export class PositionMutations {
  @Mutation(() => PositionPayloads.Create, { nullable: true, description: "Creates a position with its evidence; the offsets must lie inside the article." + EDITORS_ONLY })
  async createPosition(
    @Arg("input", () => CreatePositionInput, { validateFn: validateInput, description: "The new position." }) input: CreatePositionInput,
    @Ctx() ctx: Context,
  ): Promise<{ clientMutationId: string | null; position: Position }> {
    const position = await runEdit(ctx, "createPosition", (session) => createPosition(session, input));
    return { clientMutationId: input.clientMutationId ?? null, position };
  }

  @Mutation(() => PositionPayloads.Update, { nullable: true, description: "Changes a position; the result must still satisfy every rule (evidence inside the article, end date not before start date)." + EDITORS_ONLY })
  async updatePosition(
    @Arg("input", () => UpdatePositionInput, { validateFn: validateInput, description: "The position to change and the changes." }) input: UpdatePositionInput,
    @Ctx() ctx: Context,
  ): Promise<{ clientMutationId: string | null; position: Position }> {
    const position = await runEdit(ctx, "updatePosition", (session) => updatePosition(session, input));
    return { clientMutationId: input.clientMutationId ?? null, position };
  }

  @Mutation(() => PositionPayloads.Delete, { nullable: true, description: "Deletes a position." + EDITORS_ONLY })
  async deletePosition(
    @Arg("input", () => DeletePositionInput, { validateFn: validateInput, description: "The position to delete." }) input: DeleteInputShape,
    @Ctx() ctx: Context,
  ): Promise<DeletePayloadShape> {
    const result = await runEdit(ctx, "deletePosition", (session) => deletePosition(session, input));
    return { clientMutationId: input.clientMutationId ?? null, ...result };
  }
}
