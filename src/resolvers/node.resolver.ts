import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, ID, Info, Query, Resolver } from "type-graphql";
import { requireEditor } from "../auth";
import { Context } from "../context";
import { fromGlobalId } from "../model/global-id";
import { loadById, loadNode, MaybePromise } from "../reads/lists";
import { EDITOR_ONLY_TYPES } from "../sql/tables";
import { BadUserInputError } from "../errors";
import { Node } from "../entities";
import { MAX_PAGE_SIZE } from "../sql/pagination";

/**
 * The edit log and the review workflow are for editors only, down to whether a record exists:
 * without this check an anonymous `node(id:) { __typename }` would tell an existing edit (edits
 * are numbered in order) from a missing one, since `__typename` has no resolver to guard.
 */
function guardEditLog(ctx: Context, typeName: string): void {
  if (EDITOR_ONLY_TYPES.has(typeName)) requireEditor(ctx);
}

@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description: "Fetches any object by its global ID; null when no such object exists.",
  })
  node(
    @Arg("id", () => ID, { description: "A global ID, as returned in any `id` field." }) id: string,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): MaybePromise<Node | null> {
    const { typeName, databaseId } = fromGlobalId(id);
    guardEditLog(ctx, typeName);
    // The editor-only types resolve their relations on their own, from whole rows.
    if (EDITOR_ONLY_TYPES.has(typeName)) return loadById<Node>(ctx, typeName, databaseId);
    return loadNode<Node>(ctx, typeName, databaseId, info);
  }

  @Query(() => [Node], {
    nullable: "items",
    description: `Fetches up to ${MAX_PAGE_SIZE} objects by global ID, in the order given; null for each that does not exist.`,
  })
  nodes(
    @Arg("ids", () => [ID], { description: "Global IDs, as returned in any `id` field." }) ids: string[],
    @Ctx() ctx: Context,
  ): Promise<Array<Node | null>> {
    if (ids.length > MAX_PAGE_SIZE) {
      throw new BadUserInputError(`\`ids\` may hold at most ${MAX_PAGE_SIZE} IDs, got ${ids.length}`, "ids");
    }
    const decoded = ids.map((id) => fromGlobalId(id, "ids"));
    for (const { typeName } of decoded) guardEditLog(ctx, typeName);
    return Promise.all(decoded.map(({ typeName, databaseId }) => loadById<Node>(ctx, typeName, databaseId)));
  }
}
